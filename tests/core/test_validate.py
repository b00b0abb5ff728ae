"""Semantic validation of run files: every kind of bad run file, each problem naming its field,
and no MindSpore anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest
from conftest import ROOT

from studio.core.config import DatasetConfig, MethodConfig, RunConfig, TrainingConfig
from studio.core.errors import ConfigError, Problem
from studio.core.validate import load_and_validate, summary, validate

CONFIGS = {
    "llama": {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32,
              "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
              "num_key_value_heads": 2, "vocab_size": 512, "hidden_act": "silu"},
    "qwen2": {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 32,
              "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 512},
    "gpt2": {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": 32,
             "n_layer": 2, "n_head": 4, "vocab_size": 512},
    "t5": {"architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "d_model": 32,
           "num_layers": 2, "num_heads": 4, "vocab_size": 512, "is_encoder_decoder": True},
    "bert": {"architectures": ["BertForSequenceClassification"], "model_type": "bert",
             "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
             "vocab_size": 512},
}


class FakeData(types.ModuleType):
    """Stands in for studio.core.data so these tests judge validate, not the data checks."""

    def __init__(self):
        super().__init__("studio.core.data")
        self.calls: list[tuple[str, str | None]] = []
        self.result: list[Problem] = []
        self.detected = "text"  # what format "auto" is read as

    def read_rows(self, cfg):
        return []

    def detect_format(self, rows, cfg):
        return types.SimpleNamespace(format=self.detected)

    def validate_dataset(self, cfg, task=None):
        self.calls.append((cfg.path, task))
        return list(self.result)


@pytest.fixture(autouse=True)
def fake_data(monkeypatch):
    fake = FakeData()
    monkeypatch.setitem(sys.modules, "studio.core.data", fake)
    return fake


@pytest.fixture
def models(tmp_path):
    def make(family: str, tokenizer: bool = True):
        folder = tmp_path / "models" / (family if tokenizer else family + "-bare")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.json").write_text(json.dumps(CONFIGS[family]))
        if tokenizer:
            (folder / "tokenizer.json").write_text("{}")
        return str(folder)

    return make


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps({"text": f"line {i}"}) + "\n" for i in range(20)))
    return str(path)


@pytest.fixture
def run(models, data_file):
    """A valid run; tests change one thing at a time."""
    def make(family="llama", method="lora", task=None, **params):
        return RunConfig(model=models(family), task=task, dataset=DatasetConfig(path=data_file),
                         method=MethodConfig(method, params), training=TrainingConfig(max_steps=5))

    return make


def fields(problems):
    return [p.field for p in problems]


def test_valid_run_has_no_problems(run, fake_data, data_file):
    assert validate(run()) == []
    assert fake_data.calls == [(data_file, "causal_lm")]


def test_rank_zero(run):
    assert [str(p) for p in validate(run(r=0))] == ["method.r: must be >= 1 (found 0)"]


def test_unknown_method_lists_every_id(run):
    problems = validate(run(method="qlora"))
    assert fields(problems) == ["method.name"]
    assert problems[0].found == "'qlora'"
    assert "lora" in problems[0].expected and "adaption_prompt" in problems[0].expected


def test_wrong_parameter_type(run):
    problems = validate(run(r="eight"))
    assert len(problems) == 1
    assert (problems[0].field, problems[0].message, problems[0].expected) == (
        "method.r", "wrong type", "a whole number")


def test_unknown_parameter(run):
    problems = validate(run(lora_rank=4))
    assert fields(problems) == ["method.lora_rank"]


def test_method_does_not_fit_family(run):
    problems = validate(run("qwen2", method="adaption_prompt"))
    assert fields(problems) == ["method.name"]
    assert "LLaMA-Adapter supports llama, gpt2; this model is qwen2" in problems[0].message


def test_method_does_not_fit_task(run):
    problems = validate(run("t5", method="prefix_tuning"))
    assert fields(problems) == ["method.name"]
    assert "seq2seq" in problems[0].message and "T5" in problems[0].message


def test_p_tuning_refused_for_token_classification(run):
    problems = validate(run("bert", method="p_tuning", task="token_cls"))
    assert fields(problems) == ["method.name"] and "labels" in problems[0].message


def test_bitfit_on_a_model_without_biases(run):
    problems = validate(run("llama", method="bitfit"))
    assert fields(problems) == ["method.name"] and "has none" in problems[0].message
    assert validate(run("gpt2", method="bitfit")) == []


def test_lycoris_on_gpt2_says_why(run):
    problems = validate(run("gpt2", method="loha"))
    assert fields(problems) == ["method.name"] and "Conv1D" in problems[0].message


def test_target_modules_that_match_nothing(run):
    problems = validate(run(target_modules=["q_prj", "v_proj"]))
    assert fields(problems) == ["method.target_modules"]
    assert problems[0].found == "q_prj" and "q_proj" in problems[0].expected


def test_target_modules_known_dotted_names_and_regex_pass(run):
    assert validate(run("gpt2", target_modules=["mlp.c_proj", "attn.c_attn"])) == []
    assert validate(run(target_modules=".*q_prj")) == []  # regexes are left to peft


def test_adapter_layers_beyond_the_model(run):
    problems = validate(run(method="adaption_prompt", adapter_layers=3))
    assert fields(problems) == ["method.adapter_layers"] and problems[0].expected == "<= 2"


def test_adalora_phases_must_fit_max_steps(run):
    problems = validate(run(method="adalora", tinit=3, tfinal=2))
    assert fields(problems) == ["method.tinit"]


def test_missing_model(run):
    config = run()
    config.model = ""
    assert fields(validate(config)) == ["model"]


def test_model_folder_not_found(run, tmp_path):
    config = run()
    config.model = str(tmp_path / "nowhere" / "model")
    problems = validate(config)
    assert fields(problems) == ["model"] and "does not exist" in problems[0].message


def test_folder_without_config_json(run, tmp_path):
    config = run()
    config.model = str(tmp_path)
    problems = validate(config)
    assert fields(problems) == ["model"] and "no config.json" in problems[0].message


def test_model_without_tokenizer(run, models):
    config = run()
    config.model = models("llama", tokenizer=False)
    problems = validate(config)
    assert fields(problems) == ["model"] and "tokenizer" in problems[0].message


def test_hub_id_is_accepted_for_download(run, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    config = run()
    config.model = "Qwen/Qwen2-0.5B"
    assert validate(config) == []
    assert summary(config)["remote"] is True


def test_unknown_task(run):
    problems = validate(run(task="summarize"))
    assert fields(problems) == ["task"] and "causal_lm" in problems[0].expected


def test_task_the_model_cannot_do(run):
    problems = validate(run("bert", task="causal_lm"))
    assert fields(problems) == ["task"]
    assert problems[0].expected == "one of seq_cls, token_cls"


def test_task_detected_from_the_data_format(run, fake_data):
    config = run()
    config.dataset.format = "classification"
    assert validate(config) == []
    assert fake_data.calls[-1][1] == "seq_cls"


def test_every_training_problem_at_once(run):
    config = run()
    config.training = TrainingConfig(epochs=0, batch_size=0, gradient_accumulation_steps=0,
                                     learning_rate=2.0, scheduler="exponential",
                                     warmup_ratio=1.0, max_length=4, logging_steps=0,
                                     eval_steps=0, early_stopping_metric="bleu", dtype="int8")
    config.device = "tpu"
    assert set(fields(validate(config))) == {
        "training.epochs", "training.batch_size", "training.gradient_accumulation_steps",
        "training.learning_rate", "training.scheduler", "training.warmup_ratio",
        "training.max_length", "training.logging_steps", "training.eval_steps",
        "training.early_stopping_metric", "training.dtype", "device"}


def test_max_steps_zero(run):
    config = run()
    config.training.max_steps = 0
    assert [str(p) for p in validate(config)] == ["training.max_steps: must be >= 1 (found 0)"]


def test_bfloat16_refused_on_cpu_with_reason(run):
    config = run()
    config.training.dtype, config.device = "bfloat16", "cpu"
    problems = validate(config)
    assert fields(problems) == ["training.dtype"] and "CPU" in problems[0].message
    config.device = "gpu"
    assert validate(config) == []


def test_float16_cannot_train_the_base_weights(run):
    config = run(method="full")
    config.training.dtype = "float16"
    assert fields(validate(config)) == ["training.dtype"]
    config.method = MethodConfig("lora")
    assert validate(config) == []  # adapters stay float32


def test_accuracy_only_for_tasks_that_measure_it(run):
    config = run()
    config.training.early_stopping_metric = "accuracy"
    assert fields(validate(config)) == ["training.early_stopping_metric"]
    config = run("bert")
    config.training.early_stopping_metric = "accuracy"
    assert validate(config) == []


def test_dataset_path_missing_and_not_found(run, fake_data, tmp_path):
    config = run()
    config.dataset.path = ""
    assert fields(validate(config)) == ["dataset.path"]
    config.dataset.path = str(tmp_path / "nope.jsonl")
    problems = validate(config)
    assert fields(problems) == ["dataset.path"] and problems[0].message == "file not found"
    assert fake_data.calls == []  # content is only checked for a file that exists


def test_dataset_settings(run, tmp_path):
    config = run()
    config.dataset.format, config.dataset.file_type = "xml", "docx"
    config.dataset.validation_split = 1.0
    config.dataset.validation_path = str(tmp_path / "missing.jsonl")
    assert set(fields(validate(config))) == {"dataset.format", "dataset.file_type",
                                             "dataset.validation_split",
                                             "dataset.validation_path"}


def test_dataset_content_problems_are_included(run, fake_data):
    fake_data.result = [Problem("dataset.label_column", "not found", found="labelz")]
    assert fields(validate(run())) == ["dataset.label_column"]


def test_a_broken_data_module_is_an_error_not_a_silent_pass(run, monkeypatch):
    """Fail closed: without the data checks a run file must not be reported valid."""
    monkeypatch.setitem(sys.modules, "studio.core.data", None)  # import raises ImportError
    with pytest.raises(ImportError):
        validate(run())


def test_problems_from_every_section_at_once(run):
    config = run("qwen2", method="adaption_prompt", adapter_len=0)
    config.training.batch_size = 0
    config.dataset.path = ""
    assert set(fields(validate(config))) == {"method.name", "method.adapter_len",
                                             "training.batch_size", "dataset.path"}


# ---- load_and_validate: run files ----------------------------------------------------------

def write_run(tmp_path, models, text):
    models("llama")
    (tmp_path / "train.jsonl").write_text('{"text": "a b c"}\n')
    path = tmp_path / "run.yaml"
    path.write_text(text)
    return path


def test_load_and_validate_returns_the_config(tmp_path, models):
    path = write_run(tmp_path, models, "model: models/llama\ndataset: train.jsonl\n"
                                       "method: {name: lora, r: 4}\n")
    config = load_and_validate(path)
    assert config.method.params == {"r": 4}
    assert config.model == str(tmp_path / "models" / "llama")


def test_load_and_validate_reports_structural_and_semantic_together(tmp_path, models):
    path = write_run(tmp_path, models, "model: models/llama\ndataset: train.jsonl\n"
                                       "method: {name: lora, r: 0}\n"
                                       "training: {batch_size: 0, learnin_rate: 0.1}\n")
    with pytest.raises(ConfigError) as info:
        load_and_validate(path)
    assert fields(info.value.problems) == ["training.learnin_rate", "method.r",
                                           "training.batch_size"]


def test_load_and_validate_missing_file(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_and_validate(tmp_path / "absent.yaml")
    assert fields(info.value.problems) == ["(run file)"]


def test_load_and_validate_invalid_yaml(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text("model: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_and_validate(path)


def test_validation_never_imports_the_compute_stack(tmp_path, models):
    """Runs the real data module too (when present): validating must not need MindSpore."""
    path = write_run(tmp_path, models, "model: models/llama\ndataset: train.jsonl\n"
                                       "method: {name: lora, r: 0}\n")
    code = ("import sys\n"
            "from studio.core.errors import ConfigError\n"
            "from studio.core.validate import load_and_validate\n"
            f"try:\n    load_and_validate({str(path)!r})\n"
            "except ConfigError as exc:\n    print([p.field for p in exc.problems])\n"
            "assert 'mindspore' not in sys.modules, 'validation imported mindspore'\n"
            "assert 'torch' not in sys.modules and 'mindnlp' not in sys.modules\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "method.r" in result.stdout


def test_real_data_module_detects_the_task(tmp_path, models, monkeypatch):
    """With the real data module, a classification file on a decoder model means seq_cls."""
    monkeypatch.delitem(sys.modules, "studio.core.data")
    path = tmp_path / "train.csv"
    path.write_text("text,label\n" + "".join(f"good news {i},positive\nbad news {i},negative\n"
                                             for i in range(10)))
    config = RunConfig(model=models("llama"), dataset=DatasetConfig(path=str(path)),
                       training=TrainingConfig(max_steps=2))
    assert validate(config) == []
    assert summary(config)["task"] == "seq_cls"


# ---- output_dir: never a folder whose files are not the run's ------------------------------
@pytest.mark.parametrize("target", ["root", "home", "data_dir", "data_parent", "runs_dir",
                                    "file", "busy", "relative_busy"])
def test_output_dir_that_would_mix_or_lose_files_is_refused(target, run, tmp_path, monkeypatch):
    from studio import paths

    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    monkeypatch.setenv("HOME", str(home))   # "~" expands through $HOME
    paths.runs_dir().mkdir(parents=True)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.tex").write_text("mine")
    (tmp_path / "a-file").write_text("x")
    monkeypatch.chdir(tmp_path)
    config = run()
    config.output_dir = {"root": "/", "home": "~", "data_dir": str(paths.data_dir()),
                         "data_parent": str(paths.data_dir().parent),
                         "runs_dir": str(paths.runs_dir()), "file": str(tmp_path / "a-file"),
                         "busy": str(busy), "relative_busy": "busy"}[target]
    problems = [p for p in validate(config) if p.field == "output_dir"]
    assert len(problems) == 1, validate(config)
    expected = {"root": "filesystem root", "home": "home folder", "data_dir": "studio's own data",
                "data_parent": "studio's own data", "runs_dir": "every run's output folder",
                "file": "is a file", "busy": "already holds files",
                "relative_busy": "already holds files"}[target]
    assert expected in problems[0].message


@pytest.mark.parametrize("target", ["new", "empty", "unset"])
def test_output_dir_new_or_empty_is_accepted(target, run, tmp_path):
    (tmp_path / "empty").mkdir()
    config = run()
    config.output_dir = {"new": str(tmp_path / "new" / "run"), "empty": str(tmp_path / "empty"),
                         "unset": None}[target]
    assert validate(config) == []


def test_output_dir_is_checked_by_load_and_validate(tmp_path, models, data_file):
    """What `peft-studio validate` and `peft-studio train` read a run file with."""
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    path = write_run(tmp_path, models, f"model: {models('llama')}\ndataset: {data_file}\n"
                                       f"output_dir: busy\n")
    with pytest.raises(ConfigError) as info:
        load_and_validate(path)
    assert fields(info.value.problems) == ["output_dir"]
    assert str(busy) in str(info.value.problems[0])
