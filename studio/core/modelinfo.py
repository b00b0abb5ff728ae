"""What a model is, read from its ``config.json`` alone: no torch, no transformers, no network.

A hub id (``org/name``) with no local folder is reported as remote; its config is read from the
local Hugging Face cache when present, otherwise the model is downloaded at train time.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StudioError
from .messages import lines, msg
from .parsing import ParseError, load_json

# model_type -> family; mistral is LLaMA-shaped (same module names, no biases).
FAMILIES = {"llama": "llama", "mistral": "llama", "qwen2": "qwen2", "gpt2": "gpt2", "opt": "opt",
            "bloom": "bloom", "t5": "t5", "mt5": "mt5", "bert": "bert", "roberta": "roberta",
            "xlm-roberta": "roberta", "camembert": "roberta"}
ENCODER_ONLY = {"bert", "roberta", "xlm-roberta", "camembert", "distilbert", "albert", "electra",
                "deberta", "deberta-v2", "ernie", "mpnet"}
ENCODER_DECODER = {"t5", "mt5", "umt5", "longt5", "bart", "mbart", "pegasus", "marian"}
TASKS_BY_KIND = {"decoder": ("causal_lm", "seq_cls"), "encoder-decoder": ("seq2seq",),
                 "encoder": ("seq_cls", "token_cls")}
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "tokenizer.model", "spiece.model",
                   "vocab.txt", "vocab.json", "sentencepiece.bpe.model")

# Last components of module names per family (containers included, as peft matches suffixes),
# so validation can flag a target that matches nothing. Checked against tiny models in tests.
MODULE_NAMES: dict[str, frozenset[str]] = {
    "llama": frozenset([
        "model", "layers", "self_attn", "q_proj", "k_proj", "v_proj", "o_proj", "mlp", "gate_proj",
        "up_proj", "down_proj", "act_fn", "embed_tokens", "input_layernorm",
        "post_attention_layernorm", "norm", "rotary_emb", "lm_head", "score"
    ]),
    "gpt2": frozenset([
        "transformer", "h", "attn", "c_attn", "c_proj", "attn_dropout", "resid_dropout", "mlp",
        "c_fc", "act", "dropout", "wte", "wpe", "drop", "ln_1", "ln_2", "ln_f", "lm_head", "score"
    ]),
    "opt": frozenset([
        "model", "decoder", "layers", "self_attn", "q_proj", "k_proj", "v_proj", "out_proj", "fc1",
        "fc2", "activation_fn", "embed_tokens", "embed_positions", "self_attn_layer_norm",
        "final_layer_norm", "project_in", "project_out", "lm_head", "score"
    ]),
    "bloom": frozenset([
        "transformer", "h", "self_attention", "query_key_value", "dense", "attention_dropout",
        "mlp", "dense_h_to_4h", "dense_4h_to_h", "gelu_impl", "word_embeddings",
        "word_embeddings_layernorm", "input_layernorm", "post_attention_layernorm", "ln_f",
        "lm_head", "score"
    ]),
    "t5": frozenset([
        "shared", "encoder", "decoder", "block", "layer", "SelfAttention", "EncDecAttention", "q",
        "k", "v", "o", "relative_attention_bias", "DenseReluDense", "wi", "wi_0", "wi_1", "wo",
        "act", "dropout", "layer_norm", "final_layer_norm", "embed_tokens", "lm_head"
    ]),
    "bert": frozenset([
        "bert", "roberta", "embeddings", "word_embeddings", "position_embeddings",
        "token_type_embeddings", "LayerNorm", "dropout", "encoder", "layer", "attention", "self",
        "query", "key", "value", "output", "dense", "intermediate", "intermediate_act_fn", "pooler",
        "activation", "classifier", "out_proj", "lm_head", "decoder"
    ]),
}
MODULE_NAMES["qwen2"] = MODULE_NAMES["llama"]
MODULE_NAMES["mt5"] = MODULE_NAMES["t5"]
MODULE_NAMES["roberta"] = MODULE_NAMES["bert"]

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")


@dataclass
class ModelInfo:
    path: str
    remote: bool
    model_type: str | None
    family: str | None
    architectures: tuple[str, ...]
    is_encoder_decoder: bool
    tasks: tuple[str, ...]
    default_task: str | None
    hidden_size: int | None
    num_layers: int | None
    num_heads: int | None
    vocab_size: int | None
    param_estimate: int | None
    has_bias: bool | None
    tokenizer_present: bool

    @property
    def kind(self) -> str | None:
        """'decoder', 'encoder' or 'encoder-decoder'; None when nothing is known."""
        if self.model_type is None:
            return None
        if self.is_encoder_decoder:
            return "encoder-decoder"
        return "encoder" if self.model_type in ENCODER_ONLY else "decoder"


def looks_like_hub_id(text: str) -> bool:
    return bool(_HUB_ID.match(text)) and ".." not in text and not text.startswith(".")


def looks_local(text: str) -> bool:
    """A path the user meant on this machine: it starts with ``.``, ``/`` or ``~``, has more
    than one ``/``, or its first part exists here (``models/tiny`` next to a ``models``
    folder). Missing, it is "not found", never a hub id to download."""
    if text.startswith((".", "/", "~")) or text.count("/") > 1 or "\\" in text:
        return True
    return "/" in text and Path(text.split("/")[0]).expanduser().exists()


def inspect(model: str) -> ModelInfo:
    """Describe a local model folder or a hub id. Raises StudioError for a folder that is not a
    model, an unreadable config.json, or a path that does not exist and is not a hub id."""
    if not model:
        raise StudioError(msg("modelinfo.no_model_given_name"))
    path = Path(model).expanduser()
    if path.is_file():
        raise StudioError(msg("modelinfo.file_model_folder_that", model=model))
    if path.exists() and not path.is_dir():
        raise StudioError(msg("modelinfo.not_folder_pipe_socket", model=model))
    if path.is_dir():
        return _from_config(str(path), _read_config(path / "config.json"), remote=False,
                            tokenizer_present=any((path / n).is_file() for n in TOKENIZER_FILES))
    if looks_local(model):
        raise StudioError(msg("modelinfo.model_folder_not_exist_2", model=model))
    if not looks_like_hub_id(model):
        raise StudioError(msg("modelinfo.model_folder_not_exist", model=model))
    cached = _cached_snapshot(model)
    if cached is None and _offline():
        from .download import offline_not_cached

        raise offline_not_cached(model)
    if cached is None:
        return ModelInfo(model, True, None, None, (), False, (), None, None, None, None, None,
                         None, None, False)
    return _from_config(model, _read_config(cached / "config.json"), remote=True,
                        tokenizer_present=any((cached / n).is_file() for n in TOKENIZER_FILES))


MAX_CONFIG_BYTES = 16 << 20  # a config.json is a few kilobytes
# Sizes read from config.json; each, when set, must be a whole number of at least 1.
SIZE_KEYS = ("hidden_size", "n_embd", "d_model", "dim", "num_hidden_layers", "n_layer",
             "num_layers", "n_layers", "num_attention_heads", "n_head", "num_heads", "n_heads",
             "num_key_value_heads", "head_dim", "d_kv", "vocab_size", "intermediate_size",
             "n_inner", "ffn_dim", "d_ff", "max_position_embeddings", "n_positions")


def _offline() -> bool:
    from .hub import offline

    return offline()


def _read_config(file: Path) -> dict[str, Any]:
    try:
        info = file.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise StudioError(msg("modelinfo.cannot_read",
                              file=file, error=exc.strerror or exc)) from None
    if info is None or stat.S_ISDIR(info.st_mode):
        raise StudioError(msg("modelinfo.folder_no_config_json", folder=file.parent))
    if not stat.S_ISREG(info.st_mode):
        raise StudioError(msg("modelinfo.not_regular_file_pipe", file=file))
    if info.st_size > MAX_CONFIG_BYTES:
        raise StudioError(msg("modelinfo.mib_model_s_config", file=file, value=info.st_size >> 20))
    try:
        data = load_json(file.read_text(encoding="utf-8"), allow_nan=True)
    except (OSError, UnicodeDecodeError) as exc:
        raise StudioError(msg("modelinfo.cannot_read", file=file, error=exc)) from None
    except json.JSONDecodeError as exc:
        raise StudioError(msg("modelinfo.not_valid_json_line", file=file, lineno=exc.lineno,
                              colno=exc.colno, detail=exc.msg)) from None
    except ParseError as exc:
        raise StudioError(msg("modelinfo.not_usable_config_json", file=file,
                                  error=exc.message)) from None
    if not isinstance(data, dict) or not (data.get("model_type") or data.get("architectures")):
        raise StudioError(msg("modelinfo.not_describe_model_neither", file=file))
    faults = _config_faults(data)
    if faults:
        raise StudioError(msg("modelinfo.unusable_model", file=file,
                              faults=lines(faults, "text.semicolons")))
    return data


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return msg("modelinfo.shown_list" if isinstance(value, list) else "modelinfo.shown_mapping")
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def _config_faults(cfg: dict[str, Any]) -> list[str]:
    faults = []
    archs = cfg.get("architectures")
    if archs is not None and not (isinstance(archs, list)
                                  and all(isinstance(a, str) for a in archs)):
        faults.append(msg("modelinfo.bad_architectures", found=_shown(archs)))
    model_type = cfg.get("model_type")
    if model_type is not None and not isinstance(model_type, str):
        faults.append(msg("modelinfo.model_type_not_text", found=_shown(model_type)))
    elif model_type:
        known = known_model_types()
        if known is not None and model_type not in known and model_type not in FAMILIES:
            faults.append(msg("modelinfo.unknown_model_type", model_type=_shown(model_type)[1:-1],
                              families=", ".join(sorted(set(FAMILIES.values())))))
    flag = cfg.get("is_encoder_decoder")
    if flag is not None and not isinstance(flag, bool):
        faults.append(msg("modelinfo.bad_encoder_decoder_flag", found=_shown(flag)))
    for key in SIZE_KEYS:
        value = cfg.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            faults.append(msg("modelinfo.bad_size", key=key, found=_shown(value)))
    if faults:
        return faults
    heads = _first(cfg, "num_attention_heads", "n_head", "num_heads", "n_heads")
    hidden = _first(cfg, "hidden_size", "n_embd", "d_model", "dim")
    if heads and hidden and _first(cfg, "head_dim", "d_kv") is None and hidden % heads:
        faults.append(msg("modelinfo.hidden_not_divisible", hidden=hidden, heads=heads))
    kv = _first(cfg, "num_key_value_heads")
    if heads and kv and heads % kv:
        faults.append(msg("modelinfo.kv_heads_not_divisible", heads=heads, kv=kv))
    return faults


@functools.lru_cache(maxsize=1)
def known_model_types() -> frozenset[str] | None:
    """The model types the installed transformers knows, read from its source without
    importing it (importing transformers here would take seconds and pull in torch); None when
    that file cannot be read, and then no model type is refused."""
    spec = importlib.util.find_spec("transformers")
    if spec is None or spec.origin is None:
        return None
    source = Path(spec.origin).parent / "models" / "auto" / "configuration_auto.py"
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "CONFIG_MAPPING_NAMES"
                                                for t in node.targets):
            try:
                return frozenset(str(pair[0]) for pair in ast.literal_eval(node.value.args[0]))
            except (AttributeError, IndexError, TypeError, ValueError):
                return None
    return None


def _cached_snapshot(hub_id: str) -> Path | None:
    """The newest snapshot of a hub id that has config.json, in the local cache of the chosen
    source (Hugging Face's, or ModelScope's)."""
    from . import hub as hub_choice

    if hub_choice.from_environment().source == "modelscope":
        from .modelscope import cached_snapshot

        return cached_snapshot(hub_id)
    hub = os.environ.get("HF_HUB_CACHE") or os.path.join(
        os.environ.get("HF_HOME") or os.path.join(Path.home(), ".cache", "huggingface"), "hub")
    repo = Path(hub) / ("models--" + hub_id.replace("/", "--"))
    ref = repo / "refs" / "main"
    if ref.is_file():
        snapshot = repo / "snapshots" / ref.read_text().strip()
        if (snapshot / "config.json").is_file():
            return snapshot
    snapshots = sorted((repo / "snapshots").glob("*/config.json"), key=lambda p: p.stat().st_mtime)
    return snapshots[-1].parent if snapshots else None


def _first(cfg: dict[str, Any], *keys: str) -> int | None:
    for key in keys:
        value = cfg.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _from_config(path: str, cfg: dict[str, Any], remote: bool,
                 tokenizer_present: bool) -> ModelInfo:
    archs = tuple(a for a in cfg.get("architectures") or () if isinstance(a, str))
    model_type = str(cfg.get("model_type") or _type_from_arch(archs))
    enc_dec = bool(cfg.get("is_encoder_decoder")) or model_type in ENCODER_DECODER
    kind = "encoder-decoder" if enc_dec else "encoder" if model_type in ENCODER_ONLY else "decoder"
    hidden = _first(cfg, "hidden_size", "n_embd", "d_model", "dim")
    layers = _first(cfg, "num_hidden_layers", "n_layer", "num_layers", "n_layers")
    return ModelInfo(
        path=path, remote=remote, model_type=model_type,
        family=FAMILIES.get(model_type, model_type), architectures=archs,
        is_encoder_decoder=enc_dec, tasks=TASKS_BY_KIND[kind],
        default_task=_default_task(archs, kind), hidden_size=hidden, num_layers=layers,
        num_heads=_first(cfg, "num_attention_heads", "n_head", "num_heads", "n_heads"),
        vocab_size=_first(cfg, "vocab_size"), param_estimate=_estimate(cfg, kind, hidden, layers),
        has_bias=_has_bias(cfg, model_type), tokenizer_present=tokenizer_present)


def _type_from_arch(archs: tuple[str, ...]) -> str:
    name = archs[0] if archs else "unknown"
    return re.split(r"For|LMHead|Model", name)[0].lower() or "unknown"


def _default_task(archs: tuple[str, ...], kind: str) -> str:
    joined = " ".join(archs)
    if "ForTokenClassification" in joined:
        return "token_cls"
    if "ForSequenceClassification" in joined or kind == "encoder":
        return "seq_cls"
    return "seq2seq" if kind == "encoder-decoder" else "causal_lm"


def _has_bias(cfg: dict[str, Any], model_type: str) -> bool | None:
    family = FAMILIES.get(model_type)
    if family == "llama":  # optional biases, off in the released checkpoints
        return bool(cfg.get("attention_bias") or cfg.get("mlp_bias"))
    if family == "opt":
        return bool(cfg.get("enable_bias", True))
    if family in ("t5", "mt5"):
        return False
    return True if family in ("gpt2", "bert", "roberta", "bloom", "qwen2") else None


def _estimate(cfg: dict[str, Any], kind: str, hidden: int | None,
              layers: int | None) -> int | None:
    """A rough parameter count (embeddings + attention + MLP), good to a few percent."""
    if not hidden or not layers:
        return None
    vocab = _first(cfg, "vocab_size") or 0
    ffn = _first(cfg, "intermediate_size", "n_inner", "ffn_dim", "d_ff", "hidden_dim") or 4 * hidden
    heads = _first(cfg, "num_attention_heads", "n_head", "num_heads", "n_heads") or 1
    head_dim = _first(cfg, "head_dim", "d_kv") or hidden // heads
    kv = (_first(cfg, "num_key_value_heads") or heads) * head_dim
    inner = heads * head_dim
    attention = hidden * inner * 2 + hidden * kv * 2
    gated = cfg.get("hidden_act") == "silu" or bool(cfg.get("is_gated_act"))
    mlp = hidden * ffn * (3 if gated else 2)
    total = vocab * hidden
    if cfg.get("model_type") in ("gpt2", "opt", "bert", "roberta"):  # learned positions
        total += (_first(cfg, "max_position_embeddings", "n_positions") or 0) * hidden
    if kind == "encoder-decoder":
        decoder_layers = _first(cfg, "num_decoder_layers") or layers
        total += layers * (attention + mlp) + decoder_layers * (2 * attention + mlp)
    else:
        total += layers * (attention + mlp)
    heads_only = any("Classification" in str(a) for a in cfg.get("architectures") or ())
    if cfg.get("tie_word_embeddings") is False and not heads_only:  # a separate lm_head
        total += vocab * hidden
    return int(total)


def detect_task(info: ModelInfo, data_format: str | None) -> str:
    """The task a run does when none is given, from the model kind and the data format."""
    kind = info.kind
    if kind == "encoder":
        return "token_cls" if data_format == "token_cls" else "seq_cls"
    if kind == "encoder-decoder":
        return "seq2seq"
    if kind is None:  # remote and not cached: the data decides
        return {"token_cls": "token_cls", "classification": "seq_cls",
                "seq2seq": "seq2seq"}.get(data_format or "", "causal_lm")
    return "seq_cls" if data_format == "classification" else "causal_lm"
