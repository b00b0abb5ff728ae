"""The compiled BERT classifier gives the model's logits (rows of different lengths padded on
the right, a filler row, lengths over a bucket's edge); a session answers through it with a
LoRA and its trained head as the plain path does; evaluation is the same compiled."""

from __future__ import annotations

import numpy as np

from studio.core.inference import graphbert

ROWS = [[2, 17, 42, 99, 5, 63, 3], [2, 3], list(range(2, 40)), [2, 8, 7, 3]]


def _classifier(tiny_models):
    import transformers

    folder = tiny_models("bert", task="seq_cls", num_labels=3, init_range=0.2)
    return transformers.AutoModelForSequenceClassification.from_pretrained(str(folder)).eval()


def _padded(rows):
    width = max(len(r) for r in rows)
    ids = np.zeros((len(rows), width), np.int64)
    mask = np.zeros((len(rows), width), np.int64)
    for i, row in enumerate(rows):
        ids[i, :len(row)], mask[i, :len(row)] = row, 1
    return ids, mask


def test_logits_equal_the_models(runtime, tiny_models):
    torch = runtime
    model = _classifier(tiny_models)
    assert graphbert.unsupported(model) is None
    compiled = graphbert.GraphBert(model)
    for rows in (ROWS, ROWS[:1], ROWS[1:], [ROWS[2]]):
        ids, mask = _padded(rows)
        with torch.no_grad():
            expected = model(input_ids=torch.tensor(ids),
                             attention_mask=torch.tensor(mask)).logits.numpy()
        got = compiled.logits(ids, mask)
        assert got.shape == expected.shape == (len(rows), 3)
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
    alone = np.concatenate([compiled.logits(*_padded([r])) for r in ROWS[1:]])
    np.testing.assert_allclose(compiled.logits(*_padded(ROWS[1:])), alone, rtol=1e-4, atol=1e-5)
    ids, mask = _padded(ROWS)
    assert compiled.logits(ids[:, ::-1], mask[:, ::-1]) is None      # left padding


def test_what_it_does_not_answer(runtime, tiny_models):
    import transformers

    assert graphbert.unsupported(transformers.AutoModelForCausalLM.from_pretrained(
        str(tiny_models("llama")))) == "model class LlamaForCausalLM"
    model = _classifier(tiny_models)
    model.config.hidden_act = "relu"
    assert graphbert.unsupported(model) == "activation relu"


def test_session_classifies_with_a_lora_and_its_head_as_the_model_does(runtime, tiny_models,
                                                                       tmp_path):
    import transformers
    from factories import write_classification_dataset
    from peft import LoraConfig, get_peft_model

    from studio.core import evaluate as ev
    from studio.core import fastpaths
    from studio.core.inference import InferenceSession, resolve_adapter

    torch = runtime
    folder = tiny_models("bert", task="seq_cls", num_labels=3, init_range=0.2)
    lora = get_peft_model(
        transformers.AutoModelForSequenceClassification.from_pretrained(str(folder)),
        LoraConfig(task_type="SEQ_CLS", r=4, target_modules=["query", "value"],
                   init_lora_weights=False))
    with torch.no_grad():   # the trained head differs from the base's
        lora.base_model.model.classifier.modules_to_save["default"].weight.mul_(-3.0)
    lora.save_pretrained(str(tmp_path / "lora"))
    session = InferenceSession(folder, task="seq_cls",
                               label_names=["negative", "neutral", "positive"])
    session.load()
    session.add_adapter("lora", resolve_adapter(str(tmp_path / "lora")))
    rows = [r for r in ROWS if 0 not in r]

    fast = {name: session.class_probabilities(rows, name) for name in ("lora", None, "lora")}
    assert isinstance(session._decoder, graphbert.GraphBert)
    assert session._decoder.copy_bytes() == 0   # merged and unmerged: still no second copy
    held = ev.read_heldout(write_classification_dataset(tmp_path / "data.csv", n=7), "seq_cls",
                           labels=session.label_names)
    evaluated = ev.evaluate(session, held, "lora", batch_size=4)
    with fastpaths.plain("graph_classify", "merge_adapter_while_answering"):
        plain = {name: session.class_probabilities(rows, name) for name in ("lora", None)}
        plain_evaluated = ev.evaluate(session, held, "lora", batch_size=4)
    for name in ("lora", None):
        np.testing.assert_allclose(fast[name], plain[name], rtol=1e-4, atol=1e-6)
    assert np.abs(fast["lora"] - fast[None]).max() > 1e-3
    np.testing.assert_allclose([p.score for p in evaluated.predictions],
                               [p.score for p in plain_evaluated.predictions], rtol=1e-4,
                               atol=1e-6)
