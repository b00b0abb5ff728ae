"""The compiled decode step gives transformers' answers: greedy tokens equal ``generate``'s
(Llama with grouped-query attention, Qwen2 with q/k/v biases, GPT-2, repetition penalty), its
sampling filters keep the tokens transformers' warpers keep, and it follows the weights after
``refresh()``. Its Parameters share the model's weight memory (no second copy), through
in-place writes, mindtorch's moving ones, LoRA merges and unmerges and adapter switches."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.inference import graphdecode

PROMPT = [1, 17, 42, 99, 5, 63, 8]


class Collect:
    def __init__(self):
        self.puts: list[list[int]] = []

    def put(self, value):
        self.puts.append([int(v) for v in np.asarray(value).reshape(-1)])


def _model(tiny_models, family):
    import transformers

    model = transformers.AutoModelForCausalLM.from_pretrained(
        str(tiny_models(family, init_range=0.2)))
    return model.eval()


def _config(**options):
    from transformers import GenerationConfig

    base = {"max_new_tokens": 24, "do_sample": False, "eos_token_id": None, "pad_token_id": 0}
    return GenerationConfig(**{**base, **options})


def _generate(torch, model, config):
    with torch.no_grad():
        out = model.generate(input_ids=torch.tensor([PROMPT]), generation_config=config)
    return out[0, len(PROMPT):].tolist()


@pytest.mark.parametrize("family", ["llama", "qwen2", "gpt2"])
@pytest.mark.parametrize("penalty", [1.0, 1.3])
def test_greedy_tokens_equal_generate(runtime, tiny_models, family, penalty):
    torch = runtime
    model = _model(tiny_models, family)
    config = _config(repetition_penalty=penalty)
    assert graphdecode.unsupported(model, config) is None
    expected = _generate(torch, model, config)
    streamer = Collect()
    got = graphdecode.GraphDecoder(model).generate(PROMPT, config, streamer, lambda: False, None)
    assert len(got) == 24 and got == expected
    assert streamer.puts[0] == PROMPT and [p[0] for p in streamer.puts[1:]] == got


def test_eos_halt_and_refresh(runtime, tiny_models):
    torch = runtime
    model = _model(tiny_models, "llama")
    decoder = graphdecode.GraphDecoder(model)
    first = decoder.generate(PROMPT, _config(), Collect(), lambda: False, None)
    eos = first[5]
    stopped = decoder.generate(PROMPT, _config(eos_token_id=eos), Collect(), lambda: False, None)
    assert stopped == first[:first.index(eos) + 1]
    assert decoder.generate(PROMPT, _config(), Collect(), lambda: True, None) == first[:1]

    with torch.no_grad():
        model.model.layers[1].mlp.down_proj.weight.mul_(-2.0)
    changed = _generate(torch, model, _config())
    assert changed != first
    decoder.refresh()
    assert decoder.generate(PROMPT, _config(), Collect(), lambda: False, None) == changed


def test_sampling_is_seeded_and_top_k_one_is_greedy(runtime, tiny_models):
    model = _model(tiny_models, "llama")
    decoder = graphdecode.GraphDecoder(model)
    sampled = _config(do_sample=True, temperature=1.5, top_k=0, top_p=1.0)
    runs = [decoder.generate(PROMPT, sampled, Collect(), lambda: False, seed) for seed in (3, 3, 4)]
    assert runs[0] == runs[1] and runs[0] != runs[2]
    greedy = decoder.generate(PROMPT, _config(), Collect(), lambda: False, None)
    assert decoder.generate(PROMPT, _config(do_sample=True, top_k=1), Collect(),
                            lambda: False, 5) == greedy


@pytest.mark.parametrize("top_k,top_p,temperature", [(5, 1.0, 1.0), (0, 0.6, 1.0),
                                                     (20, 0.9, 0.7), (0, 0.05, 2.0)])
def test_sampling_filters_keep_what_transformers_keeps(runtime, top_k, top_p, temperature):
    torch = runtime
    from transformers import (
        LogitsProcessorList,
        TemperatureLogitsWarper,
        TopKLogitsWarper,
        TopPLogitsWarper,
    )

    logits = np.random.default_rng(0).standard_normal(300).astype(np.float32) * 3
    warpers = LogitsProcessorList(
        [TemperatureLogitsWarper(temperature)]
        + ([TopKLogitsWarper(top_k)] if top_k else [])
        + ([TopPLogitsWarper(top_p)] if top_p < 1 else []))
    expected = warpers(torch.tensor([[1]]), torch.tensor(logits[None]))[0].numpy()
    # mindtorch fills -inf as the lowest float32: removed is anything that low
    allowed = set(np.flatnonzero(expected > -1e30).tolist())
    assert 0 < len(allowed) < 300
    sampler = graphdecode.Sampler(_config(do_sample=True, top_k=top_k, top_p=top_p,
                                          temperature=temperature), seed=0)
    drawn = {sampler(logits, [1]) for _ in range(400)}
    assert drawn <= allowed
    assert len(drawn) >= min(len(allowed), 3)


def test_what_it_does_not_take(runtime, tiny_models):
    llama = _model(tiny_models, "llama")
    gpt2 = _model(tiny_models, "gpt2")
    assert graphdecode.unsupported(_model(tiny_models, "opt"), _config()) == "model type opt"
    gpt2.config.activation_function = "relu"
    assert graphdecode.unsupported(gpt2, _config()) == "activation relu"
    assert graphdecode.unsupported(llama, _config(no_repeat_ngram_size=2)) == \
        "generation option no_repeat_ngram_size"
    llama.config.rope_scaling = {"rope_type": "linear", "factor": 2.0}
    try:
        assert graphdecode.unsupported(llama, _config()) == "RoPE scaling"
    finally:
        llama.config.rope_scaling = None


def test_session_answers_with_a_merged_gpt2_lora_as_generate_does(runtime, tiny_models,
                                                                   tmp_path):
    """GPT-2's Conv1D weights, a LoRA merged into c_attn: the session's compiled answer
    equals transformers' generate with the adapter layers unmerged."""
    import transformers
    from peft import LoraConfig, get_peft_model

    from studio.core import fastpaths
    from studio.core.inference import GenerationSettings, InferenceSession, resolve_adapter

    folder = tiny_models("gpt2", init_range=0.2)
    lora = get_peft_model(transformers.AutoModelForCausalLM.from_pretrained(str(folder)),
                          LoraConfig(r=4, target_modules=["c_attn", "c_fc"], fan_in_fan_out=True,
                                     init_lora_weights=False))
    lora.save_pretrained(str(tmp_path / "lora"))
    session = InferenceSession(folder)
    session.load()
    session.add_adapter("lora", resolve_adapter(str(tmp_path / "lora")))
    settings = GenerationSettings(greedy=True, max_new_tokens=12)

    fast, fast_base = _answer(session, settings, "lora"), _answer(session, settings, None)
    assert session._decoder is not None
    with fastpaths.plain("graph_decode", "merge_adapter_while_answering"):
        plain, plain_base = _answer(session, settings, "lora"), _answer(session, settings, None)
    assert len(fast) == 12 and fast == plain and fast_base == plain_base and fast != fast_base


@pytest.mark.parametrize("family", ["llama", "qwen2", "gpt2"])
def test_compiled_prefill_gives_the_models_logits(runtime, tiny_models, family):
    """The prompt's last logits from the compiled prefill equal the transformers forward's,
    for prompts inside a length bucket, at its edge and past it (the padding is ignored)."""
    torch = runtime
    model = _model(tiny_models, family)
    decoder = graphdecode.GraphDecoder(model)
    rng = np.random.default_rng(1)
    for size in (1, 7, 16, 17, 40):
        ids = rng.integers(3, 500, size).tolist()
        with torch.no_grad():
            expected = model(input_ids=torch.tensor([ids])).logits[0, -1].numpy()
        _, logits = decoder.prefill(ids, 64)
        np.testing.assert_allclose(logits, expected, rtol=1e-4, atol=1e-4)


def test_a_long_prompt_after_a_short_one_decodes_as_generate(runtime, tiny_models):
    """A step's cache keeps what an earlier, longer prompt left past the new one: the decode
    must not see it."""
    torch = runtime
    model = _model(tiny_models, "llama")
    decoder = graphdecode.GraphDecoder(model)
    long_prompt = list(range(3, 60))
    decoder.generate(long_prompt, _config(max_new_tokens=4), Collect(), lambda: False, None)
    got = decoder.generate(PROMPT, _config(), Collect(), lambda: False, None)
    assert got == _generate(torch, model, _config())


def _answer(session, settings, adapter):
    """The greedy token ids ``adapter`` (None: the base) answers to one fixed prompt."""
    stream = session.stream_completion("the market", settings, adapter=adapter)
    stream.read()
    return stream.token_ids


def _shared(decoder):
    """Whether every graph Parameter sits on its model tensor's memory."""
    return all(p._data_ptr() == t.data_ptr()
               for p, t in zip(decoder._flat, graphdecode.weights(decoder.model)[0]))


@pytest.mark.parametrize("family", ["llama", "gpt2"])
def test_the_graphs_share_the_models_weights(runtime, tiny_models, family):
    """No second copy: the graph's Parameters are the model's tensors' memory, so a write
    into a model weight in place (MindSpore's Assign) changes the graph's answer at once."""
    import mindspore

    torch = runtime
    model = _model(tiny_models, family)
    decoder = graphdecode.GraphDecoder(model)
    assert _shared(decoder) and decoder.copy_bytes() == 0
    first = decoder.generate(PROMPT, _config(), Collect(), lambda: False, None)
    assert _shared(decoder)     # running the graphs made no copy either
    layer = model.model.layers[1].mlp.down_proj if family == "llama" else \
        model.transformer.h[1].mlp.c_proj
    with torch.no_grad():
        mindspore.ops.assign(layer.weight, layer.weight * -2.0)
    index = [t.data_ptr() for t in graphdecode.weights(model)[0]].index(layer.weight.data_ptr())
    np.testing.assert_array_equal(decoder._flat[index].asnumpy(), layer.weight.numpy())
    changed = _generate(torch, model, _config())
    assert changed != first
    assert decoder.generate(PROMPT, _config(), Collect(), lambda: False, None) == changed


def test_refresh_shares_again_after_mindtorch_moves_a_weight(runtime, tiny_models):
    """mindtorch's in-place operators point a weight at new memory (peft's merge does too):
    until refresh() the graph holds the old memory apart; after it, the model's weight
    shares the graph's memory again and the answers are the new weights'."""
    torch = runtime
    model = _model(tiny_models, "llama")
    decoder = graphdecode.GraphDecoder(model)
    decoder.generate(PROMPT, _config(), Collect(), lambda: False, None)
    weight = model.model.layers[0].self_attn.q_proj.weight
    with torch.no_grad():
        weight.mul_(-3.0)
        model.model.layers[1].mlp.up_proj.weight.data += 0.05
    moved = decoder.copy_bytes()
    assert moved == weight.numel() * 4 + model.model.layers[1].mlp.up_proj.weight.numel() * 4
    decoder.refresh()
    assert decoder.copy_bytes() == 0 and _shared(decoder)
    expected = _generate(torch, model, _config())
    assert decoder.generate(PROMPT, _config(), Collect(), lambda: False, None) == expected
    with torch.no_grad():   # the model still computes with the shared memory
        weight.mul_(0.5)
    decoder.refresh()
    assert decoder.generate(PROMPT, _config(), Collect(), lambda: False, None) == \
        _generate(torch, model, _config())


def test_session_shares_weights_through_merges_and_adapter_switches(runtime, tiny_models,
                                                                     tmp_path):
    """Two LoRAs merged and unmerged in turn while answering (merge_adapter_while_answering)
    and the base between them: every compiled answer equals transformers' generate on the
    unmerged adapter, and after each the graph still shares the model's memory."""
    import transformers
    from peft import LoraConfig, get_peft_model

    from studio.core import fastpaths
    from studio.core.inference import GenerationSettings, InferenceSession, resolve_adapter

    torch = runtime
    folder = tiny_models("llama", init_range=0.2)
    for i, name in enumerate(("a", "b")):
        torch.manual_seed(i)
        lora = get_peft_model(transformers.AutoModelForCausalLM.from_pretrained(str(folder)),
                              LoraConfig(r=4, lora_alpha=16, init_lora_weights=False,
                                         target_modules=["q_proj", "v_proj", "down_proj"]))
        lora.save_pretrained(str(tmp_path / name))
    session = InferenceSession(folder)
    session.load()
    for name in ("a", "b"):
        session.add_adapter(name, resolve_adapter(str(tmp_path / name)))
    settings = GenerationSettings(greedy=True, max_new_tokens=12)

    order = ["a", "b", None, "a", None, "b"]
    fast = []
    for adapter in order:
        fast.append(_answer(session, settings, adapter))
        assert session._decoder is not None and session._decoder.model is session.base
        assert session._decoder.copy_bytes() == 0 and _shared(session._decoder)
    with fastpaths.plain("graph_decode", "merge_adapter_while_answering"):
        plain = [_answer(session, settings, adapter) for adapter in order]
    assert fast == plain
    assert len({tuple(t) for t in fast}) == 3   # the adapters and the base differ


def test_session_shares_weights_through_bitfit_switches(runtime, tiny_models, tmp_path):
    """BitFit biases swapped in and out (mindtorch copy_ moves each bias to new memory)
    beside a merged LoRA: the compiled answers equal the plain path's, still shared."""
    import json

    import transformers
    from peft import LoraConfig, get_peft_model
    from safetensors.numpy import load_file, save_file

    from studio.core import fastpaths
    from studio.core.inference import GenerationSettings, InferenceSession, resolve_adapter

    gpt2 = tiny_models("gpt2", init_range=0.2)
    biases = {k: v + 0.5 for k, v in load_file(str(gpt2 / "model.safetensors")).items()
              if k.endswith(("attn.c_attn.bias", "mlp.c_fc.bias"))}
    (tmp_path / "bitfit").mkdir()
    save_file(biases, str(tmp_path / "bitfit" / "bitfit_model.safetensors"))
    (tmp_path / "bitfit" / "bitfit_config.json").write_text(json.dumps(
        {"method": "bitfit", "base_model_name_or_path": str(gpt2), "tensors": sorted(biases)}))
    get_peft_model(transformers.AutoModelForCausalLM.from_pretrained(str(gpt2)),
                   LoraConfig(r=4, target_modules=["c_attn"], fan_in_fan_out=True,
                              init_lora_weights=False)).save_pretrained(str(tmp_path / "lora"))
    session = InferenceSession(gpt2)
    session.load()
    session.add_adapter("biases", resolve_adapter(str(tmp_path / "bitfit")))
    session.add_adapter("lora", resolve_adapter(str(tmp_path / "lora")))
    settings = GenerationSettings(greedy=True, max_new_tokens=10)

    order = ["biases", None, "lora", "biases", "lora", None]
    fast = []
    for adapter in order:
        fast.append(_answer(session, settings, adapter))
        assert session._decoder.copy_bytes() == 0 and _shared(session._decoder)
    with fastpaths.plain("graph_decode", "merge_adapter_while_answering"):
        plain = [_answer(session, settings, adapter) for adapter in order]
    assert fast == plain and len({tuple(t) for t in fast}) == 3
