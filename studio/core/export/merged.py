"""``export_merged``: the fine-tuning folded into the base weights, saved as a standalone
Hugging Face model folder in float32, float16 or bfloat16."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import StudioError
from ..messages import msg
from . import common, folders, sources, tensors
from .card import CardInfo
from .common import ExportResult, ProgressFn
from .verify import DEFAULT_TIMEOUT_S


def estimate_bytes(model_folder: str, dtype: str) -> int | None:
    """Bytes of a model's weights stored in ``dtype``, from its safetensors headers alone
    (None when it is not a local folder of safetensors files)."""
    from ..compat import safetensors_header

    folder = Path(model_folder).expanduser()
    files = sorted(folder.glob("*.safetensors")) if folder.is_dir() else []
    if not files:
        return None
    total = 0
    for file in files:
        for info in safetensors_header(file).values():
            count = 1
            for size in info.get("shape", []):
                count *= int(size)
            floating = str(info.get("dtype", "")).startswith(("F", "BF"))
            total += count * (tensors.DTYPE_BYTES[dtype] if floating else 8)
    return total


def export_merged(source: str | Path, out_dir: str | Path, *, dtype: str = "float32",
                  max_shard_size: int | str = "2GB", overwrite: bool = False,
                  progress: ProgressFn | None = None, verify: bool = True, store=None,
                  verify_timeout_s: float = DEFAULT_TIMEOUT_S) -> ExportResult:
    """Merge a run's result (``RUN``, ``RUN@step``) or a folder into its base model and save
    the whole model to ``out_dir``. BitFit results are applied to the base; full
    fine-tuning results are saved again in ``dtype``. Methods that cannot be merged raise a
    StudioError that says why."""
    if dtype not in tensors.DTYPES:
        raise StudioError(msg("export.dtype_must_one_not",
                              dtypes=', '.join(tensors.DTYPES), dtype=repr(dtype)))
    shard_bytes = tensors.parse_size(max_shard_size)
    report = common.reporter(progress)
    with common.store_scope(store) as st:
        report("checking", msg("export.looking_up", source=source))
        src = sources.resolve(source, st)
        refusal = src.merge_refusal()
        if refusal:
            raise StudioError(refusal)
        final = folders.check_target(out_dir, overwrite, common.protected(src))
        whole = src.kind == "full" and src.tensors_file is None
        early = estimate_bytes(str(src.folder) if whole else src.base_model, dtype)
        if early is not None:
            folders.check_free_space(final, early)
        from . import model

        report("loading", msg("export.loading", adapter=src.label) if whole
               else msg("export.loading_onto", adapter=src.label, base=src.base_model))
        loaded = model.load(src)
        inputs = reference = None
        if verify:
            inputs = model.sample_inputs(loaded, src.task)
            reference = model.logits(loaded.model, inputs)
        report("merging", msg("export.merging_adapter", method=src.method) if src.kind == "peft"
               else msg(f"export.merging_{src.kind}"))
        merged = model.merged_model(loaded, src)
        specs, fetch = model.weight_specs(merged)
        needed = sum(tensors.stored_nbytes(shape, np_dtype, dtype)
                     for _n, shape, np_dtype in specs)
        folders.check_free_space(final, needed)
        with folders.Staging(final) as staging:
            target = staging.path

            def on_shard(index: int, count: int, file: str) -> None:
                report("writing", msg("export.writing_shard", index=index, count=count,
                                      file=file), index, count)

            files = tensors.write_sharded(target, specs, fetch, dtype, shard_bytes, on_shard)
            report("writing", msg("export.config_tokenizer_model_card"))
            (target / "config.json").write_text(
                json.dumps(model.config_json(merged, dtype), indent=2, sort_keys=True) + "\n")
            files.append("config.json")
            if merged.can_generate() and model.base_generation_config(src.base_model):
                merged.generation_config.save_pretrained(str(target))
                files.append("generation_config.json")
            files += common.write_tokenizer(target, src, loaded.tokenizer)
            files.append(common.write_card(target, CardInfo(
                "merged", final.name, src.base_model, src.task, [src], dtype=dtype,
                labels=loaded.labels, adapter_config=src.adapter_config,
                metrics=[common.run_metrics(st, src)])))
            staging.commit()
        verification = None
        if verify:
            verification = common.run_verification(
                "merged", final, src, inputs, reference, loaded.labels,
                loaded.tokenizer.pad_token_id, dtype, report, verify_timeout_s)
        shards = sum(1 for f in files if f.endswith(".safetensors"))
        details = {"source": src.ref, "method": src.method, "base_model": src.base_model,
                   "max_shard_size": shard_bytes, "shards": shards}
        return common.finish("merged", final, dtype, files, [src], st, verification, details,
                             report)
