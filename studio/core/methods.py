"""The PEFT method registry: what each method is, which tasks and model families it fits, and
the schema of its parameters.

Parameter names are peft's config field names wherever a peft config exists, so a run file
reads like peft's documentation. Nothing here imports torch or peft at module level: the GUI
and ``validate`` use the registry without MindSpore; only ``build_peft_config`` imports peft.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from .config import TASKS, MethodConfig
from .errors import ConfigError, Problem, StudioError
from .messages import msg, one_of

PARAM_TYPES = ("int", "float", "bool", "str", "choice", "list", "modules")
KINDS = ("peft", "bitfit", "full")

PEFT_TASK_TYPES = {"causal_lm": "CAUSAL_LM", "seq2seq": "SEQ_2_SEQ_LM",
                   "seq_cls": "SEQ_CLS", "token_cls": "TOKEN_CLS"}

# Values follow peft/utils/constants.py (peft 0.17.1); mistral models map to the llama family.
DEFAULT_TARGET_MODULES: dict[str, list[str]] = {
    "llama": ["q_proj", "v_proj"], "mistral": ["q_proj", "v_proj"], "qwen2": ["q_proj", "v_proj"],
    "gpt2": ["c_attn"], "opt": ["q_proj", "v_proj"], "bloom": ["query_key_value"],
    "t5": ["q", "v"], "mt5": ["q", "v"], "bert": ["query", "value"], "roberta": ["query", "value"],
}
IA3_TARGET_MODULES: dict[str, list[str]] = {
    "llama": ["k_proj", "v_proj", "down_proj"], "mistral": ["k_proj", "v_proj", "down_proj"],
    "qwen2": ["q_proj", "v_proj", "down_proj"], "gpt2": ["c_attn", "mlp.c_proj"],
    "opt": ["q_proj", "k_proj", "fc2"], "bloom": ["query_key_value", "mlp.dense_4h_to_h"],
    "t5": ["k", "v", "wo"], "mt5": ["k", "v", "wi_1"],
    "bert": ["key", "value", "output.dense"], "roberta": ["key", "value", "output.dense"],
}
IA3_FEEDFORWARD_MODULES: dict[str, list[str]] = {
    "llama": ["down_proj"], "mistral": ["down_proj"], "qwen2": ["down_proj"],
    "gpt2": ["mlp.c_proj"], "opt": ["fc2"], "bloom": ["mlp.dense_4h_to_h"], "t5": ["wo"],
    "mt5": [], "bert": ["output.dense"], "roberta": ["output.dense"],
}
LN_TUNING_TARGET_MODULES: dict[str, list[str]] = {
    "llama": ["input_layernorm", "post_attention_layernorm", "norm"],
    "mistral": ["input_layernorm", "post_attention_layernorm", "norm"],
    "qwen2": ["post_attention_layernorm"], "gpt2": ["ln_1", "ln_2", "ln_f"],
    "opt": ["self_attn_layer_norm", "final_layer_norm"],
    "bloom": ["input_layernorm", "post_attention_layernorm", "ln_f"],
    "t5": ["layer_norm", "final_layer_norm"], "mt5": ["layer_norm", "final_layer_norm"],
    "bert": ["LayerNorm"], "roberta": ["LayerNorm"],
}
# peft targets GPT-2's MLP output for FourierFT (c_attn's 3x wide output makes the spectrum huge).
FOURIERFT_TARGET_MODULES = {**DEFAULT_TARGET_MODULES, "gpt2": ["mlp.c_proj"]}
_TARGETS_BY_METHOD = {"ia3": IA3_TARGET_MODULES, "ln_tuning": LN_TUNING_TARGET_MODULES,
                      "fourierft": FOURIERFT_TARGET_MODULES}


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str                       # one of PARAM_TYPES
    default: Any = None
    min: float | None = None        # inclusive
    max: float | None = None        # inclusive
    choices: tuple[str, ...] | None = None
    help: str = ""
    advanced: bool = False


@dataclass(frozen=True)
class MethodSpec:
    id: str
    display_name: str
    description: str
    kind: str                       # one of KINDS
    peft_type: str | None
    tasks: tuple[str, ...]
    families: tuple[str, ...] | None
    mergeable: bool
    params: tuple[ParamSpec, ...] = ()
    notes: str = ""

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)


def _targets(help_extra: str = "") -> ParamSpec:
    return ParamSpec("target_modules", "modules", None, help=(
        "Modules to adapt: a list of names (matched against the end of each module's full "
        "name) or one regular expression matched against the whole name; empty means the "
        "default for the model family." + help_extra))


def _dropout(name: str, default: float = 0.0, advanced: bool = False) -> ParamSpec:
    return ParamSpec(name, "float", default, 0.0, 0.99, advanced=advanced,
                     help="Probability of dropping values in the adapter during training.")


_SAVE = ParamSpec("modules_to_save", "list", None, advanced=True, help=(
    "Extra modules trained in full and saved with the adapter, e.g. lm_head; classifier heads "
    "are added automatically."))
_VIRTUAL = ParamSpec("num_virtual_tokens", "int", 20, 1, 512,
                     help="Number of trainable virtual tokens put in front of every input.")
_LORA_PARAMS = (
    ParamSpec("r", "int", 8, 1, 1024, help="Rank of the low-rank update; higher trains more."),
    ParamSpec("lora_alpha", "int", 16, 1, 4096, help="Scaling numerator: the update is scaled "
              "by lora_alpha / r (by lora_alpha / sqrt(r) for rsLoRA)."),
    _dropout("lora_dropout", 0.05), _targets(),
    ParamSpec("bias", "choice", "none", choices=("none", "all", "lora_only"), advanced=True,
              help="Which biases to train alongside the adapter."),
    _SAVE,
)
_ALL, _NO_SEQ2SEQ = TASKS, ("causal_lm", "seq_cls", "token_cls")
_PROMPT_TASKS = ("causal_lm", "seq2seq", "seq_cls")
# LyCORIS layers (LoHa, LoKr) and (B)OFT wrap nn.Linear only, not GPT-2's Conv1D.
_LINEAR_FAMILIES = ("llama", "mistral", "qwen2", "opt", "bloom", "t5", "mt5", "bert", "roberta")
BIAS_FAMILIES = ("gpt2", "bert", "roberta", "opt", "bloom", "qwen2")
NO_BIAS_FAMILIES = ("llama", "mistral", "t5", "mt5")

_METHODS: tuple[MethodSpec, ...] = (
    MethodSpec("lora", "LoRA", "Low-rank update matrices added to the chosen linear layers.",
               "peft", "LORA", _ALL, None, True, _LORA_PARAMS),
    MethodSpec("dora", "DoRA", "LoRA with the weight split into magnitude and direction.",
               "peft", "LORA", _ALL, None, True, _LORA_PARAMS,
               "Slower per step than LoRA; built as LoraConfig(use_dora=True)."),
    MethodSpec("rslora", "rsLoRA", "LoRA scaled by alpha / sqrt(r), stable at high ranks.",
               "peft", "LORA", _ALL, None, True, _LORA_PARAMS,
               "Built as LoraConfig(use_rslora=True)."),
    MethodSpec("adalora", "AdaLoRA", "LoRA whose rank budget is reallocated during training.",
               "peft", "ADALORA", _ALL, None, True, (
                   ParamSpec("init_r", "int", 12, 1, 1024, help="Starting rank of each layer."),
                   ParamSpec("target_r", "int", 8, 1, 1024,
                             help="Average rank left after budget reallocation."),
                   *_LORA_PARAMS[1:4],
                   ParamSpec("tinit", "int", 0, 0, None, advanced=True,
                             help="Warm-up steps before ranks start to shrink."),
                   ParamSpec("tfinal", "int", 0, 0, None, advanced=True,
                             help="Final steps trained with the ranks fixed."),
                   ParamSpec("deltaT", "int", 1, 1, None, advanced=True,
                             help="Steps between two budget reallocations."),
                   ParamSpec("beta1", "float", 0.85, 0.0, 1.0, advanced=True,
                             help="Smoothing of the sensitivity estimate."),
                   ParamSpec("beta2", "float", 0.85, 0.0, 1.0, advanced=True,
                             help="Smoothing of the uncertainty estimate."),
                   ParamSpec("orth_reg_weight", "float", 0.5, 0.0, None, advanced=True,
                             help="Weight of the orthogonality penalty added to the loss."),
                   _SAVE),
               "The engine fills in total_step (the run's optimizer steps) and must call "
               "update_and_allocate(step) after every optimizer step."),
    MethodSpec("ia3", "IA³", "Learned vectors that rescale keys, values and feed-forward "
               "activations.", "peft", "IA3", _ALL, None, True, (
                   _targets(),
                   ParamSpec("feedforward_modules", "modules", None, help=(
                       "Which of the target modules are feed-forward layers (scaled on their "
                       "input); empty means the family default.")),
                   _SAVE)),
    MethodSpec("loha", "LoHa", "Low-rank Hadamard product update (LyCORIS).", "peft", "LOHA",
               _ALL, _LINEAR_FAMILIES, True, (
                   ParamSpec("r", "int", 8, 1, 1024, help="Rank of each Hadamard factor."),
                   ParamSpec("alpha", "int", 16, 1, 4096, help="Scaling numerator (alpha / r)."),
                   _dropout("rank_dropout"), _dropout("module_dropout", advanced=True),
                   _targets(), _SAVE),
               "GPT-2 is not offered: its Conv1D layers are not supported by peft's LoHa."),
    MethodSpec("lokr", "LoKr", "Low-rank Kronecker product update (LyCORIS).", "peft", "LOKR",
               _ALL, _LINEAR_FAMILIES, True, (
                   ParamSpec("r", "int", 8, 1, 1024, help="Rank of the Kronecker factor."),
                   ParamSpec("alpha", "int", 16, 1, 4096, help="Scaling numerator (alpha / r)."),
                   _dropout("rank_dropout"), _dropout("module_dropout", advanced=True),
                   ParamSpec("decompose_both", "bool", False, advanced=True,
                             help="Also decompose the left Kronecker factor."),
                   ParamSpec("decompose_factor", "int", -1, -1, None, advanced=True,
                             help="Kronecker decomposition factor; -1 picks it automatically."),
                   _targets(), _SAVE),
               "GPT-2 is not offered: its Conv1D layers are not supported by peft's LoKr."),
    MethodSpec("oft", "OFT", "Orthogonal block-diagonal rotation of the layer input.", "peft",
               "OFT", _ALL, _LINEAR_FAMILIES, True, (
                   ParamSpec("oft_block_size", "int", 32, 0, 4096, help=(
                       "Size of each orthogonal block; must divide the layer width (peft "
                       "adjusts it otherwise). Set either this or r, not both.")),
                   ParamSpec("r", "int", 0, 0, 4096, advanced=True,
                             help="Number of blocks per layer; 0 means use oft_block_size."),
                   _dropout("module_dropout"), _targets(),
                   ParamSpec("coft", "bool", False, advanced=True,
                             help="Constrain the rotation (COFT)."),
                   ParamSpec("eps", "float", 6e-5, 0.0, None, advanced=True,
                             help="How far COFT may rotate; used only with coft."),
                   ParamSpec("block_share", "bool", False, advanced=True,
                             help="Share one rotation between all blocks of a layer."),
                   _SAVE),
               "GPT-2 is not offered: its Conv1D layers are not supported by peft's OFT."),
    MethodSpec("boft", "BOFT", "Orthogonal fine-tuning with butterfly-factorised rotations.",
               "peft", "BOFT", _ALL, _LINEAR_FAMILIES, True, (
                   ParamSpec("boft_block_size", "int", 4, 0, 4096, help=(
                       "Size of each block; must divide the layer width. Set either this or "
                       "boft_block_num, not both.")),
                   ParamSpec("boft_block_num", "int", 0, 0, 4096, advanced=True,
                             help="Number of blocks per layer; 0 means use boft_block_size."),
                   ParamSpec("boft_n_butterfly_factor", "int", 1, 1, 16,
                             help="Number of butterfly factors; 1 is plain OFT."),
                   _dropout("boft_dropout"), _targets(), _SAVE),
               "GPT-2 is not offered: its Conv1D layers are not supported by peft's BOFT."),
    MethodSpec("vera", "VeRA", "Frozen shared random matrices with small trained scaling "
               "vectors.", "peft", "VERA", _ALL, None, True, (
                   ParamSpec("r", "int", 64, 1, 4096, help=(
                       "Rank of the shared random projections; trained parameters grow only "
                       "by r per layer.")),
                   _dropout("vera_dropout"),
                   ParamSpec("d_initial", "float", 0.1, 0.0, None, advanced=True,
                             help="Initial value of the trained scaling vector d."),
                   ParamSpec("projection_prng_key", "int", 0, 0, None, advanced=True,
                             help="Seed of the shared random projections."),
                   ParamSpec("save_projection", "bool", True, advanced=True,
                             help="Save the random projections with the adapter."),
                   _targets(), _SAVE),
               "peft's default r of 256 is large for small models; 64 is used here. All "
               "target layers share one projection sized by the largest of them."),
    MethodSpec("fourierft", "FourierFT", "Learns a few spectral coefficients of the weight "
               "update.", "peft", "FOURIERFT", _ALL, None, True, (
                   ParamSpec("n_frequency", "int", 1000, 1, None, help=(
                       "Trained frequencies per layer; at most in_features x out_features of "
                       "every target layer.")),
                   ParamSpec("scaling", "float", 150.0, 0.0, None,
                             help="Scale of the weight update, like lora_alpha."),
                   ParamSpec("random_loc_seed", "int", 777, 0, None, advanced=True,
                             help="Seed for picking the frequencies."),
                   _targets(), _SAVE)),
    MethodSpec("ln_tuning", "LN tuning", "Trains only the layer-norm weights.", "peft",
               "LN_TUNING", _ALL, None, True, (_targets(), _SAVE)),
    MethodSpec("prefix_tuning", "Prefix tuning", "Trained key/value prefixes in every "
               "attention layer.", "peft", "PREFIX_TUNING", _NO_SEQ2SEQ, None, False, (
                   _VIRTUAL,
                   ParamSpec("prefix_projection", "bool", False,
                             help="Produce the prefixes through a small two-layer network."),
                   ParamSpec("encoder_hidden_size", "int", 256, 1, None, advanced=True,
                             help="Hidden size of that network; used only with prefix_projection."),
               ), "Not offered for seq2seq: on T5/mT5 generation disagrees with the forward "
               "pass used in training."),
    MethodSpec("prompt_tuning", "Prompt tuning", "Trained virtual token embeddings in front "
               "of the input.", "peft", "PROMPT_TUNING", _PROMPT_TASKS, None, False, (
                   _VIRTUAL,
                   ParamSpec("init", "choice", "random", choices=("random", "text"),
                             help="Start the virtual tokens at random or from init_text."),
                   ParamSpec("init_text", "str", None,
                             help="Text whose token embeddings start the virtual tokens."),
               ), "Not offered for token classification: the virtual tokens shift the labels."),
    MethodSpec("p_tuning", "P-tuning", "Virtual tokens produced by a small prompt encoder.",
               "peft", "P_TUNING", _PROMPT_TASKS, None, False, (
                   _VIRTUAL,
                   ParamSpec("encoder_type", "choice", "MLP", choices=("MLP", "LSTM"),
                             help="Network that produces the virtual tokens."),
                   ParamSpec("encoder_hidden_size", "int", 128, 1, None,
                             help="Hidden size of the prompt encoder."),
                   ParamSpec("encoder_num_layers", "int", 2, 1, 8, advanced=True,
                             help="Layers of the LSTM encoder (the MLP always has two)."),
                   _dropout("encoder_dropout", advanced=True),
               ), "Not offered for token classification: the virtual tokens shift the labels."),
    MethodSpec("adaption_prompt", "LLaMA-Adapter", "Gated adaption prompts in the top "
               "attention layers.", "peft", "ADAPTION_PROMPT", ("causal_lm",),
               ("llama", "gpt2"), False, (
                   ParamSpec("adapter_len", "int", 10, 1, 512,
                             help="Number of adaption prompt tokens per layer."),
                   ParamSpec("adapter_layers", "int", None, 1, None, help=(
                       "How many of the top layers get prompts; empty means all layers.")),
               ), "peft supports it for LLaMA-like and GPT-2 models only (not Qwen2)."),
    MethodSpec("bitfit", "BitFit", "Trains only the bias terms (and a classifier head).",
               "bitfit", None, _ALL, BIAS_FAMILIES, False, (),
               "Needs a model with biases; LLaMA, Mistral, T5 and mT5 have none."),
    MethodSpec("full", "Full fine-tuning", "Trains every weight; the baseline to compare "
               "against.", "full", None, _ALL, None, False, (),
               "Needs the most memory; the result is a complete model, not an adapter."),
)
_BY_ID = {m.id: m for m in _METHODS}

# Why a method is not offered for a task, for messages that say why.
_TASK_REASONS = {
    ("prefix_tuning", "seq2seq"): "method.reason_prefix_seq2seq",
    ("prompt_tuning", "token_cls"): "method.reason_virtual_tokens_shift_labels",
    ("p_tuning", "token_cls"): "method.reason_virtual_tokens_shift_labels",
}
_FAMILY_REASONS = dict.fromkeys(("loha", "lokr", "oft", "boft"), "method.reason_gpt2_conv1d")


def all_methods() -> tuple[MethodSpec, ...]:
    return _METHODS


def ids() -> tuple[str, ...]:
    return tuple(_BY_ID)


def get(method_id: str) -> MethodSpec:
    try:
        return _BY_ID[method_id.lower()]
    except KeyError:
        raise StudioError(msg("method.unknown_id", method=method_id,
                              known=", ".join(_BY_ID))) from None


def to_json() -> list[dict[str, Any]]:
    """The registry as plain data (tuples become lists), plus each method's default targets."""
    out = []
    for spec in _METHODS:
        data = dataclasses.asdict(spec)
        if spec.param("target_modules"):
            data["default_target_modules"] = _TARGETS_BY_METHOD.get(spec.id,
                                                                    DEFAULT_TARGET_MODULES)
        out.append(data)
    return out


def default_target_modules(method_id: str, family: str | None) -> list[str] | None:
    """The family's default for a method; None lets peft use its own table (or refuse)."""
    table = _TARGETS_BY_METHOD.get(method_id, DEFAULT_TARGET_MODULES)
    found = table.get(family or "")
    return list(found) if found is not None else None


def fit_problems(spec: MethodSpec, family: str | None, task: str | None,
                 has_bias: bool | None = None) -> list[Problem]:
    """Whether a method fits a task and a model family; unknown family/task is not checked."""
    problems = []
    if task in TASKS and task not in spec.tasks:
        code = _TASK_REASONS.get((spec.id, task))
        reason = msg(code) if code else msg("method.reason_supports_tasks",
                                            tasks=", ".join(spec.tasks))
        problems.append(Problem("method.name", msg("method.not_for_task",
                                                   method=spec.display_name, task=task,
                                                   reason=reason),
                                expected=msg("method.expected_method_for", task=task),
                                found=spec.id))
    if spec.kind == "bitfit":
        if has_bias is False or (has_bias is None and family in NO_BIAS_FAMILIES):
            problems.append(Problem("method.name", msg("method.bitfit_no_bias", family=family),
                                    found=spec.id))
    elif family and spec.families is not None and family not in spec.families:
        code = _FAMILY_REASONS.get(spec.id)
        parts = {"method": spec.display_name, "families": ", ".join(spec.families),
                 "family": family}
        message = (msg("method.not_for_family_because", **parts, reason=msg(code)) if code
                   else msg("method.not_for_family", **parts))
        problems.append(Problem("method.name", message, found=spec.id))
    return problems


_TYPE_WORDS = {"int": "type.whole_number", "float": "type.number", "bool": "type.bool",
               "str": "type.text", "list": "type.names", "modules": "type.modules"}


def _check_value(p: ParamSpec, value: Any, where: str) -> tuple[Any, Problem | None]:
    """Coerce one value to its declared type; YAML hands over '1e-3' as text."""
    wrong = Problem(where, msg("type.wrong"),
                    expected=msg(_TYPE_WORDS[p.type]) if p.type in _TYPE_WORDS else p.type,
                    found=repr(value))
    if p.type in ("int", "float"):
        if isinstance(value, bool):
            return None, wrong
        try:
            number = float(value) if isinstance(value, str) else value
        except ValueError:
            return None, wrong
        if not isinstance(number, (int, float)) or not math.isfinite(number):
            return None, wrong
        if p.type == "int":
            if isinstance(number, float) and not number.is_integer():
                return None, wrong
            number = int(number)
        else:
            number = float(number)
        if p.min is not None and number < p.min:
            return None, Problem(where, msg("value.at_least", low=_num(p.min)),
                                 found=str(value))
        if p.max is not None and number > p.max:
            return None, Problem(where, msg("value.at_most", high=_num(p.max)),
                                 found=str(value))
        return number, None
    if p.type == "bool":
        return (value, None) if isinstance(value, bool) else (None, wrong)
    if p.type == "str":
        return (value, None) if isinstance(value, str) else (None, wrong)
    if p.type == "choice":
        match = next((c for c in p.choices or () if str(value).lower() == c.lower()), None)
        if match is None:
            return None, Problem(where, msg("value.not_a_choice"),
                                 expected=one_of(p.choices or ()),
                                 found=repr(value))
        return match, None
    if p.type == "list" or (p.type == "modules" and isinstance(value, list)):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return None, wrong
        return list(value), None
    if p.type == "modules" and isinstance(value, str) and value:
        try:
            re.compile(value)
        except re.error as exc:
            return None, Problem(where, msg("value.bad_regex", error=exc),
                                 found=repr(value))
        return value, None
    return None, wrong


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def resolve_params(method_config: MethodConfig, family: str | None,
                   task: str | None) -> tuple[dict[str, Any], list[Problem]]:
    """Fill defaults (target modules per family included) and check every parameter."""
    try:
        spec = get(method_config.name)
    except StudioError:
        return {}, [Problem("method.name", msg("method.unknown"), expected=one_of(_BY_ID),
                            found=repr(method_config.name))]
    problems: list[Problem] = []
    names = [p.name for p in spec.params]
    for key in method_config.params:
        if key not in names:
            close = difflib.get_close_matches(str(key), names, n=1) or [
                n for n in names if str(key).startswith(n) or n.endswith("_" + str(key))]
            if not names:
                problems.append(Problem(f"method.{key}",
                                        msg("method.takes_no_params", method=spec.display_name),
                                        found=repr(key)))
                continue
            unknown = (msg("method.unknown_param_did_you_mean", method=spec.display_name,
                           name=close[0]) if close
                       else msg("method.unknown_param", method=spec.display_name))
            problems.append(Problem(f"method.{key}", unknown, expected=one_of(names),
                                    found=repr(key)))
    values: dict[str, Any] = {}
    for p in spec.params:
        raw = method_config.params.get(p.name, p.default)
        if raw is None:
            values[p.name] = None
            continue
        value, problem = _check_value(p, raw, f"method.{p.name}")
        if problem:
            problems.append(problem)
        values[p.name] = value
    if "target_modules" in values and _absent(method_config, "target_modules"):
        values["target_modules"] = default_target_modules(spec.id, family)
    if spec.id == "ia3" and _absent(method_config, "feedforward_modules"):
        defaults = IA3_FEEDFORWARD_MODULES.get(family or "")
        targets = values.get("target_modules")
        if isinstance(targets, list) and defaults is not None:
            values["feedforward_modules"] = [m for m in defaults if m in targets]
        elif isinstance(targets, str):
            values["feedforward_modules"] = []
    problems += _cross_checks(spec.id, values)
    return values, problems


def _absent(method_config: MethodConfig, name: str) -> bool:
    return method_config.params.get(name) is None


def _cross_checks(method_id: str, v: dict[str, Any]) -> list[Problem]:
    problems = []
    if method_id == "oft" and v.get("r") is not None and v.get("oft_block_size") is not None:
        if (v["r"] == 0) == (v["oft_block_size"] == 0):
            problems.append(Problem("method.oft_block_size", msg("method.oft_exactly_one"),
                                    found=f"r={v['r']}, oft_block_size={v['oft_block_size']}"))
    if method_id == "boft" and None not in (v.get("boft_block_size"), v.get("boft_block_num")):
        if (v["boft_block_size"] == 0) == (v["boft_block_num"] == 0):
            problems.append(Problem("method.boft_block_size", msg("method.boft_exactly_one"),
                                    found=f"boft_block_size={v['boft_block_size']}, "
                                          f"boft_block_num={v['boft_block_num']}"))
    if method_id == "adalora" and None not in (v.get("target_r"), v.get("init_r")):
        if v["target_r"] > v["init_r"]:
            problems.append(Problem("method.target_r", msg("method.target_r_above_init_r"),
                                    expected=f"<= {v['init_r']}",
                                    found=str(v["target_r"])))
    if method_id == "prompt_tuning" and v.get("init") == "text" and not v.get("init_text"):
        problems.append(Problem("method.init_text", msg("method.init_text_needed"),
                                expected=msg("method.expected_init_text"),
                                found=msg("value.nothing")))
    if method_id == "ia3":
        targets, ff = v.get("target_modules"), v.get("feedforward_modules")
        if isinstance(targets, list) and isinstance(ff, list):
            extra = [m for m in ff if m not in targets]
            if extra:
                problems.append(Problem("method.feedforward_modules",
                                        msg("method.ff_not_subset"),
                                        expected=msg("method.expected_names_from",
                                                     names=", ".join(targets)),
                                        found=", ".join(extra)))
    return problems


def build_peft_config(method_config: MethodConfig, task: str, family: str | None,
                      tokenizer_path: str | None, total_steps: int | None = None,
                      num_layers: int | None = None) -> Any:
    """The peft config object for a run (None for bitfit/full); imports peft, so the compute
    stack is bootstrapped first. ``total_steps`` (the run's optimizer steps) is required for
    AdaLoRA. ``num_layers`` fills LLaMA-Adapter's default of adapting every layer; without it
    the layer count is read from config.json in ``tokenizer_path`` (the model folder)."""
    spec = get(method_config.name)
    values, problems = resolve_params(method_config, family, task)
    if spec.kind == "peft":  # bitfit's fit depends on has_bias, which validate checks
        problems += fit_problems(spec, family, task)
    if problems:
        raise ConfigError(problems)
    if spec.kind != "peft":
        return None
    kwargs = {k: v for k, v in values.items() if v is not None}
    if spec.id == "adalora":
        if not total_steps or total_steps <= 0:
            raise StudioError(msg("method.adalora_needs_total_number"))
        if kwargs["tinit"] >= total_steps - kwargs["tfinal"]:
            raise StudioError(msg("method.adalora_s_tinit_tfinal", total_steps=total_steps))
        kwargs["total_step"] = total_steps
    if spec.id == "adaption_prompt" and "adapter_layers" not in kwargs:
        if not num_layers and tokenizer_path:  # the model folder: its config.json knows
            from . import modelinfo

            num_layers = modelinfo.inspect(tokenizer_path).num_layers
        if not num_layers:
            raise StudioError(msg("method.llama_adapter_needs_model"))
        kwargs["adapter_layers"] = num_layers
    if spec.id == "prompt_tuning" and kwargs["init"] == "text" and not tokenizer_path:
        raise StudioError(msg("method.prompt_tuning_from_text"))
    from .runtime import bootstrap

    bootstrap()
    import peft

    kwargs["task_type"] = getattr(peft.TaskType, PEFT_TASK_TYPES[task])
    if spec.id == "dora":
        kwargs["use_dora"] = True
    elif spec.id == "rslora":
        kwargs["use_rslora"] = True
    elif spec.id == "prompt_tuning":
        text = kwargs.pop("init") == "text"
        init_text = kwargs.pop("init_text", None)
        kwargs["prompt_tuning_init"] = (peft.PromptTuningInit.TEXT if text
                                        else peft.PromptTuningInit.RANDOM)
        if text:
            kwargs.update(prompt_tuning_init_text=init_text, tokenizer_name_or_path=tokenizer_path)
    elif spec.id == "p_tuning":
        kwargs["encoder_reparameterization_type"] = kwargs.pop("encoder_type")
    cls = getattr(peft, _PEFT_CLASSES[spec.id])
    if family == "gpt2" and "fan_in_fan_out" in getattr(cls, "__dataclass_fields__", {}):
        kwargs["fan_in_fan_out"] = True  # GPT-2's Conv1D stores weights transposed
    return cls(**kwargs)


_PEFT_CLASSES = {
    "lora": "LoraConfig", "dora": "LoraConfig", "rslora": "LoraConfig",
    "adalora": "AdaLoraConfig", "ia3": "IA3Config", "loha": "LoHaConfig",
    "lokr": "LoKrConfig", "oft": "OFTConfig", "boft": "BOFTConfig", "vera": "VeraConfig",
    "fourierft": "FourierFTConfig", "ln_tuning": "LNTuningConfig",
    "prefix_tuning": "PrefixTuningConfig", "prompt_tuning": "PromptTuningConfig",
    "p_tuning": "PromptEncoderConfig", "adaption_prompt": "AdaptionPromptConfig",
}
