"""``export_adapter``: the standard PEFT files, the tokenizer and a model card."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..errors import StudioError
from ..messages import msg
from . import common, folders, sources
from .card import CardInfo
from .common import ExportResult, ProgressFn
from .verify import DEFAULT_TIMEOUT_S

WEIGHT_FILES = ("adapter_model.safetensors", "adapter_model.bin")


def export_adapter(source: str | Path, out_dir: str | Path, *, overwrite: bool = False,
                   progress: ProgressFn | None = None, verify: bool = True, store=None,
                   base_model_name: str | None = None,
                   verify_timeout_s: float = DEFAULT_TIMEOUT_S) -> ExportResult:
    """Export a run's adapter (``RUN``, ``RUN@step``) or an adapter folder to ``out_dir``.

    ``base_model_name`` (e.g. the hub id of a local base folder) replaces
    ``base_model_name_or_path`` in the exported adapter_config.json and the card;
    verification still loads the base the studio used."""
    report = common.reporter(progress)
    with common.store_scope(store) as st:
        report("checking", msg("export.looking_up", source=source))
        src = sources.resolve(source, st)
        refusal = src.adapter_refusal()
        if refusal:
            raise StudioError(refusal)
        final = folders.check_target(out_dir, overwrite, common.protected(src))
        weights = next((n for n in WEIGHT_FILES if (src.folder / n).is_file()), None)
        if weights is None:
            raise StudioError(msg("export.adapter_config_json_but", folder=src.folder))
        folders.check_free_space(final, 2 * common.files_size(src.folder, [weights]))
        loaded = inputs = reference = None
        if verify:
            from . import model

            report("loading", msg("export.loading_onto", adapter=src.label, base=src.base_model))
            loaded = model.load(src)
            inputs = model.sample_inputs(loaded, src.task)
            reference = model.logits(loaded.model, inputs)
        labels = loaded.labels if loaded is not None else common.labels_or_none(src)
        config = dict(src.adapter_config)
        if base_model_name:
            config["base_model_name_or_path"] = base_model_name
        with folders.Staging(final) as staging:
            target = staging.path
            report("writing", msg("export.adapter_weights"), 1, 2)
            (target / "adapter_config.json").write_text(json.dumps(config, indent=2) + "\n")
            shutil.copy2(src.folder / weights, target / weights)
            report("writing", msg("export.tokenizer_model_card"), 2, 2)
            files = ["adapter_config.json", weights,
                     *common.write_tokenizer(target, src, loaded.tokenizer if loaded else None)]
            files.append(common.write_card(target, CardInfo(
                "adapter", final.name, config.get("base_model_name_or_path") or src.base_model,
                src.task, [src], labels=labels, adapter_config=config,
                metrics=[common.run_metrics(st, src)])))
            staging.commit()
        verification = None
        if verify:
            verification = common.run_verification(
                "adapter", final, src, inputs, reference, labels,
                loaded.tokenizer.pad_token_id, "float32", report, verify_timeout_s)
        details = {"source": src.ref, "method": src.method, "base_model": src.base_model}
        return common.finish("adapter", final, None, files, [src], st, verification,
                             details, report)
