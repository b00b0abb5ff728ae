"""prepare: tokenised examples per task and format, with exact loss masks."""

from __future__ import annotations

import pytest

from studio.core.data import FALLBACK_CHAT_TEMPLATE, collate, prepare, render_prompt
from studio.core.errors import DatasetError

CONVERSATION = [{"role": "system", "content": "be brief"},
                {"role": "user", "content": "hello"}, {"role": "assistant", "content": "world"},
                {"role": "user", "content": "cat"}, {"role": "assistant", "content": "dog"}]
TEMPLATE = ("{% for m in messages %}<s>{{ m['role'] }}\n{{ m['content'] }}</s>{% endfor %}"
            "{% if add_generation_prompt %}<s>assistant\n{% endif %}")


def ids(tok, text: str) -> list[int]:
    return tok(text, add_special_tokens=False)["input_ids"]


def loss_runs(example: dict) -> list[list[int]]:
    """Contiguous runs of the tokens that carry loss."""
    runs: list[list[int]] = []
    previous = -100
    for token, label in zip(example["input_ids"], example["labels"]):
        if label != -100:
            assert label == token
            if previous == -100:
                runs.append([])
            runs[-1].append(token)
        previous = label
    return runs


def test_instruction_masks_the_prompt(write, cfg, tok):
    path = write("i.jsonl", [{"instruction": "tell me about the market", "input": "",
                              "output": "the market rose"}])
    prepared = prepare(cfg(path, validation_split=0), "causal_lm", tok, 128)
    assert prepared.format == "instruction" and prepared.label_names is None
    prompt = ids(tok, render_prompt("tell me about the market"))
    response = [*ids(tok, "the market rose"), tok.eos_token_id]
    assert prepared.train == [{"input_ids": prompt + response,
                               "labels": [-100] * len(prompt) + response}]
    assert tok.decode(loss_runs(prepared.train[0])[0]) == "the market rose</s>"


def test_instruction_with_input_and_system_prompt(write, cfg, tok):
    path = write("i.jsonl", [{"instruction": "add", "input": "1 and 2", "output": "3"}])
    prepared = prepare(cfg(path, validation_split=0, system_prompt="You add."), "causal_lm",
                       tok, 128)
    example = prepared.train[0]
    prompt = tok.decode([t for t, label in zip(example["input_ids"], example["labels"])
                         if label == -100])
    assert prompt.startswith("You add.") and "### Input:\n1 and 2" in prompt
    assert tok.decode(loss_runs(example)[0]) == "3</s>"


def test_chat_loss_on_assistant_turns_only(write, cfg, tok):
    tok.chat_template = TEMPLATE
    path = write("c.jsonl", [{"messages": CONVERSATION}])
    prepared = prepare(cfg(path, validation_split=0), "causal_lm", tok, 256)
    example = prepared.train[0]
    full = tok.apply_chat_template(CONVERSATION, tokenize=False)
    assert example["input_ids"] == ids(tok, full)
    assert loss_runs(example) == [ids(tok, "world</s>"), ids(tok, "dog</s>")]
    assert prepared.stats["chat_template"] == "model"


def test_chat_fallback_template(write, cfg, tok):
    assert not tok.chat_template
    sharegpt = [{"from": "human", "value": "hello"}, {"from": "gpt", "value": "world"},
                {"from": "human", "value": "cat"}, {"from": "gpt", "value": "dog"}]
    path = write("c.jsonl", [{"conversations": sharegpt}])
    prepared = prepare(cfg(path, validation_split=0, system_prompt="be brief"), "causal_lm",
                       tok, 256)
    example = prepared.train[0]
    assert prepared.stats["chat_template"] == "fallback"
    rendered = tok.apply_chat_template(CONVERSATION, chat_template=FALLBACK_CHAT_TEMPLATE,
                                       tokenize=False)
    assert rendered.startswith("<|im_start|>system\nbe brief</s><|im_start|>user\nhello</s>")
    assert example["input_ids"] == ids(tok, rendered)
    assert loss_runs(example) == [ids(tok, "world</s>"), ids(tok, "dog</s>")]


def test_chat_template_that_is_not_prefix_stable(write, cfg, tok):
    tok.chat_template = ("{% for m in messages|reverse %}{{ m['role'] }}: {{ m['content'] }}\n"
                         "{% endfor %}")
    path = write("c.jsonl", [{"messages": CONVERSATION[1:]}])
    with pytest.raises(DatasetError, match="line 1: the chat template does not render"):
        prepare(cfg(path, validation_split=0), "causal_lm", tok, 256)


def test_text_packing(write, cfg, tok):
    texts = ["the market rose", "profit fell today", "hello world"]
    path = write("t.txt", "\n".join(texts) + "\n")
    prepared = prepare(cfg(path, validation_split=0), "causal_lm", tok, 4)
    stream = [t for text in texts for t in [*ids(tok, text), tok.eos_token_id]]
    blocks = [stream[i:i + 4] for i in range(0, len(stream), 4)]
    blocks = [b for b in blocks if len(b) >= 2]
    assert [e["input_ids"] for e in prepared.train] == blocks
    assert all(e["labels"] == e["input_ids"] for e in prepared.train)
    assert prepared.stats["packed"] is True and prepared.stats["truncated"] == 0


def test_text_without_packing_truncates(write, cfg, tok):
    path = write("t.txt", "the market rose and profit fell today\nhello\n")
    prepared = prepare(cfg(path, validation_split=0, pack=False), "causal_lm", tok, 4)
    first, second = prepared.train
    assert len(first["input_ids"]) == 4 and first["labels"] == first["input_ids"]
    assert second["input_ids"] == [*ids(tok, "hello"), tok.eos_token_id]
    assert prepared.stats["truncated"] == 1


def test_seq_cls_label_ids(write, cfg, tok):
    path = write("d.jsonl", [{"text": "good", "label": 10}, {"text": "bad", "label": 2},
                             {"text": "ok", "label": 10}])
    prepared = prepare(cfg(path, validation_split=0), "seq_cls", tok, 16)
    assert prepared.label_names == ["2", "10"]
    assert [e["labels"] for e in prepared.train] == [1, 0, 1]
    assert prepared.train[0]["input_ids"] == tok("good")["input_ids"]
    declared = prepare(cfg(path, validation_split=0, labels=["10", "2"]), "seq_cls", tok, 16)
    assert [e["labels"] for e in declared.train] == [0, 1, 0]


def test_seq2seq_from_classification_uses_label_word(write, cfg, tok, t5_tokenizer_dir):
    from transformers import AutoTokenizer

    path = write("d.csv", "text,label\nthe market rose,positive\nprofit fell,negative\n")
    prepared = prepare(cfg(path, validation_split=0), "seq2seq", tok, 32)
    assert prepared.train[0]["labels"] == [*ids(tok, "positive"), tok.eos_token_id]
    t5 = AutoTokenizer.from_pretrained(str(t5_tokenizer_dir))
    prepared = prepare(cfg(path, validation_split=0), "seq2seq", t5, 32)
    example = prepared.train[0]
    assert example["labels"] == [*ids(t5, "positive"), t5.eos_token_id]  # one eos, not two
    assert example["input_ids"] == [*ids(t5, "the market rose"), t5.eos_token_id]


def test_seq2seq_truncation_keeps_eos(write, cfg, t5_tokenizer_dir):
    from transformers import AutoTokenizer

    t5 = AutoTokenizer.from_pretrained(str(t5_tokenizer_dir))
    path = write("d.jsonl", [{"source": "the market rose and the company said profit fell",
                              "target": "hello world how are you today"}])
    prepared = prepare(cfg(path, validation_split=0), "seq2seq", t5, 5)
    example = prepared.train[0]
    assert len(example["input_ids"]) == 5 and example["input_ids"][-1] == t5.eos_token_id
    assert len(example["labels"]) == 5 and example["labels"][-1] == t5.eos_token_id
    assert prepared.stats["truncated"] == 2


def test_instruction_for_seq2seq(write, cfg, t5_tokenizer_dir):
    from transformers import AutoTokenizer

    t5 = AutoTokenizer.from_pretrained(str(t5_tokenizer_dir))
    path = write("i.jsonl", [{"instruction": "say the colour", "input": "cat", "output": "red"}])
    example = prepare(cfg(path, validation_split=0), "seq2seq", t5, 32).train[0]
    assert example["input_ids"] == [*ids(t5, "say the colour\ncat"), t5.eos_token_id]
    assert example["labels"] == [*ids(t5, "red"), t5.eos_token_id]


def test_seq2seq_data_for_causal_lm(write, cfg, tok):
    path = write("d.jsonl", [{"question": "why", "answer": "because"}])
    example = prepare(cfg(path, validation_split=0), "causal_lm", tok, 128).train[0]
    assert loss_runs(example) == [[*ids(tok, "because"), tok.eos_token_id]]


def test_token_cls_alignment(write, cfg, tok):
    words = ["the", "unbelievably", "market"]
    pieces = [ids(tok, w) for w in words]
    assert len(pieces[1]) > 1  # the test needs a word split into several sub-tokens
    path = write("t.jsonl", [{"tokens": words, "ner_tags": ["O", "B-X", "O"]}])
    prepared = prepare(cfg(path, validation_split=0, labels=["O", "B-X"]), "token_cls", tok, 64)
    example = prepared.train[0]
    assert prepared.label_names == ["O", "B-X"]
    assert example["input_ids"] == [t for p in pieces for t in p]
    expected = [tag for p, tag in zip(pieces, [0, 1, 0]) for tag in [tag] + [-100] * (len(p) - 1)]
    assert example["labels"] == expected


def test_token_cls_truncation_keeps_specials(write, cfg, t5_tokenizer_dir):
    from transformers import AutoTokenizer

    t5 = AutoTokenizer.from_pretrained(str(t5_tokenizer_dir))
    path = write("t.jsonl", [{"tokens": ["the", "market", "rose", "today", "hello"],
                              "tags": [0, 1, 0, 0, 1]}])
    prepared = prepare(cfg(path, validation_split=0), "token_cls", t5, 4)
    example = prepared.train[0]
    assert example["input_ids"][-1] == t5.eos_token_id and len(example["input_ids"]) == 4
    assert example["labels"][-1] == -100 and example["labels"][0] == 0
    assert prepared.label_names == ["0", "1"] and prepared.stats["truncated"] == 1


def test_split_reproducible_and_stratified(write, cfg, tok):
    rows = [{"text": f"row {i}", "label": "a" if i % 4 else "b"} for i in range(40)]
    path = write("d.jsonl", rows)
    first = prepare(cfg(path, validation_split=0.2, seed=1), "seq_cls", tok, 16)
    again = prepare(cfg(path, validation_split=0.2, seed=1), "seq_cls", tok, 16)
    other = prepare(cfg(path, validation_split=0.2, seed=2), "seq_cls", tok, 16)
    assert first.train == again.train and first.validation == again.validation
    assert first.validation != other.validation
    assert len(first.validation) == 8 and len(first.train) == 32
    assert sorted(e["labels"] for e in first.validation) == [0] * 6 + [1] * 2


def test_max_samples_and_validation_file(write, cfg, tok):
    path = write("d.jsonl", [{"text": f"t{i}", "label": i % 2} for i in range(20)])
    val = write("v.jsonl", [{"text": "v", "label": 1}])
    prepared = prepare(cfg(path, max_samples=6, validation_path=str(val)), "seq_cls", tok, 16)
    assert len(prepared.train) == 6 and len(prepared.validation) == 1
    assert prepared.stats["rows"] == 20 and prepared.stats["used_rows"] == 6


def test_data_problems_raise(write, cfg, tok):
    cls = write("d.csv", "text,label\ngood,pos\nbad,neg\n")
    with pytest.raises(DatasetError, match="classification data does not fit task causal_lm"):
        prepare(cfg(cls), "causal_lm", tok, 16)
    with pytest.raises(DatasetError, match="unknown label 'neg'"):
        prepare(cfg(cls, labels=["pos", "other"]), "seq_cls", tok, 16)
    with pytest.raises(DatasetError, match="unknown task"):
        prepare(cfg(cls), "vision", tok, 16)


def test_long_prompt_loses_its_start(write, cfg, tok):
    path = write("i.jsonl", [{"instruction": "tell me about the market today", "output": "red"},
                             {"instruction": "hi", "output": "the market rose and fell " * 4}])
    prepared = prepare(cfg(path, validation_split=0), "causal_lm", tok, 12)
    short_answer, long_answer = prepared.train
    answer = [*ids(tok, "red"), tok.eos_token_id]
    prompt = ids(tok, render_prompt("tell me about the market today"))
    assert short_answer["input_ids"] == prompt[-(12 - len(answer)):] + answer
    assert loss_runs(short_answer) == [answer]
    assert len(long_answer["input_ids"]) == 12
    assert long_answer["labels"].count(-100) == 6  # the response keeps half
    assert prepared.stats["truncated"] == 2


def test_empty_train_set_is_an_error(write, cfg, tok):
    tok.chat_template = TEMPLATE
    path = write("c.jsonl", [{"messages": CONVERSATION}])
    with pytest.raises(DatasetError, match="no training examples left"):
        prepare(cfg(path, validation_split=0), "causal_lm", tok, 8)


def test_prepared_examples_collate(write, cfg, tok):
    path = write("i.jsonl", [{"instruction": "say hi", "output": "hello"},
                             {"instruction": "tell me about the market", "output": "it rose"}])
    prepared = prepare(cfg(path, validation_split=0), "causal_lm", tok, 128)
    batch = collate(prepared.train, tok.pad_token_id, "causal_lm")
    lengths = [len(e["input_ids"]) for e in prepared.train]
    assert batch["input_ids"].shape == (2, max(lengths))
    assert batch["attention_mask"].sum(axis=1).tolist() == lengths
    assert (batch["labels"][batch["attention_mask"] == 0] == -100).all()
