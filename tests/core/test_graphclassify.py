"""The compiled classifier gives the model's logits: Llama (grouped-query attention), Qwen2
(q/k/v biases) and GPT-2, rows of different lengths padded on the right, transformers'
pooling at the last non-pad token; a session answers through it with a LoRA and its trained
score head as the plain path does; what it cannot answer falls back."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.inference import graphclassify

ROWS = [[5, 17, 42, 99, 5, 63, 8], [7, 3], list(range(3, 20)), [9, 8, 7, 0]]   # last: pad id


def _classifier(tiny_models, family):
    import transformers

    folder = tiny_models(family, task="seq_cls", num_labels=3, init_range=0.2)
    return transformers.AutoModelForSequenceClassification.from_pretrained(str(folder)).eval()


def _model(tiny_models, family):
    import transformers

    return transformers.AutoModelForCausalLM.from_pretrained(str(tiny_models(family)))


def _padded(rows, pad=0):
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), pad, np.int64)
    mask = np.zeros((len(rows), width), np.int64)
    for i, row in enumerate(rows):
        ids[i, :len(row)], mask[i, :len(row)] = row, 1
    return ids, mask


def _model_logits(torch, model, ids, mask):
    with torch.no_grad():
        return model(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask)).logits.numpy()


@pytest.mark.parametrize("family", ["llama", "qwen2", "gpt2"])
def test_logits_equal_the_models(runtime, tiny_models, family):
    torch = runtime
    model = _classifier(tiny_models, family)
    assert graphclassify.unsupported(model) is None
    compiled = graphclassify.GraphClassifier(model)
    for rows in (ROWS, ROWS[:1], ROWS[1:3], [list(range(3, 19))]):
        ids, mask = _padded(rows)
        expected = _model_logits(torch, model, ids, mask)
        got = compiled.logits(ids, mask)
        assert got.shape == expected.shape == (len(rows), 3)
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("family", ["llama", "gpt2"])
def test_a_padded_batch_equals_one_row_at_a_time(runtime, tiny_models, family):
    """Three rows (a filler row to four, lengths in different buckets alone) give each row's
    logits alone; lengths over a bucket's edge too."""
    compiled = graphclassify.GraphClassifier(_classifier(tiny_models, family))
    rows = [list(range(3, 36)), [7, 3], list(range(4, 21))]
    together = compiled.logits(*_padded(rows))
    alone = np.concatenate([compiled.logits(*_padded([r])) for r in rows])
    np.testing.assert_allclose(together, alone, rtol=1e-4, atol=1e-5)
    assert [graphclassify.length_bucket(n) for n in (1, 16, 17, 65, 129, 161)] == \
        [16, 16, 32, 80, 160, 192]


def test_pooling_follows_the_configs_pad_token(runtime, tiny_models):
    """A batch padded with another id than the config's: transformers pools the last
    position of every row (a pad there); so does the compiled path."""
    torch = runtime
    model = _classifier(tiny_models, "llama")
    compiled = graphclassify.GraphClassifier(model)
    ids, mask = _padded(ROWS, pad=2)
    np.testing.assert_allclose(compiled.logits(ids, mask), _model_logits(torch, model, ids, mask),
                               rtol=1e-4, atol=1e-5)
    assert graphclassify.pooled_rows(ids, 0).tolist() == [16, 16, 16, 16]
    assert graphclassify.pooled_rows(_padded(ROWS)[0], 0).tolist() == [6, 1, 16, 2]
    assert graphclassify.pooled_rows(ids[:1], None).tolist() == [16]
    assert graphclassify.pooled_rows(ids, None) is None


def test_what_it_does_not_answer(runtime, tiny_models):
    model = _classifier(tiny_models, "llama")
    compiled = graphclassify.GraphClassifier(model)
    ids, mask = _padded(ROWS)
    assert compiled.logits(ids[:, ::-1], mask[:, ::-1]) is None      # left padding
    empty = mask.copy()
    empty[1] = 0
    assert compiled.logits(ids, empty) is None
    model.config.pad_token_id = None                                 # transformers refuses
    assert compiled.logits(ids, mask) is None
    assert graphclassify.unsupported(_classifier(tiny_models, "bert")) == "model type bert"
    assert graphclassify.unsupported(_model(tiny_models, "llama")) == \
        "model class LlamaForCausalLM"
    assert graphclassify.unsupported(_classifier(tiny_models, "opt")) == "model type opt"


@pytest.mark.parametrize("family", ["llama", "gpt2"])
def test_session_classifies_with_a_lora_and_its_head_as_the_model_does(runtime, tiny_models,
                                                                       tmp_path, family):
    import transformers
    from peft import LoraConfig, get_peft_model

    from studio.core import fastpaths
    from studio.core.inference import InferenceSession, resolve_adapter

    torch = runtime
    folder = tiny_models(family, task="seq_cls", num_labels=3, init_range=0.2)
    targets = ["q_proj", "v_proj"] if family == "llama" else ["c_attn"]
    lora = get_peft_model(
        transformers.AutoModelForSequenceClassification.from_pretrained(str(folder)),
        LoraConfig(task_type="SEQ_CLS", r=4, target_modules=targets, init_lora_weights=False,
                   fan_in_fan_out=family == "gpt2"))
    with torch.no_grad():   # the trained head differs from the base's
        lora.base_model.model.score.modules_to_save["default"].weight.mul_(-3.0)
    lora.save_pretrained(str(tmp_path / "lora"))
    session = InferenceSession(folder, task="seq_cls")
    session.load()
    session.add_adapter("lora", resolve_adapter(str(tmp_path / "lora")))
    rows = [r for r in ROWS if 0 not in r]

    fast = {name: session.class_probabilities(rows, name) for name in ("lora", None, "lora")}
    assert isinstance(session._decoder, graphclassify.GraphClassifier)
    assert session._decoder.copy_bytes() == 0   # merged and unmerged: still no second copy
    one = session.classify("the market", adapter="lora")
    with fastpaths.plain("graph_classify", "merge_adapter_while_answering"):
        plain = {name: session.class_probabilities(rows, name) for name in ("lora", None)}
        plain_one = session.classify("the market", adapter="lora")
    for name in ("lora", None):
        np.testing.assert_allclose(fast[name], plain[name], rtol=1e-4, atol=1e-6)
    assert np.abs(fast["lora"] - fast[None]).max() > 1e-3
    assert [label for label, _ in one] == [label for label, _ in plain_one]
    np.testing.assert_allclose([p for _, p in one], [p for _, p in plain_one], atol=1e-6)


def test_evaluation_of_a_classifier_is_the_same_compiled(runtime, tiny_models, tmp_path):
    """Held-out evaluation (batches of rows of different lengths, a short last batch) gives
    the same probabilities through the compiled classifier as through the model."""
    from factories import write_classification_dataset

    from studio.core import evaluate as ev
    from studio.core import fastpaths
    from studio.core.inference import InferenceSession

    session = InferenceSession(tiny_models("llama", task="seq_cls", num_labels=3,
                                           init_range=0.2), task="seq_cls",
                               label_names=["negative", "neutral", "positive"])
    session.load()
    held = ev.read_heldout(write_classification_dataset(tmp_path / "data.csv", n=11), "seq_cls",
                           labels=session.label_names)
    fast = ev.evaluate(session, held, batch_size=4)
    assert isinstance(session._decoder, graphclassify.GraphClassifier)
    with fastpaths.plain("graph_classify"):
        plain = ev.evaluate(session, held, batch_size=4)
    assert [p.prediction for p in fast.predictions] == [p.prediction for p in plain.predictions]
    np.testing.assert_allclose([p.score for p in fast.predictions],
                               [p.score for p in plain.predictions], rtol=1e-4, atol=1e-6)
    assert fast.metrics == plain.metrics


def test_the_backbone_graph_shares_the_models_weights(runtime, tiny_models):
    """No second copy: the graph's Parameters sit on the model's memory, and a write into a
    model weight in place (MindSpore's Assign) is in the next logits."""
    import mindspore

    from studio.core.inference import graphdecode

    torch = runtime
    model = _classifier(tiny_models, "qwen2")
    compiled = graphclassify.GraphClassifier(model)
    ids, mask = _padded(ROWS[:3])
    before = compiled.logits(ids, mask)
    assert compiled.copy_bytes() == 0
    assert all(p._data_ptr() == t.data_ptr()
               for p, t in zip(compiled._flat, graphdecode.weights(model)[0]))
    weight = model.model.layers[0].self_attn.k_proj.weight
    with torch.no_grad():
        mindspore.ops.assign(weight, weight * 4.0)
    after = compiled.logits(ids, mask)
    assert np.abs(after - before).max() > 1e-3
    np.testing.assert_allclose(after, _model_logits(torch, model, ids, mask), rtol=1e-4,
                               atol=1e-5)
