"""The benchmark's models, built locally with random weights: GPT-2 and Llama at two sizes,
a byte-level BPE tokenizer trained here (vocabulary 8000), a LoRA adapter for each causal
model and a 3-label classification model; a MiniLM-L6-sized BERT classifier with a WordPiece
vocabulary of 30,522 (``bert-minilm-cls``) and a Qwen2-0.5B-shaped causal LM saved as bf16
safetensors with a 151,936-entry BPE vocabulary (``qwen2-0.5b``). Nothing touches the network.

    python -m bench.models DIR llama-tiny gpt2-100m llama-tiny-cls bert-minilm-cls ...

Runs in its own process: with the real PyTorch when it is importable without mindnlp (fast),
otherwise through the studio's runtime (mindnlp). Either way the folders are plain Hugging
Face folders (safetensors) that both stacks load.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

VOCAB = 8000
# name -> (layers, hidden, heads, intermediate); "tiny" is the table, "100m" is about
# 100 M parameters with this vocabulary (Llama 97 M, GPT-2 92 M).
# "minilm" is MiniLM-L6 (BERT, 22 M parameters); "0.5b" is Qwen2-0.5B (494 M, 2 KV heads, tied
# embeddings, stored as bfloat16 like the published checkpoint).
SIZES = {"tiny": (4, 256, 4, 1024), "100m": (12, 768, 12, 2048), "minilm": (6, 384, 12, 1536),
         "0.5b": (24, 896, 14, 4864)}
VOCABS = {"minilm": 30522, "0.5b": 151936}   # the real models' vocabulary sizes
LABELS = ["negative", "neutral", "positive"]


def words(n: int, seed: int) -> list[str]:
    """Random lowercase 'words': enough distinct pieces for BPE to fill an 8000 vocabulary."""
    rng = random.Random(seed)
    return ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 8)))
            for _ in range(n)]


def make_tokenizer(folder: Path, size: int = VOCAB) -> int:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    folder.mkdir(parents=True, exist_ok=True)
    specials = ["<pad>", "<s>", "</s>", "<unk>"]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=size, special_tokens=specials, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  min_frequency=1 if size > VOCAB else 2)
    if size > VOCAB:   # each distinct word seen once: enough merges for ~150k entries (~20 s)
        vocab = words(200_000, 1)
        lines = [" ".join(vocab[i:i + 40]) for i in range(0, len(vocab), 40)]
    else:
        vocab = words(6000, 1)
        rng = random.Random(2)
        lines = [" ".join(rng.choices(vocab, k=40)) for _ in range(3000)]
    tok.train_from_iterator(lines, trainer)
    tok.save(str(folder / "tokenizer.json"))
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "pad_token": "<pad>",
              "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
              "model_max_length": 1024}
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    (folder / "special_tokens_map.json").write_text(json.dumps(
        {k: config[k] for k in ("pad_token", "bos_token", "eos_token", "unk_token")}))
    return tok.get_vocab_size()


def make_wordpiece(folder: Path, size: int) -> int:
    """A BERT (uncased WordPiece) tokenizer with ``size`` entries, trained on random words."""
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    tok = BertWordPieceTokenizer(lowercase=True)
    vocab = words(60_000, 11)
    rng = random.Random(12)
    tok.train_from_iterator([" ".join(rng.choices(vocab, k=40)) for _ in range(12_000)],
                            vocab_size=size, min_frequency=2, show_progress=False)
    fast = BertTokenizerFast(tokenizer_object=tok._tokenizer, model_max_length=512,
                             unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]",
                             cls_token="[CLS]", mask_token="[MASK]")
    fast.save_pretrained(str(folder))
    return len(fast)


def config(family: str, size: str, vocab: int):
    import transformers as tf

    layers, hidden, heads, inter = SIZES[size]
    common = {"vocab_size": vocab, "pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2}
    if family == "bert":
        return tf.BertConfig(hidden_size=hidden, num_hidden_layers=layers,
                             num_attention_heads=heads, intermediate_size=inter,
                             max_position_embeddings=512, vocab_size=vocab, pad_token_id=0)
    if family == "qwen2":
        return tf.Qwen2Config(hidden_size=hidden, intermediate_size=inter,
                              num_hidden_layers=layers, num_attention_heads=heads,
                              num_key_value_heads=2, max_position_embeddings=4096,
                              rope_theta=1_000_000.0, tie_word_embeddings=True, **common)
    if family == "llama":
        return tf.LlamaConfig(hidden_size=hidden, intermediate_size=inter, num_hidden_layers=layers,
                              num_attention_heads=heads, num_key_value_heads=heads,
                              max_position_embeddings=1024, **common)
    if family == "gpt2":
        return tf.GPT2Config(n_embd=hidden, n_layer=layers, n_head=heads, n_inner=inter,
                             n_positions=1024, **common)
    raise ValueError(family)


def build(root: Path, name: str) -> Path:
    """``family-size`` (causal LM plus ``adapter/``) or ``family-size-cls`` (3 labels)."""
    import torch
    import transformers as tf

    family, size, *rest = name.split("-")
    folder = root / name
    if (folder / "config.json").is_file():
        return folder
    if family == "bert":
        vocab = make_wordpiece(folder, VOCABS[size])
    else:
        vocab = make_tokenizer(folder, VOCABS.get(size, VOCAB))
    torch.manual_seed(0)
    cfg = config(family, size, vocab)
    if rest == ["cls"]:
        cfg.num_labels = len(LABELS)
        cfg.id2label = dict(enumerate(LABELS))
        cfg.label2id = {n: i for i, n in enumerate(LABELS)}
        cls = {"llama": tf.LlamaForSequenceClassification, "bert": tf.BertForSequenceClassification,
               "gpt2": tf.GPT2ForSequenceClassification}[family]
        cls(cfg).save_pretrained(str(folder))
        return folder
    model = {"llama": tf.LlamaForCausalLM, "gpt2": tf.GPT2LMHeadModel,
             "qwen2": tf.Qwen2ForCausalLM}[family](cfg)
    if size == "0.5b":   # the published checkpoint's dtype; the adapter is built in float32
        model.to(torch.bfloat16).save_pretrained(str(folder))
        model.to(torch.float32)
    else:
        model.save_pretrained(str(folder))
    from peft import LoraConfig, get_peft_model

    targets = {"gpt2": ["c_attn"]}.get(family, ["q_proj", "k_proj", "v_proj", "o_proj"])
    lora = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules=targets,
                                            task_type="CAUSAL_LM", init_lora_weights=False,
                                            fan_in_fan_out=family == "gpt2"))
    lora.peft_config["default"].base_model_name_or_path = str(folder)
    lora.save_pretrained(str(folder / "adapter"))   # random B: the merge changes the weights
    return folder


def main(argv: list[str]) -> int:
    root, names = Path(argv[0]), argv[1:]
    try:   # the real PyTorch, when it is there and is not mindtorch
        import torch
        if "mindtorch" in getattr(torch, "__file__", ""):
            raise ImportError
        import peft  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        for mod in [m for m in sys.modules if m.split(".")[0] in ("torch", "transformers")]:
            del sys.modules[mod]
        from studio.core.runtime import bootstrap

        bootstrap()
    for name in names:
        build(root, name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
