"""The inference layer on tiny models: a LoRA adapter trained once on chat data, then chat,
streaming, stop, compare, merged-model equality, adapter switching, classification, seq2seq,
refusals before loading, and conversations in the store."""

from __future__ import annotations

import json
import struct
import threading
from pathlib import Path

import numpy as np
import pytest
from factories import train_colours, train_ok, write_classification_dataset, write_run_file

from studio.core.errors import StudioError
from studio.core.inference import (
    GenerationSettings,
    IncompatibleAdapter,
    InferenceSession,
    check_compatible,
    resolve_adapter,
)
from studio.core.store import RunStore

GREEDY = GenerationSettings(greedy=True, max_new_tokens=3)
CAT = [{"role": "user", "content": "colour of cat"}]


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_models):
    """factories.train_colours, with the store open and its one run."""
    made = train_colours(tmp_path_factory.mktemp("chat-run"), tiny_models("llama", init_range=0.2))
    store = RunStore(made["store"])
    return {**made, "store": store, "run": store.list_runs()[0]}


@pytest.fixture(scope="module")
def session(trained):
    s = InferenceSession(trained["model"])
    stages: list[str] = []
    s.load(stages.append)
    assert stages[0] == "starting MindSpore" and stages[-1] == "ready"
    s.add_adapter("colours", resolve_adapter("colours", trained["store"]))
    return s


# ---- resolving -------------------------------------------------------------------------------


@pytest.mark.slow
def test_resolve_run_checkpoint_and_folder(trained):
    store, run = trained["store"], trained["run"]
    by_name = resolve_adapter("colours", store)
    assert by_name.kind == "peft" and by_name.method == "lora" and by_name.peft_type == "LORA"
    assert Path(by_name.path) == trained["out"] and by_name.run_id == run.id
    assert by_name.base_model == str(trained["model"]) and by_name.task == "causal_lm"
    assert by_name.data_format == "chat" and by_name.step is None and by_name.name == "colours"
    assert resolve_adapter(str(trained["out"]), store) == by_name   # the folder, same answer

    step = store.checkpoints(run.id)[0].step
    at_step = resolve_adapter(f"{run.id}@{step}", store)
    assert at_step.step == step and at_step.name == f"colours@{step}"
    assert Path(at_step.path).name == "adapter" and at_step.data_format == "chat"
    checkpoint_folder = Path(at_step.path).parent
    assert resolve_adapter(str(checkpoint_folder)).path == at_step.path
    assert resolve_adapter("colours@latest", store).step == store.checkpoints(run.id)[-1].step
    with pytest.raises(StudioError, match="no checkpoint at step 999"):
        resolve_adapter("colours@999", store)


def test_folders_without_an_adapter_are_clear_errors(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(StudioError, match=r"holds no adapter: expected adapter_config\.json"):
        resolve_adapter(str(empty))
    with pytest.raises(StudioError, match="does not exist"):
        resolve_adapter(str(tmp_path / "missing"))
    half = tmp_path / "half"
    half.mkdir()
    (half / "adapter_config.json").write_text('{"peft_type": "LORA"}')
    with pytest.raises(StudioError, match="no adapter weights"):
        resolve_adapter(str(half))
    stopped = tmp_path / "stopped-run"
    (stopped / "checkpoints" / "step-000005").mkdir(parents=True)
    with pytest.raises(StudioError, match=r"checkpoints .steps 5."):
        resolve_adapter(str(stopped))
    with pytest.raises(StudioError, match="No run matches 'nothing-like-this'"):
        resolve_adapter("nothing-like-this")


# ---- compatibility, from files only ----------------------------------------------------------


def _safetensors(path: Path, shapes: dict[str, tuple[int, ...]]) -> None:
    """A safetensors file with zero tensors of these shapes (no torch needed)."""
    header, offset, blobs = {}, 0, []
    for name, shape in shapes.items():
        data = np.zeros(shape, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset,
                                                                               offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def _base_folder(folder: Path, hidden: int, model_type: str = "llama") -> Path:
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({
        "model_type": model_type, "architectures": ["LlamaForCausalLM"], "hidden_size": hidden,
        "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 512}))
    _safetensors(folder / "model.safetensors", {
        f"model.layers.{i}.self_attn.{p}.weight": (hidden, hidden)
        for i in range(2) for p in ("q_proj", "v_proj")})
    return folder


def _lora_folder(folder: Path, base: str, hidden: int, layers: int = 2) -> Path:
    folder.mkdir(parents=True)
    (folder / "adapter_config.json").write_text(json.dumps({
        "peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": base, "r": 4,
        "target_modules": ["q_proj", "v_proj"]}))
    _safetensors(folder / "adapter_model.safetensors", {
        f"base_model.model.model.layers.{i}.self_attn.{p}.lora_{ab}.weight":
            (4, hidden) if ab == "A" else (hidden, 4)
        for i in range(layers) for p in ("q_proj", "v_proj") for ab in "AB"})
    return folder


def test_adapter_for_another_hidden_size_is_refused_from_the_files(tmp_path):
    base = _base_folder(tmp_path / "base32", hidden=32)
    # trained elsewhere on a hub model that is not on this machine: the shapes tell
    other = resolve_adapter(str(_lora_folder(tmp_path / "a64", "someone/llama-64", 64)))
    assert other.method == "lora" and other.task == "causal_lm" and other.run_id is None
    problems = check_compatible(other, str(base))
    assert problems == [f"this adapter was trained on someone/llama-64 (hidden 64); the chosen "
                        f"base is {base} (hidden 32) (4 layers differ)"]
    # the base it names is here: its config.json tells
    named = _base_folder(tmp_path / "base64", hidden=64)
    problems = check_compatible(resolve_adapter(str(_lora_folder(tmp_path / "b64", str(named),
                                                                 64))), str(base))
    assert problems == [f"this adapter was trained on {named} (llama, hidden 64); the chosen "
                        f"base is {base} (llama, hidden 32)"]
    deeper = resolve_adapter(str(_lora_folder(tmp_path / "deep", "x/y", 32, layers=4)))
    assert "at least 4 layers" in check_compatible(deeper, str(base))[0]
    fits = resolve_adapter(str(_lora_folder(tmp_path / "ok", "x/y", 32)))
    assert check_compatible(fits, str(base)) == []
    assert check_compatible(fits, str(base), task="seq_cls")[0].startswith(
        "this adapter was trained for text generation, but the model is loaded for sequence")


@pytest.mark.slow
def test_qwen2_adapter_is_refused_by_the_llama_session_before_loading(tmp_path, tiny_models,
                                                                      session):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    qwen = tiny_models("qwen2")
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(str(qwen)),
                           LoraConfig(r=4, target_modules=["q_proj", "v_proj"]))
    model.save_pretrained(str(tmp_path / "qwen-lora"))
    source = resolve_adapter(str(tmp_path / "qwen-lora"))
    base = session.base_path
    assert check_compatible(source, base) == [
        f"this adapter was trained on {qwen} (qwen2); the chosen base is {base} (llama)"]
    before = session.adapters
    with pytest.raises(IncompatibleAdapter, match=r"trained on .*qwen2.*chosen base is"):
        session.add_adapter("qwen", source)
    assert session.adapters == before


# ---- generation --------------------------------------------------------------------------------


@pytest.mark.slow
def test_chat_answers_as_trained_with_the_training_template(session):
    cat = session.stream_chat(CAT, GREEDY, adapter="colours")
    assert cat.read().startswith("blue") and cat.finish_reason in ("eos", "length")
    assert cat.prompt.style == "fallback" and cat.prompt.text.startswith("<|im_start|>user\n")
    dog = session.stream_chat([{"role": "user", "content": "colour of dog"}], GREEDY,
                              adapter="colours")
    assert dog.read().startswith("red")


@pytest.mark.slow
def test_stream_matches_plain_generation_and_the_merged_model(session, trained, runtime):
    torch = runtime
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    settings = GenerationSettings(greedy=True, max_new_tokens=10)
    stream = session.stream_completion("the market", settings, adapter="colours")
    pieces = list(stream)
    assert len(pieces) >= 2 and all(pieces) and "".join(pieces) == stream.text

    merged = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(
        str(trained["model"])), str(trained["out"])).merge_and_unload().eval()
    ids = torch.tensor([stream.prompt.ids])
    with torch.no_grad():
        out = merged.generate(input_ids=ids, attention_mask=torch.ones_like(ids),
                              max_new_tokens=10, do_sample=False,
                              pad_token_id=session.tokenizer.pad_token_id)
    expected = out[0, ids.shape[1]:].tolist()
    assert stream.token_ids == expected
    assert "".join(pieces) == session.tokenizer.decode(expected, skip_special_tokens=True)


@pytest.mark.slow
def test_merged_answers_equal_unmerged_ones_and_unmerging_restores_the_base(session):
    """fastpaths.merge_adapter_while_answering and graph_decode: the adapter is merged while
    it answers (through the compiled decoder), the base comes back (to float rounding) when
    the base answers, and the tokens are the same as with the adapter layers run unmerged
    through transformers' generate."""
    from studio.core import fastpaths

    settings = GenerationSettings(greedy=True, max_new_tokens=8)
    weight = session.base.model.layers[0].self_attn.q_proj

    def tokens(adapter):
        stream = session.stream_chat(CAT, settings, adapter=adapter)
        stream.read()
        assert stream.token_ids
        return stream.token_ids

    with fastpaths.plain("merge_adapter_while_answering", "graph_decode"):
        plain, base_plain = tokens("colours"), tokens(None)
        original = _base_weight(weight).copy()
        assert session.slots._merged is None
    session._decoder = None
    merged = tokens("colours")
    assert session.slots._merged is not None and session._decoder is not None
    assert not np.allclose(_base_weight(weight), original, atol=1e-6)   # merged in place
    assert merged == plain and merged != base_plain
    for _ in range(3):
        assert tokens(None) == base_plain and tokens("colours") == plain
    assert tokens(None) == base_plain and session.slots._merged is None
    np.testing.assert_allclose(_base_weight(weight), original, rtol=0, atol=1e-6)


def _base_weight(layer) -> np.ndarray:
    base = getattr(layer, "base_layer", layer)
    return base.weight.detach().numpy()


@pytest.mark.slow
def test_stop_event_ends_generation_early(session):
    stop = threading.Event()
    stream = session.stream_completion("the market", GenerationSettings(greedy=True,
                                                                        max_new_tokens=60),
                                       adapter="colours", stop=stop)
    for _ in stream:
        stop.set()
    assert stream.finish_reason == "stopped" and len(stream.token_ids) <= 10
    # the session is free again
    assert session.stream_chat(CAT, GREEDY, adapter="colours").read().startswith("blue")
    abandoned = session.stream_completion("the market", GenerationSettings(max_new_tokens=60),
                                          adapter=None)
    next(abandoned)
    abandoned.close()
    assert len(abandoned.token_ids) < 60
    assert session.stream_chat(CAT, GREEDY, adapter="colours").read().startswith("blue")


@pytest.mark.slow
def test_compare_answers_with_base_and_adapter(session):
    seen: list[tuple] = []
    answers = session.compare("colour of cat", [None, "colours"], GREEDY,
                              on_start=lambda n: seen.append(("start", n)),
                              on_piece=lambda n, p: seen.append((n, p)))
    assert list(answers) == [None, "colours"]
    assert answers["colours"].startswith("blue") and answers[None] != answers["colours"]
    assert seen[0] == ("start", None) and ("start", "colours") in seen
    assert "".join(p for n, p in seen if n == "colours") == answers["colours"]


@pytest.mark.slow
def test_use_switches_the_default_adapter_and_seeds_repeat(session):
    session.use(None)
    try:
        assert session.stream_chat(CAT, GREEDY).read() == session.compare(
            "colour of cat", [None], GREEDY)[None]
        session.use("colours")
        assert session.stream_chat(CAT, GREEDY).read().startswith("blue")
    finally:
        session.use(None)
    sampled = GenerationSettings(max_new_tokens=4, temperature=1.0, seed=7)
    first = session.stream_completion("the bank", sampled, adapter="colours").read()
    assert session.stream_completion("the bank", sampled, adapter="colours").read() == first
    with pytest.raises(StudioError, match="no adapter named 'nope'"):
        session.use("nope")


@pytest.mark.slow
def test_info_reports_base_adapters_and_memory(session):
    info = session.info()
    assert info["base"] == session.base_path and info["task"] == "causal_lm"
    assert info["device"] == "cpu" and info["model_type"] == "llama"
    assert info["parameters"] > info["adapter_parameters"] > 0
    assert info["memory_bytes"] >= 4 * (info["parameters"] + info["adapter_parameters"])
    (colours,) = [a for a in info["adapters"] if a["name"] == "colours"]
    assert colours["method"] == "lora" and colours["method_name"] == "LoRA"
    assert colours["parameters"] == info["adapter_parameters"] and colours["loaded"]


@pytest.mark.slow
def test_adapters_switch_on_one_base_across_peft_types(tmp_path, trained, session, runtime):
    """A checkpoint joins through load_adapter; an IA3 adapter makes the session rewrap the
    same base; switching back gives the same answers; removing leaves the rest working."""
    from peft import IA3Config, get_peft_model
    from transformers import AutoModelForCausalLM

    base_object = session.base
    store, run = trained["store"], trained["run"]
    session.add_adapter("early", resolve_adapter(f"{run.id}@{store.checkpoints(run.id)[0].step}",
                                                 store))
    ia3 = get_peft_model(AutoModelForCausalLM.from_pretrained(str(trained["model"])),
                         IA3Config(target_modules=["k_proj", "v_proj", "down_proj"],
                                   feedforward_modules=["down_proj"], init_ia3_weights=False))
    ia3.save_pretrained(str(tmp_path / "ia3"))
    session.add_adapter("scaled", resolve_adapter(str(tmp_path / "ia3")))
    try:
        before = session.compare("colour of cat", [None, "colours", "early"], GREEDY)
        scaled = session.compare("colour of cat", ["scaled"], GREEDY)["scaled"]
        assert session.slots.peft_type == "IA3" and scaled != before[None]
        after = session.compare("colour of cat", [None, "colours", "early"], GREEDY)
        assert after == before and session.slots.peft_type == "LORA"
        assert session.base is base_object    # never loaded again
        assert {a["name"]: a["method"] for a in session.info()["adapters"]} == {
            "colours": "lora", "early": "lora", "scaled": "ia3"}
    finally:
        session.remove_adapter("scaled")
        session.remove_adapter("early")
    assert session.adapters == ["colours"]
    assert session.stream_chat(CAT, GREEDY, adapter="colours").read() == before["colours"]


# ---- other tasks ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_classification_gives_every_label_a_probability(tmp_path, tiny_models):
    store = RunStore(tmp_path / "store.sqlite")
    data = write_classification_dataset(tmp_path / "data.csv", n=24)
    train_ok(write_run_file(tmp_path / "run.yaml", tiny_models("bert", init_range=0.2), data,
                            training={"max_steps": 2}, output_dir=str(tmp_path / "out")), store)
    source = resolve_adapter(str(tmp_path / "out"), store)
    assert source.task == "seq_cls" and source.label_names == ("negative", "neutral", "positive")
    session = InferenceSession(source.base_model, task=source.task,
                               label_names=source.label_names)
    session.load()
    session.add_adapter("sentiment", source)
    ranked = session.classify("profit rose strong good", adapter="sentiment")
    assert sorted(label for label, _ in ranked) == ["negative", "neutral", "positive"]
    probs = [p for _, p in ranked]
    assert probs == sorted(probs, reverse=True) and abs(sum(probs) - 1) < 1e-5
    both = session.compare("profit rose", [None, "sentiment"])
    assert set(both) == {None, "sentiment"} and both["sentiment"] != both[None]
    with pytest.raises(StudioError, match="use classify"):
        session.stream_chat(CAT, GREEDY, adapter="sentiment")


@pytest.mark.slow
def test_seq2seq_generate_text_on_t5(tmp_path, tiny_models, runtime):
    torch = runtime
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForSeq2SeqLM

    t5 = tiny_models("t5")
    lora = get_peft_model(AutoModelForSeq2SeqLM.from_pretrained(str(t5)),
                          LoraConfig(task_type="SEQ_2_SEQ_LM", r=4, target_modules=["q", "v"],
                                     init_lora_weights=False))
    lora.save_pretrained(str(tmp_path / "t5-lora"))
    source = resolve_adapter(str(tmp_path / "t5-lora"))
    assert source.task == "seq2seq" and check_compatible(source, str(t5)) == []
    session = InferenceSession(t5)
    session.load()
    assert session.task == "seq2seq"
    session.add_adapter("t5-lora", source)
    settings = GenerationSettings(greedy=True, max_new_tokens=5)
    text = session.generate_text("translate cat", settings, adapter="t5-lora")
    plain = session.generate_text("translate cat", settings, adapter=None)
    assert isinstance(text, str) and text != plain

    reference = PeftModel.from_pretrained(AutoModelForSeq2SeqLM.from_pretrained(str(t5)),
                                          str(tmp_path / "t5-lora")).eval()
    ids = torch.tensor([session.tokenizer("translate cat")["input_ids"]])
    with torch.no_grad():
        out = reference.generate(input_ids=ids, attention_mask=torch.ones_like(ids),
                                 max_new_tokens=5, do_sample=False)
    assert text == session.tokenizer.decode(out[0].tolist(), skip_special_tokens=True)


# ---- conversations in the store -------------------------------------------------------------


def test_conversations_round_trip_through_the_store(tmp_path):
    from studio.core.config import RunConfig

    with RunStore() as store:
        run = store.create_run(RunConfig(model="m").to_dict(), status="completed")
        settings = GenerationSettings(greedy=True, seed=3)
        messages = [{"role": "user", "content": "colour of cat " * 10},
                    {"role": "assistant", "content": "blue", "adapter": "colours"}]
        first = store.save_conversation(messages, run_id=run.id, base_model="/m",
                                        adapters=[{"name": "colours", "ref": run.id}],
                                        settings=settings.to_dict())
        other = store.save_conversation([{"role": "user", "content": "hi"}], title="Loose")
        saved = store.get_conversation(first)
        assert saved.messages == messages and saved.run_id == run.id and saved.base_model == "/m"
        assert saved.title.startswith("colour of cat") and len(saved.title) <= 60
        assert GenerationSettings.from_dict(saved.settings) == settings
        assert saved.adapters == [{"name": "colours", "ref": run.id}]
        assert [c.id for c in store.conversations(run.id)] == [first]
        assert [c.id for c in store.conversations()] == [other, first]

        longer = [*messages, {"role": "user", "content": "and dog?"}]
        assert store.save_conversation(longer, run_id=run.id, title="Colours",
                                       conversation_id=first) == first
        updated = store.get_conversation(first)
        assert updated.messages == longer and updated.title == "Colours"
        assert updated.created_at == saved.created_at <= updated.updated_at
        assert [c.id for c in store.conversations()] == [first, other]

        store.delete_conversation(other)
        with pytest.raises(StudioError, match="no conversation"):
            store.get_conversation(other)
        with pytest.raises(StudioError, match="no conversation"):
            store.delete_conversation(other)
        store.delete_run(run.id)          # a run's conversations go with it
        assert store.conversations() == []


@pytest.mark.slow
def test_bitfit_biases_swap_in_and_out_beside_lora(tmp_path, tiny_models, runtime):
    from peft import LoraConfig, get_peft_model
    from safetensors.numpy import load_file, save_file
    from transformers import AutoModelForCausalLM

    gpt2 = tiny_models("gpt2", init_range=0.2)
    biases = {k: v + 0.5 for k, v in load_file(str(gpt2 / "model.safetensors")).items()
              if k.endswith(("attn.c_attn.bias", "mlp.c_fc.bias"))}
    folder = tmp_path / "bitfit"
    folder.mkdir()
    save_file(biases, str(folder / "bitfit_model.safetensors"))
    (folder / "bitfit_config.json").write_text(json.dumps(
        {"method": "bitfit", "base_model_name_or_path": str(gpt2), "tensors": sorted(biases)}))
    get_peft_model(AutoModelForCausalLM.from_pretrained(str(gpt2)),
                   LoraConfig(r=4, target_modules=["c_attn"], fan_in_fan_out=True,
                              init_lora_weights=False)).save_pretrained(str(tmp_path / "lora"))
    source = resolve_adapter(str(folder))
    assert source.kind == "bitfit" and source.method == "bitfit"
    assert check_compatible(source, str(gpt2)) == []
    assert check_compatible(resolve_adapter(str(tmp_path / "lora")), str(gpt2)) == []

    session = InferenceSession(gpt2)
    session.load()
    session.add_adapter("biases", source)
    session.add_adapter("lora", resolve_adapter(str(tmp_path / "lora")))
    first = session.compare("the market", [None, "biases", "lora"], GREEDY)
    assert len(set(first.values())) == 3
    again = session.compare("the market", ["lora", None, "biases", None], GREEDY)
    assert again == {None: first[None], "biases": first["biases"], "lora": first["lora"]}
    assert session.info()["adapters"][0]["parameters"] == sum(v.size for v in biases.values())
