"""Exports: adapters and merged models that reload with plain transformers / PEFT and give
the in-studio model's logits; half precision, shards, atomic folders, the store records,
LoRA combinations, and the fresh-process verification.

Tiny adapters are trained once per module; most exports here skip the fresh-process
verification (``verify=False``, ~5-8 s per process start) and compare logits in-process;
two tests exercise the real verification, passing and failing.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from factories import write_run_file, write_text_dataset

from studio.core import ownership
from studio.core.errors import StudioError
from studio.core.export import folders, tensors
from studio.core.export.tensors import bfloat16_bits_to_float32, float32_to_bfloat16_bits

IDS = [[3, 17, 42, 99, 7, 250, 11], [5, 6, 7, 8, 9, 10, 12]]


# ---- pure helpers (no compute stack) --------------------------------------------------------

def test_bfloat16_rounding_is_round_to_nearest_even():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    rng = np.random.default_rng(0)
    values = np.concatenate([
        rng.standard_normal(5000).astype(np.float32) * 10.0 ** rng.integers(-30, 30, 5000),
        np.array([0.0, -0.0, 1.0, -1.0, 65504.0, 3.4e38, -3.4e38, np.inf, -np.inf, 1e-40,
                  # exact ties between two bfloat16 values: round to the even one
                  1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8],
                 dtype=np.float32)])
    ours = float32_to_bfloat16_bits(values)
    theirs = values.astype(ml_dtypes.bfloat16).view(np.uint16)
    assert np.array_equal(ours, theirs)
    nan = float32_to_bfloat16_bits(np.array([np.nan, np.float32(np.nan) * -1], np.float32))
    assert np.isnan(bfloat16_bits_to_float32(nan)).all()
    back = bfloat16_bits_to_float32(ours[:5000])
    assert np.allclose(back, values[:5000], rtol=2.0 ** -8, atol=0)


def test_sizes_and_shard_plans():
    assert tensors.parse_size("2GB") == 2 * 10**9
    assert tensors.parse_size("500 MiB") == 500 * 2**20
    assert tensors.parse_size(1234) == 1234
    for bad in ("lots", "0", "-1MB", "2XB"):
        with pytest.raises(StudioError):
            tensors.parse_size(bad)
    plan = tensors.plan_shards([("a", 6), ("b", 6), ("c", 20), ("d", 1)], 10)
    assert plan == [["a"], ["b"], ["c"], ["d"]]
    assert tensors.plan_shards([("a", 3), ("b", 3), ("c", 3)], 10) == [["a", "b", "c"]]
    assert tensors.shard_names(1) == ["model.safetensors"]


def test_float16_overflow_is_refused():
    with pytest.raises(StudioError, match="float16"):
        tensors.to_storage("w", np.array([1.0, 1e6], np.float32), "float16")


def test_staging_leaves_nothing_on_failure_and_swaps_on_commit(tmp_path):
    final = tmp_path / "export"
    with pytest.raises(RuntimeError), folders.Staging(final) as staging:
        (staging.path / "half.bin").write_bytes(b"x")
        raise RuntimeError("disk went away")
    assert list(tmp_path.iterdir()) == []
    final.mkdir()
    (final / "old.txt").write_text("old")
    ownership.mark(final, ownership.EXPORT)              # an earlier export
    with folders.Staging(final) as staging:
        (staging.path / "new.txt").write_text("new")
        staging.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]
    assert sorted(p.name for p in final.iterdir()) == [ownership.MARKER, "new.txt"]


def test_target_checks(tmp_path):
    busy = tmp_path / "work" / "busy"
    busy.mkdir(parents=True)
    (busy / "x").write_text("x")
    with pytest.raises(StudioError, match="already holds files"):
        folders.check_target(busy, overwrite=False)
    with pytest.raises(StudioError, match="did not export into it"):  # not the studio's
        folders.check_target(busy, overwrite=True)
    ownership.mark(busy, ownership.EXPORT)                             # an earlier export
    assert folders.check_target(busy, overwrite=True) == busy.resolve()
    with pytest.raises(StudioError, match="holds what is being exported"):
        folders.check_target(busy.parent, overwrite=True, protected=(busy,))
    with pytest.raises(StudioError, match="dedicated folder"):    # the studio's own data
        folders.check_target(tmp_path, overwrite=True)
    with pytest.raises(StudioError, match="is a file"):
        folders.check_target(busy / "x", overwrite=True)


# ---- trained adapters -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def lab(tmp_path_factory, tiny_models):
    """LoRA (checkpoints at steps 1 and 2), IA3 and LoHa runs on a tiny Llama, in a store of
    their own, plus a prefix-tuning adapter folder."""
    from studio.core import runner
    from studio.core.store import RunStore
    from studio.core.validate import load_and_validate

    home = tmp_path_factory.mktemp("export-lab")
    model_dir = tiny_models("llama", init_range=0.2)
    data = write_text_dataset(home / "lines.txt", n=16)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PEFT_STUDIO_HOME", str(home / "studio"))
        store = RunStore(home / "runs.sqlite")
        runs = {}
        for method in ("lora", "ia3", "loha"):
            run_file = write_run_file(
                home / f"{method}.yaml", model_dir, data, method={"name": method},
                training={"epochs": 1, "batch_size": 4, "max_steps": 2, "save_steps": 1},
                output_dir=str(home / "runs" / method), name=f"export-{method}")
            assert runner.start(load_and_validate(run_file), lambda *a, **k: None, store) == 0
            runs[method] = store.find_run(f"export-{method}")
        yield SimpleNamespace(home=home, store=store, model_dir=model_dir, runs=runs,
                              prefix=_prefix_adapter(model_dir, home / "prefix"))
        store.close()


def _prefix_adapter(model_dir: Path, folder: Path) -> Path:
    import shutil

    from peft import PrefixTuningConfig, TaskType, get_peft_model
    from transformers import AutoModelForCausalLM

    model = get_peft_model(AutoModelForCausalLM.from_pretrained(str(model_dir)),
                           PrefixTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=4))
    model.save_pretrained(str(folder))
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy2(model_dir / name, folder / name)
    return folder


def logits_of(model, ids=IDS) -> np.ndarray:
    import torch

    model.eval()
    with torch.no_grad():
        return model(input_ids=torch.tensor(ids)).logits.float().numpy()


def adapter_logits(model_dir: Path, adapter: Path) -> np.ndarray:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(str(model_dir))
    return logits_of(PeftModel.from_pretrained(base, str(adapter)))


def plain_logits(folder: Path) -> np.ndarray:
    import torch
    from transformers import AutoModelForCausalLM

    return logits_of(AutoModelForCausalLM.from_pretrained(str(folder), torch_dtype=torch.float32))


def rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / max(1.0, np.abs(b).max()))


def headers_of(file: Path) -> dict[str, dict]:
    from studio.core.compat import safetensors_header

    return safetensors_header(file)


def headers(folder: Path) -> dict[str, dict]:
    from studio.core.compat import safetensors_header

    found: dict[str, dict] = {}
    for file in sorted(folder.glob("*.safetensors")):
        found.update(safetensors_header(file))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("method", ["lora", "ia3", "loha"])
def test_adapter_and_merged_exports_reload_with_the_adapter_models_logits(lab, tmp_path,
                                                                          method):
    from studio.core.export import export_adapter, export_merged

    run = lab.runs[method]
    reference = adapter_logits(lab.model_dir, Path(run.output_dir))
    assert rel_diff(reference, plain_logits(lab.model_dir)) > 1e-4   # the adapter does something

    adapter = export_adapter(run.name, tmp_path / "adapter", verify=False, store=lab.store)
    assert adapter.kind == "adapter" and adapter.ok and adapter.verification is None
    names = {p.name for p in adapter.path.iterdir()}
    assert {"adapter_config.json", "adapter_model.safetensors", "tokenizer.json",
            "tokenizer_config.json", "README.md"} <= names
    assert not any(n.startswith("model") for n in names)
    assert np.array_equal(adapter_logits(lab.model_dir, adapter.path), reference)
    readme = (adapter.path / "README.md").read_text()
    for needle in (str(lab.model_dir), "import mindnlp", "PeftModel.from_pretrained",
                   "learning_rate", "final train loss", "lines.txt"):
        assert needle in readme, needle

    merged = export_merged(run.id, tmp_path / "merged", verify=False, store=lab.store)
    assert merged.dtype == "float32" and merged.details["shards"] == 1
    names = {p.name for p in merged.path.iterdir()}
    assert {"config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
            "README.md"} <= names
    assert not any(n.startswith("adapter") for n in names)
    assert not any("lora" in k or "ia3" in k or "hada" in k for k in headers(merged.path))
    assert rel_diff(plain_logits(merged.path), reference) < 1e-4

    records = lab.store.exports(run.id)
    mine = {r.kind: r for r in records if Path(r.path).parent == tmp_path}
    assert set(mine) == {"adapter", "merged"}
    assert mine["merged"].dtype == "float32" and mine["merged"].verified is None
    assert mine["merged"].size_bytes == merged.size_bytes > 0


@pytest.mark.slow
@pytest.mark.parametrize("dtype,code,tolerance", [("float16", "F16", 1e-2),
                                                  ("bfloat16", "BF16", 5e-2)])
def test_half_precision_merged_exports_shard_and_load_as_float32(lab, tmp_path, dtype, code,
                                                                 tolerance):
    from studio.core.export import export_merged

    run = lab.runs["lora"]
    seen = []
    result = export_merged(run.name, tmp_path / dtype, dtype=dtype, max_shard_size="30KB",
                           verify=False, store=lab.store, progress=seen.append)
    index = json.loads((result.path / "model.safetensors.index.json").read_text())
    shards = sorted(p.name for p in result.path.glob("model-*.safetensors"))
    assert len(shards) > 2 and set(index["weight_map"].values()) == set(shards)
    for shard in shards:   # a shard holds several tensors only while they fit the limit
        held = [info for k, info in headers_of(result.path / shard).items()]
        nbytes = sum(i["data_offsets"][1] - i["data_offsets"][0] for i in held)
        assert len(held) == 1 or nbytes <= 30_000, shard
    stored = headers(result.path)
    assert set(stored) == set(index["weight_map"])
    assert {info["dtype"] for info in stored.values()} == {code}
    config = json.loads((result.path / "config.json").read_text())
    assert config["dtype"] == config["torch_dtype"] == dtype
    writing = [p for p in seen if p.stage == "writing" and p.total]
    assert [p.current for p in writing] == list(range(1, len(shards) + 1))
    assert [p.stage for p in seen][:3] == ["checking", "loading", "merging"]
    reference = adapter_logits(lab.model_dir, Path(run.output_dir))
    assert rel_diff(plain_logits(result.path), reference) < tolerance


@pytest.mark.slow
def test_prefix_tuning_offers_only_the_adapter(lab, tmp_path):
    from studio.core.export import export_adapter, export_merged, inspect_source

    source = inspect_source(lab.prefix)
    assert source.method == "prefix_tuning" and source.run is None
    assert "Export the adapter" in source.merge_refusal()
    with pytest.raises(StudioError, match="cannot be merged"):
        export_merged(lab.prefix, tmp_path / "merged", verify=False, store=lab.store)
    assert not (tmp_path / "merged").exists()
    result = export_adapter(lab.prefix, tmp_path / "adapter", verify=False, store=lab.store)
    assert json.loads((result.path / "adapter_config.json").read_text())["peft_type"] == \
        "PREFIX_TUNING"
    assert np.array_equal(adapter_logits(lab.model_dir, result.path),
                          adapter_logits(lab.model_dir, lab.prefix))
    assert "not possible for this method" in (result.path / "README.md").read_text()


@pytest.mark.slow
def test_checkpoints_and_folders_resolve_to_their_run(lab):
    from studio.core.export import inspect_source

    run = lab.runs["lora"]
    at_one = inspect_source(f"{run.name}@1", lab.store)
    assert at_one.step == 1 and at_one.folder.name == "adapter" and at_one.run.id == run.id
    by_folder = inspect_source(Path(run.output_dir) / "checkpoints" / "step-000002", lab.store)
    assert by_folder.step == 2 and by_folder.run.id == run.id and by_folder.method == "lora"
    with pytest.raises(StudioError, match="checkpoints are at steps 1, 2"):
        inspect_source(f"{run.name}@7", lab.store)


@pytest.mark.slow
def test_failure_mid_write_leaves_no_folder_and_keeps_a_previous_export(lab, tmp_path,
                                                                        monkeypatch):
    from studio.core.export import export_merged

    real_write = tensors.write_safetensors
    calls = []

    def flaky(path, items, metadata=None):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("injected: the disk is gone")
        return real_write(path, items, metadata)

    monkeypatch.setattr(tensors, "write_safetensors", flaky)
    with pytest.raises(OSError, match="injected"):
        export_merged(lab.runs["ia3"].name, tmp_path / "merged", max_shard_size="30KB",
                      verify=False, store=lab.store)
    assert len(calls) == 2 and list(tmp_path.iterdir()) == []

    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "keep.txt").write_text("an earlier export")
    ownership.mark(previous, ownership.EXPORT)
    calls.clear()
    with pytest.raises(OSError, match="injected"):
        export_merged(lab.runs["ia3"].name, previous, max_shard_size="30KB", overwrite=True,
                      verify=False, store=lab.store)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["previous"]
    assert sorted(p.name for p in previous.iterdir()) == [ownership.MARKER, "keep.txt"]


@pytest.mark.slow
def test_refuses_a_non_empty_folder_unless_overwrite(lab, tmp_path):
    from studio.core.export import export_adapter

    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(StudioError, match="already holds files"):
        export_adapter(lab.runs["lora"].name, out, verify=False, store=lab.store)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    with pytest.raises(StudioError, match="did not export into it"):  # a folder of the user's
        export_adapter(lab.runs["lora"].name, out, overwrite=True, verify=False,
                       store=lab.store)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    earlier = tmp_path / "earlier"
    export_adapter(lab.runs["lora"].name, earlier, verify=False, store=lab.store)
    (earlier / "stale.txt").write_text("from the earlier export")
    export_adapter(lab.runs["lora"].name, earlier, overwrite=True, verify=False,
                   store=lab.store)
    assert "stale.txt" not in {p.name for p in earlier.iterdir()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier", "out"]  # no leftovers
    with pytest.raises(StudioError, match="holds what is being exported"):
        export_adapter(lab.runs["lora"].name, lab.runs["lora"].output_dir, overwrite=True,
                       verify=False, store=lab.store)


@pytest.mark.slow
def test_free_disk_space_is_checked_before_loading(lab, tmp_path, monkeypatch):
    from studio.core.export import export_merged, model

    def no_room(path):
        return SimpleNamespace(total=10**12, used=10**12 - 1000, free=1000)

    def must_not_load(src):
        raise AssertionError("loaded before checking the disk")

    monkeypatch.setattr(folders.shutil, "disk_usage", no_room)
    monkeypatch.setattr(model, "load", must_not_load)
    with pytest.raises(StudioError, match="not enough free disk space"):
        export_merged(lab.runs["lora"].name, tmp_path / "merged", dtype="bfloat16",
                      verify=False, store=lab.store)
    assert not (tmp_path / "merged").exists()


@pytest.mark.slow
def test_combine_two_loras_linearly_is_peft_weighted_combination(lab, tmp_path, runtime):
    from peft import PeftModel
    from safetensors.numpy import load_file
    from transformers import AutoModelForCausalLM

    from studio.core.export import combine_lora

    run = lab.runs["lora"]
    weights = (0.7, 0.3)
    result = combine_lora([(f"{run.name}@1", weights[0]), (run.name, weights[1])],
                          tmp_path / "combined", verify=False, store=lab.store)
    assert result.kind == "combined" and result.run_ids == [run.id]
    config = json.loads((result.path / "adapter_config.json").read_text())
    sources = [Path(run.output_dir) / "checkpoints" / "step-000001" / "adapter",
               Path(run.output_dir)]
    source_cfg = json.loads((sources[1] / "adapter_config.json").read_text())
    assert config["r"] == config["lora_alpha"] == source_cfg["r"]
    assert sorted(config["target_modules"]) == sorted(source_cfg["target_modules"])

    # linear: A = sum sqrt(w s) A_i, B = sum sqrt(w s) B_i, scaling 1
    scaling = source_cfg["lora_alpha"] / source_cfg["r"]
    parts = [load_file(str(s / "adapter_model.safetensors")) for s in sources]
    combined = load_file(str(result.path / "adapter_model.safetensors"))
    assert set(combined) == set(parts[0])
    for key, value in combined.items():
        expected = sum(math.sqrt(w * scaling) * p[key] for w, p in zip(weights, parts))
        assert np.allclose(value, expected, atol=1e-6), key

    # and loading it gives what peft's add_weighted_adapter gives in-process
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(str(lab.model_dir)),
                                      str(sources[0]), adapter_name="a")
    model.load_adapter(str(sources[1]), adapter_name="b")
    model.add_weighted_adapter(["a", "b"], list(weights), "mix", combination_type="linear")
    model.set_adapter("mix")
    assert rel_diff(adapter_logits(lab.model_dir, result.path), logits_of(model)) < 1e-5


@pytest.mark.slow
def test_combinations_that_cannot_work_are_refused_before_loading(lab, tmp_path):
    from studio.core.export import combine_lora

    lora, ia3 = lab.runs["lora"].name, lab.runs["ia3"].name
    cases = [([(lora, 0.5), (ia3, 0.5)], "linear", "only LoRA adapters"),
             ([(lora, -0.5), (f"{lora}@1", 0.5)], "linear", "positive weights"),
             ([(lora, 0.5)], "median", "combination must be one of")]
    for pairs, combination, message in cases:
        with pytest.raises(StudioError, match=message):
            combine_lora(pairs, tmp_path / "x", combination=combination, verify=False,
                         store=lab.store)
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_verification_in_a_fresh_process_passes_and_is_recorded(lab, tmp_path):
    from studio.core.export import export_merged

    run = lab.runs["loha"]
    seen = []
    result = export_merged(run.name, tmp_path / "merged", store=lab.store, progress=seen.append)
    check = result.verification
    assert result.ok and check.passed and check.error is None, check
    assert 0 <= check.max_abs_diff < check.tolerance and check.samples == 3
    assert "verifying" in [p.stage for p in seen] and seen[-1].stage == "done"
    record = next(r for r in lab.store.exports(run.id) if r.path == str(result.path))
    assert record.verified is True and record.max_abs_diff == check.max_abs_diff


@pytest.mark.slow
def test_failed_verification_keeps_the_files_and_marks_the_export(lab, tmp_path,
                                                                  monkeypatch):
    from studio.core.export import export_merged, verify

    monkeypatch.setitem(verify.TOLERANCES, "float32", 0.0)   # a merge always moves the sums
    run = lab.runs["ia3"]
    result = export_merged(run.name, tmp_path / "merged", store=lab.store)
    check = result.verification
    assert not result.ok and not check.passed and check.max_abs_diff > 0
    assert "FAILED" in check.summary()
    assert (result.path / "model.safetensors").is_file()
    record = next(r for r in lab.store.exports(run.id) if r.path == str(result.path))
    assert record.verified is False and record.max_abs_diff == check.max_abs_diff
    assert record.details["verification"]["passed"] is False


@pytest.mark.slow
def test_bitfit_merges_into_gpt2_with_tied_embeddings(tmp_path, tiny_models):
    from studio.core import runner
    from studio.core.export import export_adapter, export_merged
    from studio.core.export.model import load
    from studio.core.export.sources import resolve
    from studio.core.store import RunStore
    from studio.core.validate import load_and_validate

    model_dir = tiny_models("gpt2", init_range=0.2)
    data = write_text_dataset(tmp_path / "lines.txt", n=16)
    run_file = write_run_file(tmp_path / "run.yaml", model_dir, data, method="bitfit",
                              training={"epochs": 1, "batch_size": 4, "max_steps": 2},
                              output_dir=str(tmp_path / "run"), name="bitfit")
    with RunStore() as store:
        assert runner.start(load_and_validate(run_file), lambda *a, **k: None, store) == 0
        with pytest.raises(StudioError, match="merged model"):
            export_adapter("bitfit", tmp_path / "adapter", verify=False, store=store)
        result = export_merged("bitfit", tmp_path / "merged", verify=False, store=store)
        studio_model = load(resolve("bitfit", store)).model
    names = set(headers(result.path))
    assert "transformer.wte.weight" in names and "lm_head.weight" not in names   # tied
    assert rel_diff(plain_logits(result.path), logits_of(studio_model)) < 1e-5
    assert rel_diff(logits_of(studio_model), plain_logits(model_dir)) > 1e-4


# ---- the same files as Hugging Face PEFT on real PyTorch -----------------------------------

PYTORCH_SIDE = textwrap.dedent("""
    import json, sys
    import numpy as np
    import torch
    assert "mindtorch" not in torch.__file__
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM
    base, ours, merged, reference, ids, out = sys.argv[1:7]
    cfg = json.load(open(ours + "/adapter_config.json"))
    config = LoraConfig(r=cfg["r"], lora_alpha=cfg["lora_alpha"], task_type="CAUSAL_LM",
                        lora_dropout=cfg["lora_dropout"], target_modules=cfg["target_modules"])
    get_peft_model(AutoModelForCausalLM.from_pretrained(base), config).save_pretrained(reference)
    ids = torch.tensor(json.loads(ids))
    adapter = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base), ours).eval()
    whole = AutoModelForCausalLM.from_pretrained(merged, torch_dtype=torch.float32).eval()
    auto = AutoModelForCausalLM.from_pretrained(merged, torch_dtype="auto")
    with torch.no_grad():
        np.save(out + "/adapter.npy", adapter(input_ids=ids).logits.numpy())
        np.save(out + "/merged.npy", whole(input_ids=ids).logits.numpy())
    print(json.dumps({"auto_dtype": str(auto.dtype)}))
""")


@pytest.mark.slow
def test_exports_match_and_load_in_hugging_face_peft_on_pytorch(lab, tmp_path):
    from studio.core.export import export_adapter, export_merged

    run = lab.runs["lora"]
    ours = export_adapter(run.name, tmp_path / "ours", verify=False, store=lab.store).path
    merged = export_merged(run.name, tmp_path / "merged", dtype="bfloat16",
                           max_shard_size="30KB", verify=False, store=lab.store).path
    script = tmp_path / "pytorch_side.py"
    script.write_text(PYTORCH_SIDE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, str(script), str(lab.model_dir), str(ours),
                           str(merged), str(tmp_path / "reference"), json.dumps(IDS),
                           str(tmp_path)], check=False, capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1])["auto_dtype"] == "torch.bfloat16"

    reference = tmp_path / "reference"
    assert {p.name for p in reference.iterdir()} - {"README.md"} == \
        {"adapter_config.json", "adapter_model.safetensors"}
    theirs, mine = headers(reference), headers(ours)
    assert set(theirs) == set(mine)
    assert all(theirs[k]["shape"] == mine[k]["shape"] and theirs[k]["dtype"] == mine[k]["dtype"]
               for k in theirs)
    their_cfg = json.loads((reference / "adapter_config.json").read_text())
    our_cfg = json.loads((ours / "adapter_config.json").read_text())
    assert set(their_cfg) == set(our_cfg)

    studio_logits = adapter_logits(lab.model_dir, Path(run.output_dir))
    assert rel_diff(np.load(tmp_path / "adapter.npy"), studio_logits) < 1e-4
    assert rel_diff(np.load(tmp_path / "merged.npy"), studio_logits) < 5e-2
