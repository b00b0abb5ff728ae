"""Tiny local models and tokenizers for tests: random weights, a tokenizer trained on the fly.
Nothing here touches the network."""

from __future__ import annotations

import json
import random
import socket
from pathlib import Path

WORDS = [
    "the", "market", "stock", "price", "rose", "fell", "profit", "loss", "company", "shares",
    "quarter", "year", "sales", "growth", "revenue", "net", "operating", "bank", "euro", "million",
    "percent", "said", "will", "new", "first", "today", "good", "bad", "neutral", "positive",
    "negative", "strong", "weak", "report", "expects", "increase", "decrease", "hello", "world",
    "how", "are", "you", "answer", "question", "please", "tell", "me", "about", "cat", "dog", "red",
    "blue"
]

FAMILIES = ("llama", "gpt2", "qwen2", "t5", "mt5", "bert", "opt", "bloom")


def corpus(n: int = 400, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))) for _ in range(n)]


# A small chat template that renders tools and tool calls (the shape of Qwen's / Hermes'):
# tools in the system turn, each call as <call>{json}</call> after the assistant's text.
TOOL_CHAT_TEMPLATE = (
    "{% if tools %}<|system|>{% if messages[0]['role'] == 'system' %}"
    "{{ messages[0]['content'] }}\n{% endif %}Tools:{% for tool in tools %}{{ '\\n' }}"
    "{{ tool | tojson }}{% endfor %}</s>"
    "{% elif messages[0]['role'] == 'system' %}<|system|>{{ messages[0]['content'] }}</s>"
    "{% endif %}"
    "{% for m in messages %}{% if m['role'] == 'assistant' %}<|assistant|>{{ m['content'] }}"
    "{% for c in m['tool_calls'] or [] %}<call>{{ {'name': c['function']['name'], "
    "'arguments': c['function']['arguments']} | tojson }}</call>{% endfor %}</s>"
    "{% elif m['role'] != 'system' %}<|{{ m['role'] }}|>{{ m['content'] }}</s>{% endif %}"
    "{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}")


def make_tokenizer(folder: Path, vocab_size: int = 512, encoder_decoder: bool = False,
                   chat_template: str | None = None) -> Path:
    """A byte-level BPE tokenizer saved as a Hugging Face folder (tokenizer.json + config),
    built with `tokenizers` alone so no torch/transformers import is needed. It has no chat
    template unless one is given (e.g. TOOL_CHAT_TEMPLATE)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    specials = ["<pad>", "<s>", "</s>", "<unk>"]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tok.train_from_iterator([*corpus(), " ".join(WORDS)], trainer)
    if encoder_decoder:  # T5-style: append </s>
        tok.post_processor = processors.TemplateProcessing(
            single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", 2)])
    tok.save(str(folder / "tokenizer.json"))
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "pad_token": "<pad>",
              "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
              "model_max_length": 512}
    if chat_template:
        config["chat_template"] = chat_template
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    (folder / "special_tokens_map.json").write_text(json.dumps(
        {k: config[k] for k in ("pad_token", "bos_token", "eos_token", "unk_token")}))
    return folder


def model_config(family: str, vocab_size: int = 512, num_labels: int | None = None,
                 init_range: float | None = None):
    """A tiny transformers config for a family (imports transformers: bootstrap first)."""
    import transformers as tf

    common = {"vocab_size": vocab_size, "pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2}
    if family == "llama":
        cfg = tf.LlamaConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                             num_attention_heads=4, num_key_value_heads=2,
                             max_position_embeddings=256, **common)
    elif family == "qwen2":
        cfg = tf.Qwen2Config(hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                             num_attention_heads=4, num_key_value_heads=2,
                             max_position_embeddings=256, **common)
    elif family == "gpt2":
        cfg = tf.GPT2Config(n_embd=32, n_layer=2, n_head=4, n_positions=256, **common)
    elif family == "opt":
        cfg = tf.OPTConfig(hidden_size=32, ffn_dim=64, num_hidden_layers=2,
                           num_attention_heads=4, word_embed_proj_dim=32,
                           max_position_embeddings=256, **common)
    elif family == "bloom":
        cfg = tf.BloomConfig(hidden_size=32, n_layer=2, n_head=4, **common)
    elif family in ("t5", "mt5"):
        cls = tf.T5Config if family == "t5" else tf.MT5Config
        cfg = cls(d_model=32, d_kv=8, d_ff=64, num_layers=2, num_decoder_layers=2, num_heads=4,
                  decoder_start_token_id=0, vocab_size=vocab_size, pad_token_id=0,
                  eos_token_id=2)
    elif family == "bert":
        cfg = tf.BertConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                            num_attention_heads=4, max_position_embeddings=256,
                            vocab_size=vocab_size, pad_token_id=0)
    else:
        raise ValueError(family)
    if num_labels is not None:
        cfg.num_labels = num_labels
    if init_range is not None:
        # At the default 0.02 a tiny model's final norm caps its logits near +-0.6, so it
        # cannot get far below a uniform loss whatever the adapter learns.
        if hasattr(cfg, "initializer_range"):
            cfg.initializer_range = init_range
        if hasattr(cfg, "initializer_factor"):
            cfg.initializer_factor = init_range / 0.02
    return cfg


_CLASSES = {
    ("llama", "causal_lm"): "LlamaForCausalLM", ("qwen2", "causal_lm"): "Qwen2ForCausalLM",
    ("gpt2", "causal_lm"): "GPT2LMHeadModel", ("opt", "causal_lm"): "OPTForCausalLM",
    ("bloom", "causal_lm"): "BloomForCausalLM", ("t5", "seq2seq"): "T5ForConditionalGeneration",
    ("mt5", "seq2seq"): "MT5ForConditionalGeneration",
    ("bert", "seq_cls"): "BertForSequenceClassification",
    ("bert", "token_cls"): "BertForTokenClassification",
    ("llama", "seq_cls"): "LlamaForSequenceClassification",
    ("gpt2", "seq_cls"): "GPT2ForSequenceClassification",
    ("qwen2", "seq_cls"): "Qwen2ForSequenceClassification",
    ("opt", "seq_cls"): "OPTForSequenceClassification",
}


def make_model(folder: Path, family: str, task: str | None = None, seed: int = 0,
               num_labels: int | None = None, init_range: float | None = None) -> Path:
    """Save a tiny random-weight model plus tokenizer as a Hugging Face folder."""
    from studio.core.runtime import bootstrap

    bootstrap()
    import torch
    import transformers as tf

    task = task or ("seq2seq" if family in ("t5", "mt5") else
                    "seq_cls" if family == "bert" else "causal_lm")
    folder = Path(folder)
    make_tokenizer(folder, encoder_decoder=family in ("t5", "mt5"))
    torch.manual_seed(seed)
    cfg = model_config(family, num_labels=num_labels, init_range=init_range)
    model = getattr(tf, _CLASSES[(family, task)])(cfg)
    model.save_pretrained(str(folder))
    return folder


# ---- small learnable datasets ---------------------------------------------------------------
_PATTERNS = ["the market rose and the company said profit will increase",
             "the bank said sales fell and the stock price will decrease",
             "hello world how are you today",
             "please tell me about the cat and the dog"]


def write_text_dataset(path: Path, n: int = 32) -> Path:
    """Plain text lines with a few repeated patterns: a causal LM learns them in a few steps."""
    path = Path(path)
    path.write_text("\n".join(_PATTERNS[i % len(_PATTERNS)] for i in range(n)) + "\n")
    return path


def write_instruction_dataset(path: Path, n: int = 32) -> Path:
    rows = [{"instruction": "say the colour", "input": w, "output": "red" if i % 2 else "blue"}
            for i, w in enumerate(["cat", "dog"] * (n // 2))]
    Path(path).write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return Path(path)


def write_classification_dataset(path: Path, n: int = 48) -> Path:
    """text,label CSV where the label is given away by a word: learnable in a few steps."""
    rng = random.Random(1)
    lines = ["text,label"]
    for i in range(n):
        label = ("positive", "negative", "neutral")[i % 3]
        cue = {"positive": "profit rose strong good", "negative": "loss fell weak bad",
               "neutral": "report said today"}[label]
        filler = " ".join(rng.choice(WORDS[:20]) for _ in range(3))
        lines.append(f"{cue} {filler},{label}")
    Path(path).write_text("\n".join(lines) + "\n")
    return Path(path)


def write_seq2seq_dataset(path: Path, n: int = 32) -> Path:
    rows = [{"source": f"translate {w}", "target": t} for w, t in
            [("cat", "red"), ("dog", "blue")] * (n // 2)]
    Path(path).write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return Path(path)


def write_chat_dataset(path: Path, n: int = 24) -> Path:
    """``messages`` rows teaching cat -> blue, dog -> red."""
    rows = [{"messages": [{"role": "user", "content": f"colour of {w}"},
                          {"role": "assistant", "content": c}]}
            for w, c in [("cat", "blue"), ("dog", "red")] * (n // 2)]
    Path(path).write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return Path(path)


def write_token_dataset(path: Path, n: int = 32) -> Path:
    rows = []
    for i in range(n):
        tokens = ["the", "bank", "said", "profit", "rose"] if i % 2 else ["hello", "cat", "dog"]
        tags = ["O", "ORG", "O", "O", "O"] if i % 2 else ["O", "ANIMAL", "ANIMAL"]
        rows.append({"tokens": tokens, "tags": tags})
    Path(path).write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return Path(path)


def write_run_file(path: Path, model: Path, dataset: Path, method: dict | str = "lora",
                   training: dict | None = None, dataset_options: dict | None = None,
                   **top) -> Path:
    import yaml

    run = {"model": str(model), "dataset": {"path": str(dataset), **(dataset_options or {})},
           "method": {"name": method} if isinstance(method, str) else method,
           "training": {"epochs": 2, "batch_size": 8, "learning_rate": 1e-2, "max_length": 32,
                        **(training or {})}, **top}
    Path(path).write_text(yaml.safe_dump(run))
    return Path(path)


# ---- training in process ----------------------------------------------------------------
class Recorder:
    def __init__(self, on_step=None):
        self.events: list[dict] = []
        self.on_step = on_step

    def __call__(self, event: str, **fields):
        ev = {"event": event, **fields}
        self.events.append(ev)
        if event == "step" and self.on_step:
            self.on_step(ev)

    def of(self, kind: str) -> list[dict]:
        return [e for e in self.events if e["event"] == kind]


def train(run_file: Path, recorder: Recorder | None = None, store=None):
    from studio.core import runner
    from studio.core.store import RunStore
    from studio.core.validate import load_and_validate

    recorder = recorder or Recorder()
    store = store if store is not None else RunStore()
    code = runner.start(load_and_validate(run_file), recorder, store)
    return code, recorder, store


def train_ok(run_file: Path, store=None):
    """Train and insist it worked (the errors are the assertion's message)."""
    code, recorder, store = train(run_file, store=store)
    assert code == 0, recorder.of("error")
    return store


def train_colours(root: Path, model: Path) -> dict:
    """A LoRA on ``model`` (a tiny llama) that learned cat -> blue, dog -> red in chat form
    (the tokenizer has no chat template, so training used the fallback one): its base, its
    output folder and the run store holding the run."""
    from studio.core.store import RunStore

    # no dropout: what it memorises must not hang on one random stream's masks
    run_file = write_run_file(root / "run.yaml", model, write_chat_dataset(root / "chat.jsonl"),
                              method={"name": "lora", "lora_dropout": 0.0},
                              training={"epochs": 4, "batch_size": 8, "learning_rate": 3e-2,
                                        "max_length": 64},
                              output_dir=str(root / "out"), name="colours")
    store_path = root / "store.sqlite"
    with RunStore(store_path) as store:
        train_ok(run_file, store)
    return {"model": model, "out": root / "out", "store": store_path}


def free_port() -> int:
    """A TCP port on localhost that nothing listens on now (for a server a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_tool_template(model: Path, folder: Path) -> Path:
    """A copy of ``model`` whose tokenizer has TOOL_CHAT_TEMPLATE (renders tools and calls)."""
    import shutil

    shutil.copytree(model, folder)
    config_path = folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config_path.write_text(json.dumps({**config, "chat_template": TOOL_CHAT_TEMPLATE}))
    return folder


def tool_training_text(tmp_path: Path, model: Path, messages: list, tools: list,
                       name: str) -> tuple[str, list[int]]:
    """What training renders for this conversation (ending with an answer) with ``tools``:
    the text before the last answer (``data.rendering``'s spans) and the token ids before it
    (``prepare``)."""
    from transformers import AutoTokenizer

    from studio.core.config import DatasetConfig
    from studio.core.data import prepare
    from studio.core.data.rendering import render_row

    path = tmp_path / f"{name}.jsonl"
    path.write_text(json.dumps({"messages": messages, "tools": tools}) + "\n")
    tokenizer = AutoTokenizer.from_pretrained(str(model))
    render = render_row(DatasetConfig(path=str(path)), tokenizer, 1, 1024)
    assert render["chat_template"] == "model" and render["spans"][-1]["loss"]
    example = prepare(DatasetConfig(path=str(path), validation_split=0), "causal_lm",
                      tokenizer, 1024).train[0]
    answer = render["spans"][-1]["tokens"]
    return "".join(s["text"] for s in render["spans"][:-1]), example["input_ids"][:-answer]
