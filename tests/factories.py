"""Tiny local models and tokenizers for tests: random weights, a tokenizer trained on the fly.
Nothing here touches the network."""

from __future__ import annotations

import json
import random
from pathlib import Path

WORDS = ("the market stock price rose fell profit loss company shares quarter year sales "
         "growth revenue net operating bank euro million percent said will new first today "
         "good bad neutral positive negative strong weak report expects increase decrease "
         "hello world how are you answer question please tell me about cat dog red blue").split()

FAMILIES = ("llama", "gpt2", "qwen2", "t5", "mt5", "bert", "opt", "bloom")


def corpus(n: int = 400, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))) for _ in range(n)]


def make_tokenizer(folder: Path, vocab_size: int = 512, encoder_decoder: bool = False) -> Path:
    """A byte-level BPE tokenizer saved as a Hugging Face folder (tokenizer.json + config),
    built with `tokenizers` alone so no torch/transformers import is needed."""
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
    tok.train_from_iterator(corpus() + [" ".join(WORDS)], trainer)
    if encoder_decoder:  # T5-style: append </s>
        tok.post_processor = processors.TemplateProcessing(
            single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", 2)])
    tok.save(str(folder / "tokenizer.json"))
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "pad_token": "<pad>",
              "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
              "model_max_length": 512}
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    (folder / "special_tokens_map.json").write_text(json.dumps(
        {k: config[k] for k in ("pad_token", "bos_token", "eos_token", "unk_token")}))
    return folder


def model_config(family: str, vocab_size: int = 512, num_labels: int | None = None):
    """A tiny transformers config for a family (imports transformers: bootstrap first)."""
    import transformers as tf

    common = dict(vocab_size=vocab_size, pad_token_id=0, bos_token_id=1, eos_token_id=2)
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
}


def make_model(folder: Path, family: str, task: str | None = None, seed: int = 0,
               num_labels: int | None = None) -> Path:
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
    cfg = model_config(family, num_labels=num_labels)
    model = getattr(tf, _CLASSES[(family, task)])(cfg)
    model.save_pretrained(str(folder))
    return folder
