"""The English template of every message the core shows a person, by code (see messages.py).

Codes are stable: the window's translations are keyed by the template, the CLI's JSON by the
code. Placeholders are ``{name}``; a translation keeps every one of them.
"""

from __future__ import annotations

CATALOG: dict[str, str] = {
    # ---- how a finding is put together -----------------------------------------------------------
    "problem.plain": "{field}: {message}",
    "problem.expected": "{field}: {message} (expected {expected})",
    "problem.found": "{field}: {message} (found {found})",
    "problem.expected_found": "{field}: {message} (expected {expected}, found {found})",
    # ---- data files (studio/core/data) -----------------------------------------------------------
    "data.where_dataset": "dataset",
    "data.at": "{where}: {detail}",
    "data.at_row": "{where}, row {row}: {detail}",
    "data.at_column": "{where}, column '{column}': {detail}",
    "data.at_row_column": "{where}, row {row}, column '{column}': {detail}",
    "data.unknown_format": "unknown format",
    "data.unknown_file_type": "unknown file type",
    "data.expected_file_or_folder": "a data file or folder",
    "data.at_column_only": "column '{column}': {detail}",
    "data.at_line_column_only": "line {number}, column '{column}': {detail}",
    "data.at_line_only": "line {number}: {detail}",
    "data.at_row_column_only": "row {number}, column '{column}': {detail}",
    "data.at_row_only": "row {number}: {detail}",
    "data.bad_label": "empty or non-scalar label in column '{column}'",
    "data.cannot_decode_byte_0x":
        "cannot decode byte 0x{byte:02x} as {encoding}; set dataset.encoding to the file's "
        "encoding (for example latin-1, cp1252 or gbk)",
    "data.cannot_read": "cannot read {name}: {error}",
    "data.cannot_read_file": "cannot read the file: {error}",
    "data.cannot_tell_data_format": "cannot tell the data format of {file} from its columns",
    "data.column_named_like_set": "a column named like {names}, or set {role}",
    "data.column_not_found": "column '{name}' not found in {file}",
    "data.dataset_dict_json_lists": "dataset_dict.json lists no splits",
    "data.dataset_no_rows": "the dataset has no rows",
    "data.delimiter_must_one_character": "the delimiter must be one character, got {delimiter}",
    "data.duplicates": "has duplicates",
    "data.empty_tag": "empty tag",
    "data.empty_value": "empty value",
    "data.expected_json_object_such":
        "is {name} {row}, expected a JSON object such as {{\"text\": ...}}",
    "data.expected_list_objects_object":
        "expected a list of objects, or an object holding that list under a key such as \"data\"",
    "data.expected_two_or_more": "2 or more",
    "data.fault_at": "{fault} at {where}",
    "data.fault_in_column": "{fault} in column '{column}'",
    "data.file_empty": "the file is empty",
    "data.file_header_line_but": "the file has a header line but no data rows",
    "data.file_no_rows": "the file has no rows",
    "data.first_line_has_fields": "the first line has {count} fields",
    "data.folder_but_not_datasets":
        "a folder, but not a datasets save_to_disk folder (no state.json, dataset_info.json or "
        "dataset_dict.json)",
    "data.folder_expected_file": "is a folder; expected a {kind} file",
    "data.fraction_from_0_up": "a fraction from 0 up to (not including) 1",
    "data.header_has_columns": "the header has {count} columns: {names}",
    "data.hint_chat": "chat data trains causal_lm",
    "data.hint_classification":
        "classification data trains seq_cls, or seq2seq with the label word as target",
    "data.hint_text": "plain text trains causal_lm",
    "data.hint_token_cls": "tokens with tags train token_cls",
    "data.holds_data_but_training":
        "holds {found} data but the training file holds {expected} data",
    "data.in_line": "line {numbers} of {file}",
    "data.in_lines": "lines {numbers} of {file}",
    "data.in_lines_more": "lines {numbers} and {more} more of {file}",
    "data.in_row": "row {numbers} of {file}",
    "data.in_rows": "rows {numbers} of {file}",
    "data.in_rows_more": "rows {numbers} and {more} more of {file}",
    "data.inconsistent_columns_fields_share":
        "inconsistent columns: fields {keys} share none with the first row's {first_keys}",
    "data.inconsistent_columns_fields_where":
        "inconsistent columns: {found} fields where {expected} were expected ({header_note}); "
        "values that contain the delimiter {shown} must be quoted",
    "data.json_holds_no_rows": "the JSON holds no rows",
    "data.must_at_least_1": "must be at least 1",
    "data.no_arrow_data_files":
        "no Arrow data files in the folder (expected a datasets save_to_disk folder)",
    "data.no_assistant_message": "no assistant message to learn from",
    "data.no_column_data": "no {role} column for {fmt} data in {file}",
    "data.no_data_file_given": "no data file given (dataset.path is empty)",
    "data.no_data_rows_file": "no data rows: the file has only blank or comment (#) lines",
    "data.no_training_examples_left":
        "no training examples left ({rows} rows, {dropped} dropped with no target tokens within "
        "max_length {max_length})",
    "data.not_for_task": "{format} data does not fit task {task}",
    "data.not_for_task_hint": "{format} data does not fit task {task}; {hint}",
    "data.not_in_dataset_labels": "not in dataset.labels",
    "data.not_in_training_data": "not in the training data",
    "data.not_readable_arrow_file": "not a readable Arrow file: {error}",
    "data.not_readable_parquet_file": "not a readable Parquet file: {error}",
    "data.not_text": "a {kind} where text was expected",
    "data.not_valid_json_column": "not valid JSON: {detail} (column {colno})",
    "data.out_range": "out of range",
    "data.tab": "tab",
    "data.tags_not_per_word": "column '{column}' must hold one tag per word",
    "data.tokens_not_words": "column '{column}' must hold a non-empty list of words",
    "data.too_few_labels":
        "classification needs at least 2 distinct labels; column '{column}' of {file} has "
        "{distinct}",
    "data.unknown_encoding_dataset_encoding": "unknown encoding {encoding} in dataset.encoding",
    "data.unknown_file_type_dataset": "unknown file type {kind} (dataset.file_type)",
    "data.unknown_label": "unknown label '{value}' ({reason})",
    "data.unknown_tag": "unknown tag '{value}' ({reason})",
    "data.unknown_task_expected_one": "unknown task {task} (expected one of {tasks})",
    "data.validation_file_holds_different":
        "the validation file holds different data than the training file",
    "data.expected_format_and_columns": "set dataset.format ({formats}) and the column fields",
    "data.expected_messages": "expected a non-empty list of messages",
    "data.history_not_pairs": "history must be a list of [question, answer] pairs of text",
    "data.alpaca_sharegpt": "alpaca or sharegpt",
    "data.arguments_tool_call_are":
        "{where}: the arguments of tool call '{name}' are {kind}, expected an object",
    "data.cannot_tokenise": "cannot tokenise: {kind}: {error}",
    "data.content_part_without_text": "{where} has a content part without text: {part}",
    "data.content_type_expected_text":
        "{where} has content of type {kind}, expected text or a list of text parts",
    "data.dataset_columns_tags_must": "dataset '{name}': columns and tags must be mappings",
    "data.dataset_formatting": "dataset '{name}' has formatting {formatting}",
    "data.dataset_not_local_file":
        "dataset '{name}' is not a local file ({source}); PEFT Studio reads the files of the "
        "folder",
    "data.dataset_peft_studio_trains":
        "dataset '{name}' has {media}; PEFT Studio trains on text only",
    "data.dataset_preference_data_ranking":
        "dataset '{name}' is preference data (ranking: true, chosen and rejected answers), for "
        "preference training such as DPO; PEFT Studio trains supervised fine-tuning, on one "
        "answer per example. To train on the preferred answers, set {how}",
    "data.entry_with_file_name": "an entry with a file_name",
    "data.expected_object": "{where} is {kind}, expected an object",
    "data.folder_holding_no_dataset": "a folder holding {catalog}, or no dataset.name",
    "data.holds_preference_data_columns":
        "{name} holds preference data (columns '{chosen}' and '{rejected}'), for preference "
        "training such as DPO; PEFT Studio trains supervised fine-tuning, on one answer per "
        "example. To train on the preferred answers, set {mapping}",
    "data.message_number": "message {number}",
    "data.message_with_weight_only":
        "{where} is a {role} message with a weight; only assistant messages take one",
    "data.missing_holds_with_datasets":
        "missing: {folder} holds a {catalog} with {count} datasets; choose one by name (--name "
        "on the command line)",
    "data.no_answer_column": "no answer in column '{column}'",
    "data.no_content_2": "{where} ({role}) has no content",
    "data.no_content_at": "{where} has no content",
    "data.no_dataset_named": "no dataset named '{name}' in {info}",
    "data.no_such_line": "no line {number}; the data is on lines {first} to {last}",
    "data.no_such_row": "no row {number}; the data is on rows {first} to {last}",
    "data.not_valid_json": "{where}: not valid JSON in {what} ({detail})",
    "data.one": "one of {names}",
    "data.part_only_text_parts": "{where} has a {kind} part; only text parts can be trained",
    "data.role_expected_one_user":
        "{where} has role {role}, expected one of user, assistant, system, tool (or human, gpt, "
        "function_call, observation)",
    "data.set_but_not_folder": "is set, but {value} is not a folder with a {catalog}",
    "data.tool_call_expected_object":
        "{where}: a tool call is {kind}, expected an object with a name and arguments",
    "data.tool_call_no_name": "{where}: a tool call has no name: {item}",
    "data.tool_calls_expected_list": "{where}: tool_calls is {kind}, expected a list",
    "data.tool_no_name": "a tool has no name: {item}",
    "data.tools_are_expected_list": "tools are {kind}, expected a list of function schemas",
    "data.tools_are_not_valid": "the tools are not valid JSON ({detail})",
    "data.unknown_keys": "unknown keys",
    "data.weight_expected_0_no": "{where} has weight {weight}, expected 0 (no loss) or 1",
    "data.max_length_too_small": "max_length must be at least 2",
    "data.template_differs":
        "the chat template renders the whole conversation differently from its prefixes",
    "data.template_prefixes":
        "the chat template does not render this conversation prefix by prefix, so the assistant "
        "turns cannot be found",
    "data.template_without_tool_calls":
        "the model's chat template does not render tool calls (it never reads 'tool_calls'); use "
        "a model whose template supports them",
    "data.template_without_tools":
        "the model's chat template does not render tools (it never reads 'tools'); use a model "
        "whose template supports tool calling",
    "data.unknown_label_value": "unknown label {value}",
    "data.cannot_delimiter_quote_character":
        "{delimiter} cannot be the delimiter: it is the quote character or a line break",
    "data.data_files_are_read":
        "is {st_size}; data files are read into memory whole, and files over {max_data_bytes} "
        "are refused: split the file or keep a sample of it",
    "data.dataset_dict_json_names":
        "dataset_dict.json names the split '{split}', but there is no datasets folder of that "
        "name inside",
    "data.dataset_names_file_which":
        "dataset '{name}' names the file {shown}, which is not inside {folder}; the file was not "
        "read",
    "data.file_name_inside_folder": "a file_name inside the folder",
    "data.holds_data_data_read":
        "holds {total} of data; data is read into memory whole, and more than {max_data_bytes} "
        "is refused: save a sample of it",
    "data.holds_nul_characters_so":
        "holds NUL characters, so it is binary, not text (if it is UTF-16 text, set "
        "dataset.encoding to utf-16)",
    "data.names_which_leads_outside":
        "{meta} names the {what} '{name}', which leads outside the folder (a link); it was not "
        "read",
    "data.names_which_not_plain":
        "{meta} names the {what} {shown}, which is not a plain name inside the folder; the "
        "folder's metadata is damaged or was made to point elsewhere",
    "data.no_data_rows_every":
        "no data rows: every line is empty (a line holding only \"\" is an empty value)",
    "data.not_json_object_found": "{name} is not a JSON object (found {kind})",
    "data.not_regular_file_pipe":
        "is not a regular file (a pipe, socket or device); it was not opened, since reading it "
        "could wait forever",
    "data.not_valid_json_2": "not valid JSON: {error}",
    "data.split_folder_holds_another":
        "a split folder holds another dataset_dict.json; a split must be a datasets folder with "
        "state.json",
    "data.state_json_data_files": "state.json: _data_files is not a list",
    "data.state_json_names_data": "state.json names the data file '{name}', which is missing",
    "data.too_large_datasets_metadata": "{name} is too large to be datasets metadata",
    "data.expected_text_column": "a text column next to the labels, such as text or sentence",
    "data.only_label_column":
        "{file} holds only a label column ({columns}): there is no text to learn from",
    "data.expected_class": "a class name or number",
    "data.expected_tag": "a tag name or number",
    "data.nonfinite_label": "NaN or infinite label in column '{column}'",
    "data.nonfinite_not_text": "the number {value} where text was expected",
    "data.nonfinite_tag": "NaN or infinite tag",
    "data.nul_in_text": "NUL characters (binary data) in the text",
    # ---- values of any field ---------------------------------------------------------------------
    "value.missing": "missing",
    "value.file_not_found": "file not found",
    "value.one_of": "one of {choices}",
    "value.at_least": "must be >= {low}",
    "value.above": "must be > {low}",
    "value.fraction": "must be at least 0 and below 1",
    "value.at_most": "must be <= {high}",
    "value.not_a_choice": "not a valid choice",
    "value.bad_regex": "not a valid regular expression ({error})",
    "value.nothing": "nothing",
    # ---- value types -----------------------------------------------------------------------------
    "type.wrong": "wrong type",
    "type.number": "a number",
    "type.whole_number": "a whole number",
    "type.bool": "true or false",
    "type.text": "text",
    "type.names": "a list of names",
    "type.modules": "a list of module names or one regular expression",
    "type.name_mapping": "a mapping of names to text",
    "type.names_text_or_numbers": "a list of names (text or numbers; quote true/false)",
    # ---- files -----------------------------------------------------------------------------------
    "file.cannot_read": "cannot read: {error}",
    "file.not_valid": "not valid {kind}: {error}",
    # ---- the run file's structure (config.py) ----------------------------------------------------
    "config.run_file": "(run file)",
    "config.must_be_mapping": "must be a mapping",
    "config.must_be_sections": "must be a mapping of sections",
    "config.unknown_field": "unknown field",
    "config.unknown_section": "unknown section",
    "config.method_mapping": "must be a mapping with a name",
    "config.expected_method_id": "a method id, e.g. lora",
    "config.at_most_mib": "at most {value} MiB",
    "config.folder_not_run_file": "is a folder, not a run file",
    "config.mib_run_file_few":
        "is {value:.1f} MiB; a run file is a few kilobytes, so it was not read",
    "config.must_finite_number": "must be a finite number",
    "config.not_regular_file_pipe":
        "is not a regular file (a pipe, socket or device), so it was not read",
    "config.not_valid_run_file": "not a valid run file: {where}{error}",
    "config.path": "the path {fault}",
    "config.whole_number_that_fits": "a whole number that fits in 64 bits",
    "config.yaml_yml_json_file": "a .yaml, .yml or .json file",
    # ---- methods (methods.py) --------------------------------------------------------------------
    "method.unknown_id": "Unknown method '{method}'. Known methods: {known}.",
    "method.unknown": "unknown method",
    "method.not_for_task": "{method} is not offered for {task}: {reason}",
    "method.reason_supports_tasks": "it supports {tasks}",
    "method.reason_prefix_seq2seq":
        "on T5/mT5 generation disagrees with the forward pass used in training",
    "method.reason_virtual_tokens_shift_labels": "the virtual tokens shift the token labels",
    "method.reason_gpt2_conv1d": "peft's version cannot wrap GPT-2's Conv1D layers",
    "method.expected_method_for": "a method for {task}",
    "method.bitfit_no_bias": "BitFit trains only bias terms, and this model ({family}) has none",
    "method.not_for_family": "{method} supports {families}; this model is {family}",
    "method.not_for_family_because":
        "{method} supports {families}; this model is {family} ({reason})",
    "method.takes_no_params": "{method} takes no parameters",
    "method.unknown_param": "unknown parameter for {method}",
    "method.unknown_param_did_you_mean": "unknown parameter for {method}; did you mean '{name}'?",
    "method.oft_exactly_one":
        "set exactly one of r and oft_block_size to a non-zero value (the other follows from "
        "the layer width)",
    "method.boft_exactly_one":
        "set exactly one of boft_block_size and boft_block_num to a non-zero value",
    "method.target_r_above_init_r": "must not exceed init_r (ranks only shrink)",
    "method.init_text_needed": "is needed when init is 'text'",
    "method.expected_init_text": "some text, e.g. a description of the task",
    "method.ff_not_subset": "must be a subset of target_modules",
    "method.expected_names_from": "names from {names}",
    "method.targets_match_nothing": "matches no module of a {family} model",
    "method.expected_names_such_as": "names such as {names}",
    "method.exceeds_layers": "exceeds the model's layers",
    "method.adalora_no_steps_left": "tinit + tfinal must leave steps for reallocating ranks",
    "method.expected_tinit_tfinal": "tinit + tfinal < {steps} (training.max_steps)",
    "method.adalora_needs_total_number":
        "AdaLoRA needs the total number of training steps before the model is built.",
    "method.adalora_s_tinit_tfinal":
        "AdaLoRA's tinit + tfinal must be smaller than the {total_steps} training steps of this "
        "run.",
    "method.llama_adapter_needs_model":
        "LLaMA-Adapter needs the model's number of layers when adapter_layers is not set.",
    "method.prompt_tuning_from_text": "Prompt tuning from text needs the model's tokenizer folder.",
    # ---- validation ------------------------------------------------------------------------------
    "validate.crashed": "could not be checked: {error}",
    "validate.seed_range": "a whole number from 0 to {high}",
    # ---- model folders ---------------------------------------------------------------------------
    "model.expected_folder_or_hub_id": "a local model folder or a hub id such as org/name",
    "model.no_tokenizer": "the folder has no tokenizer files, so its text cannot be encoded",
    "model.expected_tokenizer": "tokenizer.json or tokenizer_config.json next to config.json",
    # ---- tasks -----------------------------------------------------------------------------------
    "task.unknown": "unknown task",
    "task.not_for_model": "this model ({family}, {kind}) cannot do {task}",
    "task.name_causal_lm": "text generation",
    "task.name_seq2seq": "sequence-to-sequence generation",
    "task.name_seq_cls": "sequence classification",
    "task.name_token_cls": "token classification",
    # ---- training settings -----------------------------------------------------------------------
    "training.float16_base_weights":
        "{method} trains the base weights themselves, and float16 weights cannot be trained "
        "without loss scaling, which this stack lacks",
    "training.lr_range": "must be between 0 and 1, exclusive",
    "training.lr_expected": "e.g. 1e-4 to 1e-3 for adapters",
    "training.unknown_scheduler": "unknown scheduler",
    "training.unknown_metric": "unknown metric",
    "training.no_accuracy_for_task": "accuracy is not measured for {task}",
    "training.expected_loss_metric": "eval_loss or perplexity",
    "training.unknown_dtype": "unknown precision",
    "training.expected_dtype": "float32 or float16",
    "training.bfloat16_on_cpu":
        "bfloat16 is refused on CPU: MindSpore 2.7 has no bfloat16 CPU kernels (Gather, MatMul); "
        "set device to gpu or ascend to use it",
    # ---- devices ---------------------------------------------------------------------------------
    "device.unknown": "unknown device",
    # ---- model folders (modelinfo.py) ------------------------------------------------------------
    "modelinfo.cannot_read": "Cannot read {file}: {error}.",
    "modelinfo.file_model_folder_that":
        "{model} is a file; a model is a folder that holds config.json.",
    "modelinfo.folder_no_config_json":
        "The folder {folder} has no config.json, so it is not a Hugging Face model folder.",
    "modelinfo.model_folder_not_exist":
        "The model folder {model} does not exist, and it is not a hub id (org/name) either.",
    "modelinfo.no_model_given_name":
        "No model was given: name a local model folder or a Hugging Face hub id such as org/name.",
    "modelinfo.not_describe_model_neither":
        "{file} does not describe a model: it has neither model_type nor architectures.",
    "modelinfo.not_valid_json_line":
        "{file} is not valid JSON (line {lineno}, column {colno}: {detail}).",
    "modelinfo.mib_model_s_config":
        "{file} is {value} MiB; a model's config.json is a few kilobytes, so it was not read.",
    "modelinfo.model_folder_not_exist_2":
        "The model folder {model} does not exist (a local path is never looked up on the hub).",
    "modelinfo.not_folder_pipe_socket":
        "{model} is not a folder (a pipe, socket or device); a model is a folder that holds "
        "config.json.",
    "modelinfo.not_regular_file_pipe":
        "{file} is not a regular file (a pipe, socket or device), so it was not read.",
    "modelinfo.not_usable_config_json": "{file} is not a usable config.json: {error}.",
    "modelinfo.unusable_model": "{file} does not describe a usable model: {faults}.",
    "modelinfo.shown_list": "a list",
    "modelinfo.shown_mapping": "a mapping",
    "modelinfo.bad_architectures":
        "architectures must be a list of class names such as [\"LlamaForCausalLM\"], found "
        "{found}",
    "modelinfo.model_type_not_text": "model_type must be text such as \"llama\", found {found}",
    "modelinfo.unknown_model_type":
        "model_type \"{model_type}\" is not a model type that Hugging Face transformers knows; "
        "PEFT Studio supports the families {families} (and other transformers models, untested)",
    "modelinfo.bad_encoder_decoder_flag": "is_encoder_decoder must be true or false, found {found}",
    "modelinfo.bad_size": "{key} is {found}, but it must be a whole number of at least 1",
    "modelinfo.hidden_not_divisible":
        "the hidden size {hidden} does not divide into {heads} attention heads",
    "modelinfo.kv_heads_not_divisible":
        "{heads} attention heads cannot be shared by {kv} key/value heads (num_key_value_heads "
        "must divide num_attention_heads)",
    "config.expected_text_quoted": "text (quote it: {key}: \"{value}\")",
    # ---- the run store ---------------------------------------------------------------------------
    "store.cannot_create_folder_run": "Cannot create the folder for the run store {path}: {error}",
    "store.cannot_open_run_store":
        "Cannot open the run store {path} for writing ({error}). Check that the folder exists "
        "and is writable, or set PEFT_STUDIO_HOME to another folder.",
    "store.matches_runs_give_id": "'{ref}' matches {count} runs; give the id:",
    "store.no_run_given": "No run given.",
    "store.no_run_matches": "No run matches '{ref}'. `peft-studio runs list` shows them.",
    "store.no_run_matches_near": "No run matches '{ref}'. Did you mean one of these?",
    "store.run_store_not_readable":
        "The run store {path} is not a readable SQLite database ({error}). It was left as it is: "
        "move it aside (or restore a backup) and PEFT Studio will start a new, empty store, or "
        "set PEFT_STUDIO_HOME to use another folder.",
    "store.run_store_stayed_locked":
        "The run store {path} stayed locked for {seconds:.0f} s: another PEFT Studio process is "
        "writing to it. Try again; if it keeps happening, close other PEFT Studio windows and "
        "trainings.",
    "store.run_store_written_by":
        "The run store {path} was written by a newer PEFT Studio (schema version {version}; this "
        "version understands up to {supported}). It was left as it is: update PEFT Studio, or "
        "set PEFT_STUDIO_HOME to use another folder.",
    "store.run_with_id_already": "A run with id {run_id} already exists in {path}.",
    "store.sqlite_database_but_not":
        "{path} is an SQLite database, but not a PEFT Studio run store. It was left as it is: "
        "move it aside, or set PEFT_STUDIO_HOME to use another folder.",
    "store.there_no_conversation": "There is no conversation {id}.",
    "store.there_no_run": "There is no run {run_id}.",
    "store.there_no_run_2": "There is no run {run_id} in {path}.",
    "store.there_no_run_deleted": "There is no run {run_id} (was it deleted?).",
    "store.with_candidates": "{message}\n{candidates}",
    "store.matches_runs_by_name":
        "'{ref}' matches {count} runs by name; give the id of the one you mean:",
    "store.matches_runs_by_start":
        "'{ref}' matches {count} runs by the start of the id; give more of the id:",
    "store.too_short_pick_run":
        "'{ref}' is too short to pick a run by the start of its id: give at least {count} "
        "characters of the id, or the whole id or name. It starts the id of:",
    "store.cannot_record_run": "Cannot record the run: {given}.",
    "store.cannot_write_run_store_2":
        "Cannot write the run store {path}: {error}. The change was not saved and the store is "
        "as it was before it. Free some disk space (or check the disk and the file size limit) "
        "and try again.",
    "store.no_run_matches_run":
        "No run matches '{ref}' ({what}; a run is named by its id, such as 20260101-120000-ab12, "
        "its name or its output folder).",
    "store.run_store_so_cannot":
        "The run store {path} is {kind}, so it cannot hold the run history. It was left as it "
        "is: move it aside and PEFT Studio will start a new, empty store, or set "
        "PEFT_STUDIO_HOME to use another folder.",
    "store.there_no_evaluation": "There is no evaluation {evaluation_id}.",
    "config.shown_big_number": "a number of {bits} bits",
    "config.shown_many_items": "a {kind} of {count} items",
    "config.path_nul": "contains a NUL character, which no path can hold",
    "config.path_too_long": "is {size:,} bytes long; a path is at most {limit:,}",
    "config.path_name_too_long":
        "holds a name of {size:,} bytes; a file or folder name is at most {limit}",
    "config.path_unknown_user": "starts with {home}, the home folder of an unknown user",
    "weightsafety.pickle_only":
        "{folder} holds its weights only as pickle files ({files}). Loading a pickle can run any "
        "code its author put in it, so the studio reads safetensors only. Convert the weights in "
        "a PyTorch environment, in that folder: {command}. Or, only if you trust where the "
        "files come from, allow pickle weights (run file: allow_pickle_weights: true; command "
        "line: --allow-pickle-weights; window: the \"Allow pickle weights\" checkbox); they are "
        "then read by a restricted loader that accepts tensors only.",
    "weightsafety.pickle_only_sharded":
        "{folder} holds its weights only as pickle files ({files}). Loading a pickle can run any "
        "code its author put in it, so the studio reads safetensors only. Convert the weights in "
        "a PyTorch environment, in that folder: {command}. For sharded weights, convert each "
        "shard, or load the model in PyTorch and save it with save_pretrained(folder, "
        "safe_serialization=True). Or, only if you trust where the "
        "files come from, allow pickle weights (run file: allow_pickle_weights: true; command "
        "line: --allow-pickle-weights; window: the \"Allow pickle weights\" checkbox); they are "
        "then read by a restricted loader that accepts tensors only.",
    "modeltree.bin_note":
        "This model is saved as pytorch_model.bin, which cannot be read without loading it; the "
        "module names of its family are shown instead, without shapes.",
    "modeltree.hub_note":
        "This is a Hugging Face hub id: the model will be downloaded when training starts (needs "
        "network).",
    "modeltree.hub_note_cached":
        "This is a Hugging Face hub id: the model will be downloaded when training starts (needs "
        "network). The details shown come from the local Hugging Face cache.",
    "modeltree.not_downloaded": "The module tree is not known until the model is downloaded.",
    "verify.timeout": "reloading the export took longer than {seconds} s",
    "verify.does_not_load": "the exported folder does not load in a fresh process: {reason}",
    "verify.shape_differs":
        "the reloaded model gives logits of shape {theirs}, the studio's model {ours}",
    "verify.non_finite": "the reloaded model gives non-finite logits",
    "verify.disagrees": "the reloaded model disagrees with the studio's",
    "store.kind_folder": "a folder",
    "store.kind_not_regular": "not a regular file (a pipe, socket or device)",
    "store.ref_characters": "{count:,} characters",
    "store.ref_nul": "a NUL character",
    "store.orphan_run": "the training process ended without reporting (killed or crashed)",
    "store.cannot_rename": "Cannot rename the run: {reason}.",
    # ---- stored records that cannot be read (records) ------------------------------------------
    "records.damaged":
        "The stored record of {what} is damaged: its {column} is not readable JSON ({detail}). "
        "{remedy}",
    "records.what_run": "run {id} ({name})",
    "records.what_checkpoint": "checkpoint {step} of run {run_id}",
    "records.what_export": "an export of run {run_id}",
    "records.what_conversation": "the conversation '{title}'",
    "records.not_object": "a {kind}, not an object",
    "records.not_list": "a {kind}, not a list",
    "records.remedy_run":
        "The other runs are not affected; `peft-studio runs delete {run_id}` removes this one.",
    "records.remedy_conversation":
        "The other conversations are not affected; this one is left out of the Playground's "
        "history.",
    # ---- run names (names) ---------------------------------------------------------------------
    "names.not_text": "a run name must be text, not {kind}",
    "names.empty": "a run name cannot be empty",
    "names.too_long": "a run name is at most {limit} characters (this one has {length:,})",
    "names.unnamed_control": "control character",
    "names.control_character":
        "a run name cannot contain control characters; this one has {code} ({name}) at "
        "position {position}",
    # ---- run folders -----------------------------------------------------------------------------
    "runfiles.could_not_delete_run": "Could not delete {folder}: {error}. The run was not deleted.",
    "runfiles.is_link":
        "it is a symbolic link (to {target}), and the studio never deletes through one",
    "runfiles.not_run_folder": "it is not a run output folder",
    "runfiles.not_this_runs_folder":
        "it is not the output folder the studio made for run {run} (it has no {marker} marker of "
        "that run)",
    "runfiles.refusing_delete_run_not":
        "Refusing to delete {folder}: {refusal}. The run was not deleted; remove the files by "
        "hand if you mean to.",
    # ---- starting and resuming runs --------------------------------------------------------------
    "runner.interrupted": "interrupted before training could stop cleanly",
    "runner.run_still_running_process": "run {id} is still running (process {pid})",
    "runner.restarting": "run {id} has no checkpoint; starting it again from step 0",
    "runner.resuming": "resuming run {id} from step {step}",
    "runner.run_cannot_resumed": "run {id} cannot be resumed: {refusal}",
    "runner.run_no_output_folder": "run {id} has no output folder to continue in",
    # ---- devices at run time ---------------------------------------------------------------------
    "runtime.cannot_switch_process": "cannot switch this process to {device}: {error}",
    "runtime.device_not_available_on":
        "device '{requested}' is not available on this machine (available: {available})",
    # ---- the training loop -----------------------------------------------------------------------
    "engine.dataset_no_training_examples": "the dataset has no training examples after preparation",
    "engine.early_stopping_keeping_best": "early stopping: keeping the best weights (step {step})",
    "engine.early_stopping_not_improved":
        "early stopping: {name} has not improved for {evals} evaluations (best {best:.4f} at "
        "step {step}, {mode} is better)",
    "engine.loading": "loading {model} for {task}",
    "engine.loss_became_at_step":
        "the loss became {loss} at step {step}; try a lower learning rate or float32 weights",
    "engine.method_left_no_trainable": "the method left no trainable parameters in this model",
    "engine.no_gradients_reached_trainable": "no gradients reached the trainable parameters",
    "engine.out_of_memory": "out of memory: try a smaller batch size or max_length",
    "error.internal": "internal error: {error}",
    "engine.preparing_data_from": "preparing data from {path}",
    "engine.resumed_from_at_step": "resumed from {checkpoint} at step {step}",
    # ---- loading models --------------------------------------------------------------------------
    "modeling.bitfit_trains_bias_terms": "BitFit trains bias terms, and this model has none",
    "modeling.cannot_applied_model": "{method} cannot be applied to this model: {error}",
    "modeling.cannot_load_model_from": "cannot load the model from {path}: {error}",
    "modeling.cannot_load_tokenizer_from": "cannot load the tokenizer from {path}: {error}",
    "modeling.cannot_loaded_task": "{path} cannot be loaded for task {task}: {error}",
    "modeling.checkpoint_not_fit_model":
        "checkpoint does not fit this model: {count} tensors have no place in it, e.g. {missing}",
    "modeling.classification_run_needs_label":
        "a classification run needs label names from the dataset",
    "modeling.tokenizer_neither_pad_nor":
        "the tokenizer in {path} has neither a pad nor an eos token",
    # ---- the module tree -------------------------------------------------------------------------
    "modeltree.checkpoint_incomplete_missing":
        "The checkpoint in {folder} is incomplete: {missing} missing.",
    "modeltree.damaged_safetensors_header": "{file} has a damaged safetensors header.",
    "modeltree.holds_no_model_weights":
        "{folder} holds no model weights (model.safetensors or pytorch_model.bin).",
    "modeltree.not_safetensors_file_header":
        "{file} is not a safetensors file (header of {length} bytes).",
    "modeltree.not_valid_checkpoint_index": "{index} is not a valid checkpoint index.",
    "modeltree.tensor_no_valid_shape": "{file}: tensor {name} has no valid shape.",
    "modeltree.too_short_safetensors_file": "{file} is too short to be a safetensors file.",
    # ---- joining texts ---------------------------------------------------------------------------
    "text.lines": "{first}\n{rest}",
    "text.indented": "  {text}",
    "text.comma": "{first}, {rest}",
    "text.semicolons": "{first}; {rest}",
    "text.colon": "{first}: {rest}",
    # ---- folders the studio may write ------------------------------------------------------------
    "ownership.holds_files":
        "{folder} already holds files; choose a new or empty folder, or continue the run that "
        "wrote them with `peft-studio train --resume`",
    "ownership.holds_store":
        "{folder} holds the studio's own data (the run store); choose a new folder for this "
        "run's files",
    "ownership.is_file": "{folder} is a file, not a folder",
    "ownership.is_home": "{folder} is your home folder; choose a new folder for this run's files",
    "ownership.is_root":
        "{folder} is the filesystem root; choose a new folder for this run's files",
    "ownership.is_runs_folder":
        "{folder} is the folder that holds every run's output folder; choose a new folder for "
        "this run's files",
    # ---- checkpoints -----------------------------------------------------------------------------
    "checkpoints.all_damaged":
        "every checkpoint of this run is damaged, so it cannot be resumed:\n{reasons}",
    "checkpoints.damaged": "checkpoint {checkpoint} is damaged: {file}: {why}",
    "checkpoints.file_missing": "the file is missing",
    "checkpoints.set_aside": "{checkpoint} set aside as {renamed}; resuming from step {step}",
    "checkpoints.trying_previous": "{problem}; trying the checkpoint before it",
    "checkpoints.unexpected_tensor": "unexpected tensor {name}",
    # ---- inference and the Playground ------------------------------------------------------------
    "inference.adapter_config_json_but":
        "{folder} has adapter_config.json but no adapter weights ({weights}); the folder is "
        "incomplete",
    "inference.base_model_not_loaded": "the base model is not loaded yet (call load() first)",
    "inference.bitfit_config_json_but":
        "{folder} has bitfit_config.json but no bitfit_model.safetensors",
    "inference.cannot_do": "{model} ({model_type}) cannot do {task}",
    "inference.cannot_load_adapter": "cannot load the adapter in {path}: {name}: {error}",
    "inference.cannot_read": "cannot read {file}: {error}",
    "inference.cannot_use_conversation": "cannot use this conversation: {error}",
    "inference.chat_template_cannot_render":
        "the chat template cannot render this conversation: {error}",
    "inference.checkpoint_holds_no_adapter":
        "the checkpoint {files} holds no adapter files; only PEFT checkpoints (an adapter/ "
        "folder) and BitFit checkpoints can be loaded. Use the run's final result instead.",
    "inference.conversation_ends_with_answer":
        "the conversation ends with an answer; add a user message first",
    "inference.file_adapter_folder_holding":
        "{text} is a file; an adapter is a folder holding adapter_config.json and its weights.",
    "inference.folder_not_exist": "The folder {text} does not exist.",
    "inference.hint_checkpoints":
        " It holds checkpoints (steps {steps}): choose one of those, e.g. {example}.",
    "inference.holds_no_adapter_expected":
        "{folder} holds no adapter: expected adapter_config.json with adapter weights (PEFT), "
        "bitfit_config.json (BitFit) or a model's config.json with weights (full "
        "fine-tuning).{hint}",
    "inference.incompatible": "{name} cannot be used with this base model: {problems}",
    "inference.model_loaded_use_classify": "this model is loaded for {task}: use classify()",
    "inference.no_adapter_given_name": "No adapter given: name a run, RUN@STEP or a folder.",
    "inference.no_adapter_named_loaded": "no adapter named {name} is loaded (loaded: {known})",
    "inference.not_classifier": "this model is loaded for {task}, not sequence classification",
    "inference.not_hold_json_object": "{path} does not hold a JSON object",
    "inference.not_readable_safetensors_file": "{path} is not a readable safetensors file: {error}",
    "inference.not_seq2seq": "this model is loaded for {task}, not sequence-to-sequence generation",
    "inference.out_memory_loading": "out of memory loading {model}",
    "inference.out_memory_loading_adapter": "out of memory loading adapter {name}",
    "inference.out_memory_while_generating":
        "out of memory while generating: choose fewer new tokens, a smaller model, or another "
        "device",
    "inference.output_folder_run_gone": "the output folder of run {id} ({name}) is gone: {output}",
    "inference.prompt_empty": "the prompt is empty",
    "inference.run_no_checkpoint_at":
        "run {id} ({name}) has no checkpoint at step {step}; its checkpoints: {steps}",
    "inference.run_no_checkpoints": "run {id} ({name}) has no checkpoints",
    "inference.run_no_final_result":
        "run {id} ({name}) has no final result (status {status}); choose one of its checkpoints "
        "with {name}@STEP (steps: {steps})",
    "inference.run_no_output_folder": "run {id} ({name}) has no output folder recorded",
    "inference.run_still_training_choose":
        "run {id} ({name}) is still training; choose one of its checkpoints ({name}@STEP; steps: "
        "{steps})",
    "inference.there_no_user_message": "there is no user message to answer",
    "inference.unknown_task": "unknown task {task}",
    "inference.unreadable": "{path} is unreadable: {error}",
    "inference.whole_fine_tuned_model":
        "{name} is a whole fine-tuned model, not an adapter: open its folder ({path}) as the "
        "base model",
    "inference.adapter_name_taken": "an adapter named {name} is already loaded",
    "inference.adapter_needs_name": "an adapter needs a name",
    "inference.another_model": "another model",
    "inference.base_cannot_do_task":
        "this adapter was trained for {task}, which {base} ({model_type}, {kind}) cannot do",
    "inference.base_lacks_tensor": "the base model has no such tensor: {key}",
    "inference.base_tensor_shape": "the base model has shape {shape}, the file {file_shape}: {key}",
    "inference.describe_hidden": "hidden {size}",
    "inference.describe_layers": "{count} layers",
    "inference.describe_vocab": "vocabulary {size}",
    "inference.full_model_choose_folder":
        "{name} is a whole fine-tuned model, not an adapter: choose its folder ({path}) as the "
        "base model",
    "inference.full_model_instead_of":
        "{name} is a whole fine-tuned model, not an adapter: choose its folder ({path}) as the "
        "base model instead of {base}",
    "inference.labels_differ":
        "it predicts {count} labels ({labels}), the model was loaded with {loaded}: load the "
        "base again with this adapter's labels",
    "inference.layer_mismatch_inputs":
        "this adapter does not fit {base}: its {module} has {theirs} inputs, the base layer "
        "{ours}",
    "inference.layer_mismatch_outputs":
        "this adapter does not fit {base}: its {module} has {theirs} outputs, the base layer "
        "{ours}",
    "inference.layer_mismatch_tokens":
        "this adapter does not fit {base}: its {module} has {theirs} tokens, the base layer "
        "{ours}",
    "inference.layers_differ": "{problem} ({count} layers differ)",
    "inference.missing_layers":
        "this adapter changes {count} layer(s) that {base} does not have, e.g. {example}",
    "inference.missing_layers_deeper":
        "{problem}; the adapter was trained on a model with at least {depth} layers, {base} has "
        "{layers}",
    "inference.trained_for_other_task":
        "this adapter was trained for {trained}, but the model is loaded for {loaded}",
    "inference.trained_on_other":
        "this adapter was trained on {trained} ({trained_details}); the chosen base is {base} "
        "({base_details})",
    "inference.max_new_tokens_positive": "max new tokens must be at least 1",
    "inference.repetition_penalty_positive": "repetition penalty must be positive",
    "inference.temperature_negative": "temperature cannot be negative",
    "inference.top_k_negative": "top-k cannot be negative",
    "inference.top_p_range": "top-p must be in (0, 1]",
    "inference.loading": "loading {model}",
    "inference.loading_adapter": "loading adapter {name}",
    "inference.loading_tokenizer": "loading the tokenizer",
    "inference.ready": "ready",
    "inference.starting_mindspore": "starting MindSpore",
    # ---- export ----------------------------------------------------------------------------------
    "export.adapt_different_modules_combine":
        "{adapter} and {other} adapt different modules (e.g. {only}); combine adapters with the "
        "same target modules",
    "export.adapter_config_json_but": "{folder} has adapter_config.json but no adapter weights",
    "export.adapter_not_load_onto": "the adapter in {folder} does not load onto {base}: {error}",
    "export.adapter_not_say_which":
        "the adapter does not say which base model it belongs to (base_model_name_or_path is "
        "empty)",
    "export.adapter_s_method_not":
        "this adapter's method ({peft_type}) is not one the studio knows",
    "export.adapters_do_not_load": "the adapters do not load together onto {other_base}: {error}",
    "export.already_holds_files_choose":
        "{final} already holds files; choose an empty folder, or replace its contents with "
        "overwrite (--overwrite)",
    "export.also_trains_whole_modules":
        "{adapter} also trains whole modules ({modules}); those cannot be combined",
    "export.cannot_read": "cannot read {file}: {error}",
    "export.cannot_store_dtype_safetensors": "{name}: cannot store dtype {dtype} in safetensors",
    "export.cannot_tell_labels_result":
        "cannot tell the labels of this {task} result: its dataset is gone and it holds no "
        "classifier head",
    "export.checkpoint_whose_run_unknown":
        "{folder} is a checkpoint whose run is unknown; export the run (RUN@step) or its adapter "
        "folder instead",
    "export.checkpoints_at_steps": "its checkpoints are at steps {steps}",
    "export.combination_must_one_not": "combination must be one of {choices}, not {combination}",
    "export.different_tasks": "{adapter} is for {task}, {other} for {other_task}",
    "export.dora_adapter_add_weighted":
        "{adapter} is a DoRA adapter; add_weighted_adapter does not combine DoRA's magnitude "
        "vectors",
    "export.dtype_must_one_not": "dtype must be one of {dtypes}, not {dtype}",
    "export.export_a_checkpoint": "export one of its checkpoints instead, e.g. {example}",
    "export.file_not_folder_choose":
        "{final} is a file, not a folder; choose a folder to export into",
    "export.give_at_least_one": "give at least one adapter to combine",
    "export.hint_run_folder":
        "; it is a run folder without a final result: export one of its checkpoints (RUN@STEP or "
        "its checkpoints/step-N folder)",
    "export.holds_neither_adapter_adapter":
        "{folder} holds neither an adapter (adapter_config.json), a BitFit patch "
        "(bitfit_config.json) nor a model (config.json){hint}",
    "export.holds_values_beyond_float16":
        "{name} holds values beyond float16's range (max |x| {value:.4g} > 65504); export in "
        "bfloat16 or float32 instead",
    "export.linear_combination_needs_equal":
        "a linear combination needs equal ranks, and these adapters have ranks {ranks}; use cat "
        "or svd",
    "export.linear_combination_needs_positive":
        "{adapter}: a linear combination needs positive weights (it scales A and B by "
        "sqrt(weight)); use cat or svd for {weight:g}",
    "export.no_adapter_model_safetensors": "{adapter}: no adapter_model.safetensors in {folder}",
    "export.no_checkpoints": "it has no checkpoints",
    "export.no_checkpoints_either": "it has no checkpoints either",
    "export.not_enough_free_disk":
        "not enough free disk space in {where}: this export needs about {needed}, and {free} is "
        "free. Free some space or export to another disk (a smaller dtype halves a merged model)",
    "export.not_folder_no_run": "{text} is not a folder, and no run store was given to look it up",
    "export.not_json_object": "{file} is not a JSON object",
    "export.not_size_write_2gb": "'{size}' is not a size; write e.g. 2GB, 500MB or 1GiB",
    "export.nothing_export_give_run": "nothing to export: give a run or a folder",
    "export.peft_could_not_combine": "peft could not combine these adapters: {error}",
    "export.peft_could_not_merge": "peft could not merge this {method} adapter: {error}",
    "export.refusing_export_into_choose":
        "refusing to export into {final}: choose a new, dedicated folder",
    "export.refusing_export_into_holds":
        "refusing to export into {final}: it holds what is being exported ({source}); choose "
        "another folder",
    "export.result_only_lora_adapters":
        "{adapter} is a {method} result; only LoRA adapters (LoRA, rsLoRA) can be combined",
    "export.run_no_checkpoint_at": "run {run} has no checkpoint at step {step}; {have}",
    "export.run_no_final_result": "run {run} ({status}) has no final result in {output}; {hint}",
    "export.run_no_output_folder": "run {run} has no output folder",
    "export.shard_size_must_positive": "the shard size must be positive, not {size}",
    "export.svd_rank_positive_rank": "svd_rank is a positive rank for the svd combination only",
    "export.trained_on_on_combine":
        "{adapter} was trained on {base}, {other} on {other_base}; combine adapters of the same "
        "base model",
    "export.weight_must_number_not": "{adapter}: the weight must be a number, not {weight}",
    "export.is_run_folder": "it is a run's output folder",
    "export.not_an_export": "PEFT Studio did not export into it (it has no {marker} marker)",
    "export.refusing_overwrite_overwrite_replaces":
        "refusing to overwrite {final}: {what}, and overwrite replaces only an earlier export. "
        "Choose an empty folder, or move its contents away yourself",
    "export.refusing_overwrite_symbolic_link":
        "refusing to overwrite {given}: it is a symbolic link (to {final}); overwrite replaces "
        "only a real folder the studio exported into. Give the folder itself, or choose an empty "
        "one",
    "export.adapter_weights": "adapter weights",
    "export.combining": "combining ({combination})",
    "export.config_tokenizer_model_card": "config, tokenizer and model card",
    "export.done_not_verified": "exported to {folder} (not verified)",
    "export.loading": "loading {adapter}",
    "export.loading_adapters_onto": "loading {count} adapters onto {base}",
    "export.loading_onto": "loading {adapter} onto {base}",
    "export.looking_up": "looking up {source}",
    "export.looking_up_adapters": "looking up the adapters",
    "export.merging_adapter": "merging the {method} adapter into the weights",
    "export.merging_bitfit": "the trained biases are in place",
    "export.merging_full": "the model is whole already",
    "export.reloading_export_fresh_process": "reloading the export in a fresh process",
    "export.tokenizer_model_card": "tokenizer and model card",
    "export.verification_error": "verification failed: {error}",
    "export.verification_failed":
        "verification FAILED: max |logit difference| {diff:.3g} (tolerance {tolerance:.3g}, "
        "{dtype}, {samples} samples)",
    "export.verification_passed":
        "verification passed: max |logit difference| {diff:.3g} (tolerance {tolerance:.3g}, "
        "{dtype}, {samples} samples)",
    "export.writing_shard": "writing shard {index}/{count} ({file})",
    "export.bitfit_not_adapter":
        "a BitFit result is a patch of bias values, not a PEFT adapter; export it as a merged "
        "model (the base model with the trained biases)",
    "export.cannot_merge":
        "{method} cannot be merged into the model: {why}. Export the adapter instead: it loads "
        "on top of the base model with PEFT.",
    "export.full_not_adapter":
        "full fine-tuning produced a whole model, not an adapter; export it as a merged model "
        "(in the dtype of your choice)",
    "export.unmergeable": "peft cannot merge it into the base weights",
    "export.unmergeable_adaption_prompt":
        "its gated prompts are added inside the attention layers; they are not a change to any "
        "weight",
    "export.unmergeable_p_tuning":
        "its prompt encoder makes virtual tokens that are put in front of every input; they are "
        "not a change to any weight",
    "export.unmergeable_prefix_tuning":
        "its trained key/value prefixes are put in front of every attention layer's inputs; they "
        "are not a change to any weight",
    "export.unmergeable_prompt_tuning":
        "its trained virtual tokens are put in front of every input; they are not a change to "
        "any weight",
    # ---- training events as lines for people -----------------------------------------------------
    "event.checkpoint": "checkpoint @ step {step}: {path}",
    "event.error": "error: {message}",
    "event.eval": "eval @ step {step}: {metrics}",
    "event.finished": "finished ({status}) at step {step}: {folder}",
    "event.run_started":
        "run {run} ({method}, {task}) on {device}: {trainable:,} of {total:,} parameters "
        "trainable, {steps} steps -> {folder}",
    "event.run_started_workers":
        "run {run} ({method}, {task}) on {device}: {trainable:,} of {total:,} parameters "
        "trainable, {steps} steps on {workers} workers -> {folder}",
    # ---- worker ----------------------------------------------------------------------------------
    "worker.exit_code": "exit code {code}",
    "worker.export_ended": "the export process ended unexpectedly ({how})",
    "worker.killed_by_named_signal": "killed by signal {number} ({name})",
    "worker.killed_by_signal": "killed by signal {number}",
    "worker.maybe_out_of_memory": "{how}; the system may have run out of memory",
    "worker.training_ended": "the training process ended unexpectedly ({how})",
    # ---- pickle weights (weightsafety, pickleload) -------------------------------------------
    "weights.a_weights_file": "a weights file",
    "weights.the_weights_file": "the weights file",
    "weights.pickle_refused":
        "{name} is a pickle file, and loading a pickle can run any code its author put in it; "
        "the studio reads safetensors only unless pickle weights are allowed",
    "weights.tensor_without_data": "a tensor in the file does not point at stored data",
    "weights.tensor_bad_layout": "a tensor in the file has an invalid shape or layout",
    "weights.tensor_past_end": "a tensor in the file reaches past the end of its data",
    "weights.asks_to_run":
        "{file} asks to run {name} while it is loaded, which a weights file never needs: "
        "refused, and nothing from the file was run. Do not use this file; if you trust its "
        "origin, convert it to safetensors with PyTorch.",
    "weights.unknown_data_form": "{file} refers to data in a form weights never use",
    "weights.not_zip":
        "{file} is not in PyTorch's zip format (it may be the legacy format from before "
        "PyTorch 1.6, or not a PyTorch file at all); the studio reads only the zip format. "
        "Convert it to safetensors with PyTorch.",
    "weights.zip_not_torch": "{file} is a zip file but not one written by torch.save",
    "weights.missing_record": "{file} names tensor data {key} that it does not hold",
    "weights.damaged": "{file} is damaged or not a weights file: {error}",
    # ---- the hub and downloads (hub, download) -----------------------------------------------
    "hub.modelscope_missing":
        "ModelScope is chosen as the download source, but its client is not installed: "
        "pip install modelscope-hub (or choose Hugging Face)",
    "download.gated":
        "{model} on {endpoint} is gated: accept its terms on the hub and log in "
        "(huggingface-cli login) first",
    "download.no_such_model": "there is no model {model} on {endpoint} (or it is private)",
    "download.no_such_revision": "{model} on {endpoint} has no such revision",
    "download.unreachable":
        "{model} is not in the local Hugging Face cache, and the hub cannot be reached "
        "({endpoint})",
    "download.failed": "cannot download {model} from {endpoint}: {error}",
    "download.offline": "{model}: HF_HUB_OFFLINE is set, so nothing is downloaded; only what "
                        "the local cache holds is used",
    "download.pickles_only":
        "{model} on {endpoint} has its weights only as pickle files ({files}), which can run "
        "code when loaded; the studio downloads safetensors only unless pickle weights are "
        "allowed (--allow-pickle-weights, or allow_pickle_weights: true in the run file)",
    "download.no_config":
        "{model} on {endpoint} has no config.json: it is not a model the studio can load",
    "download.no_files": "{model} has no files to download",
    "download.offline_not_cached":
        "{model} is not in the local Hugging Face cache, and HF_HUB_OFFLINE is set, so it "
        "cannot be downloaded",
    "download.offline_not_cached_modelscope":
        "{model} is not in the local ModelScope cache ({cache}), and HF_HUB_OFFLINE is set, "
        "so it cannot be downloaded",
    "download.modelscope_denied":
        "{model} on {endpoint} needs a ModelScope login: set MODELSCOPE_API_TOKEN to an "
        "access token of your ModelScope account",
    "download.modelscope_unreachable": "cannot reach {endpoint} to download {model}: {error}",
    # ---- YAML and JSON with bounds (parsing) --------------------------------------------------
    "parse.too_deep": "nested more than {limit} levels deep (lists or mappings inside each other)",
    "parse.endless_alias":
        "the alias *{name} refers to the value that contains it, which would make it endless",
    "parse.alias_bomb":
        "its aliases (*name) expand to more than {limit} values; a file like this is an attack "
        "(\"billion laughs\"), not a settings file",
    "parse.value_unreadable": "the value {value} cannot be read ({error})",
    "parse.a_value_unreadable": "a value cannot be read ({error})",
    "parse.number_too_large": "the number {value} is too large (over 300 digits)",
    "parse.key_twice_lines":
        "the key '{key}' is given twice, on line {first} and on line {second}; keep one of them",
    "parse.not_json_constant":
        "{name} is not valid JSON (JSON has no NaN or infinite numbers; use null or leave the "
        "value out)",
    "parse.number_too_long": "holds a number too long to read ({error})",
    "parse.key_twice_object": "the key '{key}' is given twice in one object; keep one of them",
    "parse.key_twice_object_lines":
        "the key '{key}' is given twice in one object, on line {first} and on line {second}; "
        "keep one of them",
    # ---- evaluation on a held-out file (evaluate) ---------------------------------------------
    "evaluate.token_cls_unsupported":
        "evaluating token classification on a file is not supported yet; its validation "
        "accuracy is reported during training",
    "evaluate.max_samples": "--max-samples must be at least 1 (got {value})",
    "evaluate.unknown_labels":
        "labels the model was not trained on: {unknown} (it knows {known})",
    "evaluate.chat_needs_pair":
        "a chat row needs a user turn followed by an assistant turn to compare with",
    "evaluate.predictions_suffix":
        "{file}: the predictions file must end in .jsonl or .csv (found {suffix})",
    "evaluate.no_suffix": "no suffix",
    "evaluate.cannot_write": "cannot write {file}: {error}",
    "evaluate.cannot_read_predictions": "cannot read the predictions file {file}: {error}",
    "evaluate.not_predictions":
        "{file} is not a predictions file written by PEFT Studio ({error})",
    "evaluate.batch_size": "the batch size must be at least 1 (got {value})",
    "evaluate.class_count":
        "the model predicts {count} classes but the file's labels are {labels} ({names})",
    # ---- several workers (distributed) --------------------------------------------------------
    "distributed.divide_batch":
        "must divide evenly across {workers} workers (it is the global batch of one step)",
    "distributed.multiple_of": "a multiple of {count}",
    "distributed.port": "must be a port from 1024 to 65535",
    "distributed.empty": "is empty",
    "distributed.every_address": "the address of every machine, the leader first",
    "distributed.not_a_host": "is not a host name or address",
    "distributed.same_on_hosts": "must be the same on each of the {hosts} hosts",
    "distributed.not_host_index": "is not the index of a host",
    "distributed.index_range": "0 to {last}",
    "distributed.leader_address": "the leading host's address",
    "distributed.which_host":
        "cannot tell which of distributed.hosts this machine is ({hosts}); give it with "
        "`train --node-rank N`",
    "distributed.bad_node_rank": "node rank {rank} is not the index of a host (0 to {last})",
    "distributed.frozen":
        "training with several workers (msrun) needs PEFT Studio installed with pip; the "
        "desktop app trains with one worker (set distributed.workers to 1)",
    # ---- the model server and the inference process ------------------------------------------
    "serving.busy": "the server is busy: {waiting} requests are already waiting; try again later",
    "inference.no_model_loaded": "no model is loaded in the inference process",
    # ---- the Playground's conversation and its tools (studio/core/playground) ----------------
    "playground.tools_not_json":
        "the tools are not valid JSON: {detail} at line {line}, column {column}",
    "playground.tools_not_list":
        "the tools are {kind}: expected a list of function definitions",
    "playground.tool_not_object":
        "tool {number} is {kind}: expected an object with \"type\": \"function\" and a "
        "\"function\" holding its name, description and parameters",
    "playground.tool_type":
        "tool {number} has type \"{kind}\": only \"function\" tools are supported",
    "playground.tool_function_not_object":
        "the \"function\" of tool {number} is {kind}: expected an object",
    "playground.tool_without_name": "tool {number} has no \"name\" (a non-empty string)",
    "playground.tool_name_twice": "two tools are named \"{name}\": each name must be unique",
    "playground.tool_parameters_not_object":
        "the \"parameters\" of tool {number} ({name}) are {kind}: expected a JSON Schema object",
    "playground.tool_description_not_text":
        "the \"description\" of tool {number} ({name}) is {kind}: expected a string",
    "playground.json_null": "null",
    "playground.json_boolean": "true or false",
    "playground.json_number": "a number",
    "playground.json_string": "a string",
    "playground.json_list": "a list",
    "playground.json_object": "an object",
    "playground.no_tool_call_to_answer":
        "the last answer calls no tool: a tool result answers a tool call",
    "inference.unknown_command":
        "the inference process does not know the command {op} (is it from another version of "
        "PEFT Studio?)",
    # ---- training on several workers (launcher) -----------------------------------------------
    "launcher.starting": "starting {local} of {workers} workers with msrun (logs in {folder})",
    "launcher.msrun_failed": "msrun could not start the workers: {tail}",
    "launcher.waiting": "waiting for the first host's scheduler at {address}",
    "launcher.no_scheduler":
        "no scheduler answered at {address} within {seconds} s: start the first host (node "
        "rank 0) too",
    "launcher.leader_lost":
        "the first host stopped answering (its scheduler at {address} is gone: that host "
        "failed, was stopped or was killed), so this host's workers were stopped; see the run "
        "on the first host for why, resume it there with `train --resume`, then start node "
        "{rank} again (logs here: {folder})",
    "launcher.after_finish": "after the run finished, {why}",
    "launcher.node_done": "node {rank}: every worker finished",
    "launcher.no_result": "the workers ended without a result",
    "launcher.worker_ended":
        "worker {rank} (process {pid}) {how}; every other worker was stopped (logs: {folder})",
    "launcher.worker_ended_on":
        "worker {rank} (process {pid}) on {host} {how}; every other worker was stopped (logs: "
        "{folder})",
    "launcher.killed": "was killed by {signal}",
    "launcher.killed_maybe_memory": "was killed by {signal} (out of memory, or killed by someone)",
    "launcher.exited": "exited with code {code}",
    "launcher.exited_saying": "exited with code {code}: {message}",
    "worker.download_ended": "the download process ended unexpectedly ({how})",
    "worker.evaluation_ended": "the evaluation process ended unexpectedly ({how})",
    "worker.inference_ended": "the inference process ended unexpectedly ({how})",
    "worker.server_ended": "the server process ended unexpectedly ({how})",
    "worker.store_not_updated": "(could not update the run store: {error})",
    "worker.cannot_start_training": "could not start the training process: {error}",
    "worker.cannot_start_export": "could not start the export process: {error}",
    "worker.cannot_start_evaluation": "could not start the evaluation process: {error}",
    "worker.cannot_start_download": "could not start the download process: {error}",
    "worker.cannot_start_server": "could not start the server process: {error}",
    "inference.not_running": "the inference process is not running: load the model",
    # ---- the command line (studio/cli) ---------------------------------------------------------
    "cli.run_file_or_resume": "give either a run file or --resume RUN",
    "cli.whole_model_not_adapter":
        "{name} is a whole fine-tuned model, not an adapter: give it alone, as --base {path}",
    "cli.give_base": "give --base MODEL, or --adapter with an adapter that names its base model",
    "cli.base_not_here":
        "{name} was trained on {base}, which is not on this machine; give --base MODEL",
    "cli.unknown_base": "an unknown model",
    "cli.does_not_fit": "{name} does not fit {base}:\n{problems}",
    "cli.neither_adapter_nor_model": "{target} is neither an adapter nor a model folder: {reason}",
    "cli.base_names_another": "{target} is a base model; --base {base} names another",
    "cli.batch_size": "--batch-size must be at least 1 (got {value})",
    "cli.tokenizer_not_found":
        "tokenizer folder not found (give a local tokenizer or model folder)",
    "cli.cannot_load_tokenizer": "cannot load a tokenizer: {error}",
    "cli.cannot_listen": "cannot listen on {host}:{port}: {error}",
    "cli.public_needs_key":
        "listening on {host} lets other machines use the model: give --api-key KEY (or set "
        "{variable})",
    "cli.max_queue_negative": "--max-queue must be 0 or more, not {value}",
}
