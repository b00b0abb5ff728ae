"""``combine_lora``: a weighted combination of LoRA adapters trained on the same base,
saved as a new adapter (peft's ``add_weighted_adapter``: linear, cat or svd).

- linear: A = sum sqrt(w_i s_i) A_i, B = sum sqrt(w_i s_i) B_i (equal ranks, positive weights)
- cat:    ranks stacked, delta = sum w_i s_i B_i A_i exactly (rank = sum of ranks)
- svd:    the weighted sum of deltas, truncated to ``svd_rank`` (default: the largest rank)
where s_i is adapter i's scaling (lora_alpha / r). The result has lora_alpha = r (scaling 1).
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Sequence
from pathlib import Path

from ..errors import StudioError
from ..messages import msg
from . import common, folders, sources
from .card import CardInfo
from .common import ExportResult, ProgressFn
from .sources import ExportSource
from .verify import DEFAULT_TIMEOUT_S

COMBINATIONS = ("linear", "cat", "svd")
_LORA_SUFFIXES = (".lora_A.weight", ".lora_B.weight", ".lora_embedding_A",
                  ".lora_embedding_B")
NEW_ADAPTER = "combined"


def parse_weighted(text: str) -> tuple[str, float]:
    """'RUN:0.7' -> ('RUN', 0.7); without a weight, 1.0."""
    head, sep, tail = text.rpartition(":")
    if sep and head:
        try:
            return head, float(tail)
        except ValueError:
            pass
    return text, 1.0


def lora_modules(src: ExportSource) -> dict[str, int]:
    """Adapted module -> rank, read from the adapter file's header."""
    from ..compat import safetensors_header

    file = src.folder / "adapter_model.safetensors"
    if not file.is_file():
        raise StudioError(msg("export.no_adapter_model_safetensors", adapter=src.label,
                              folder=src.folder))
    found: dict[str, int] = {}
    for name, info in safetensors_header(file).items():
        if name.endswith(".lora_A.weight"):
            found[name[:-len(".lora_A.weight")]] = int(info["shape"][0])
        elif name.endswith(".lora_embedding_A"):
            found[name[:-len(".lora_embedding_A")]] = int(info["shape"][0])
    return found


def _same_base(a: str, b: str) -> bool:
    pa, pb = Path(a).expanduser(), Path(b).expanduser()
    if pa.exists() and pb.exists():
        return pa.resolve() == pb.resolve()
    return a == b


def check_compatible(srcs: Sequence[ExportSource], weights: Sequence[float],
                     combination: str) -> None:
    """Raise a StudioError naming the first reason these adapters cannot be combined."""
    if combination not in COMBINATIONS:
        raise StudioError(msg("export.combination_must_one_not",
                              choices=', '.join(COMBINATIONS), combination=repr(combination)))
    if not srcs:
        raise StudioError(msg("export.give_at_least_one"))
    for src, weight in zip(srcs, weights):
        if not math.isfinite(weight):
            raise StudioError(msg("export.weight_must_number_not", adapter=src.label,
                                  weight=weight))
        if combination == "linear" and weight <= 0:
            raise StudioError(msg("export.linear_combination_needs_positive", adapter=src.label,
                                  weight=weight))
        if src.kind != "peft" or src.peft_type != "LORA":
            raise StudioError(msg("export.result_only_lora_adapters", adapter=src.label,
                                  method=src.method))
        config = src.adapter_config
        if config.get("use_dora"):
            raise StudioError(msg("export.dora_adapter_add_weighted", adapter=src.label))
        if config.get("modules_to_save"):
            raise StudioError(msg("export.also_trains_whole_modules", adapter=src.label,
                                  modules=', '.join(config['modules_to_save'])))
    first = srcs[0]
    modules = lora_modules(first)
    for src in srcs[1:]:
        if not _same_base(src.base_model, first.base_model):
            raise StudioError(msg("export.trained_on_on_combine", adapter=src.label,
                                  base=src.base_model, other=first.label,
                                  other_base=first.base_model))
        if src.task != first.task:
            raise StudioError(msg("export.different_tasks", adapter=src.label, task=src.task,
                                  other=first.label, other_task=first.task))
        other = lora_modules(src)
        if set(other) != set(modules):
            only = sorted(set(other) ^ set(modules))
            raise StudioError(msg("export.adapt_different_modules_combine", adapter=src.label,
                                  other=first.label, only=only[0]))
    if combination == "linear":
        ranks = sorted({r for s in srcs for r in lora_modules(s).values()})
        if len(ranks) > 1:
            raise StudioError(msg("export.linear_combination_needs_equal",
                                  ranks=', '.join(map(str, ranks))))


def combine_lora(sources_: Sequence[tuple[str | Path, float]], out_dir: str | Path, *,
                 combination: str = "linear", svd_rank: int | None = None,
                 overwrite: bool = False, progress: ProgressFn | None = None,
                 verify: bool = True, store=None, base_model_name: str | None = None,
                 verify_timeout_s: float = DEFAULT_TIMEOUT_S) -> ExportResult:
    """Combine LoRA adapters (each a run, ``RUN@step`` or folder, with a weight) into one
    new adapter in ``out_dir``."""
    report = common.reporter(progress)
    with common.store_scope(store) as st:
        report("checking", msg("export.looking_up_adapters"))
        srcs = [sources.resolve(ref, st) for ref, _w in sources_]
        weights = [float(w) for _r, w in sources_]
        check_compatible(srcs, weights, combination)
        if svd_rank is not None and (combination != "svd" or svd_rank < 1):
            raise StudioError(msg("export.svd_rank_positive_rank"))
        final = folders.check_target(out_dir, overwrite, common.protected(*srcs))
        adapter_bytes = sum(common.files_size(s.folder, ["adapter_model.safetensors"])
                            for s in srcs)
        folders.check_free_space(final, adapter_bytes)
        report("loading", msg("export.loading_adapters_onto", count=len(srcs),
                              base=srcs[0].base_model))
        peft_model, tokenizer, labels = _load_all(srcs)
        report("merging", msg("export.combining", combination=combination))
        names = [f"source_{i}" for i in range(len(srcs))]
        try:
            peft_model.add_weighted_adapter(names, weights, NEW_ADAPTER,
                                            combination_type=combination, svd_rank=svd_rank)
        except (ValueError, TypeError, RuntimeError) as exc:
            raise StudioError(msg("export.peft_could_not_combine", error=exc)) from exc
        _plain_scaling(peft_model)
        peft_model.set_adapter(NEW_ADAPTER)
        for name in names:
            peft_model.delete_adapter(name)
        peft_model.eval()
        inputs = reference = None
        if verify:
            from . import model

            loaded = model.StudioModel(peft_model, tokenizer, labels)
            inputs = model.sample_inputs(loaded, srcs[0].task)
            reference = model.logits(peft_model, inputs)
        config = peft_model.peft_config[NEW_ADAPTER]
        if base_model_name:
            config.base_model_name_or_path = base_model_name
        with folders.Staging(final) as staging:
            target = staging.path
            report("writing", msg("export.adapter_weights"), 1, 2)
            peft_model.save_pretrained(str(target / "_save"), selected_adapters=[NEW_ADAPTER],
                                       safe_serialization=True)
            saved = target / "_save" / NEW_ADAPTER
            files = []
            for name in ("adapter_config.json", "adapter_model.safetensors"):
                shutil.move(str(saved / name), str(target / name))
                files.append(name)
            shutil.rmtree(target / "_save")
            report("writing", msg("export.tokenizer_model_card"), 2, 2)
            files += common.write_tokenizer(target, srcs[0], tokenizer)
            files.append(common.write_card(target, CardInfo(
                "combined", final.name, config.base_model_name_or_path or srcs[0].base_model,
                srcs[0].task, srcs, labels=labels, adapter_config=config.to_dict(),
                metrics=[common.run_metrics(st, s) for s in srcs],
                combination={"type": combination, "weights": weights})))
            staging.commit()
        verification = None
        if verify:
            verification = common.run_verification(
                "adapter", final, srcs[0], inputs, reference, labels, tokenizer.pad_token_id,
                "float32", report, verify_timeout_s)
        details = {"combination": combination, "svd_rank": svd_rank,
                   "sources": [{"source": s.ref, "run_id": s.run.id if s.run else None,
                                "step": s.step, "weight": w} for s, w in zip(srcs, weights)],
                   "base_model": srcs[0].base_model}
        return common.finish("combined", final, None, files, srcs, st, verification, details,
                             report)


def _load_all(srcs: Sequence[ExportSource]):
    from ..runtime import bootstrap

    bootstrap()
    from peft import PeftModel

    from .. import download, weightsafety
    from ..modeling import load_base_model, load_tokenizer
    from .model import tokenizer_folder
    from .sources import label_names

    first = srcs[0]
    tokenizer = load_tokenizer(tokenizer_folder(first), first.task)
    labels = label_names(first)
    base = load_base_model(download.ensure(first.base_model), first.task, tokenizer, "float32",
                           labels)
    for src in srcs:
        weightsafety.check_folder(src.folder)
    try:
        peft_model = PeftModel.from_pretrained(base, str(first.folder), adapter_name="source_0")
        for i, src in enumerate(srcs[1:], start=1):
            peft_model.load_adapter(str(src.folder), adapter_name=f"source_{i}")
    except (ValueError, KeyError, RuntimeError, OSError) as exc:
        raise weightsafety.cause(exc) or StudioError(
            msg("export.adapters_do_not_load", other_base=first.base_model, error=exc)) from exc
    return peft_model, tokenizer, labels


def _plain_scaling(peft_model) -> None:
    """peft gives the new adapter lora_alpha = r but keeps the first source's use_rslora,
    which would scale it by sqrt(r) instead of 1; the combination already carries every
    source's own scaling, so make the new adapter plain LoRA with scaling 1."""
    from peft.tuners.lora import LoraLayer

    config = peft_model.peft_config[NEW_ADAPTER]
    if not config.use_rslora:
        return
    config.use_rslora = False
    for module in peft_model.modules():
        if isinstance(module, LoraLayer) and NEW_ADAPTER in module.scaling:
            module.scaling[NEW_ADAPTER] = 1.0
