"""What the Export page asks for, as the ``peft-studio export`` arguments the child runs and
the command a user can copy. Qt-free; the core export package is not imported here (it pulls
in the run store), so these constants mirror it (a test keeps them equal)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

MODES = ("adapter", "merged", "combine")
DTYPES = ("float32", "float16", "bfloat16")
COMBINATIONS = ("linear", "cat", "svd")
STAGES = ("checking", "loading", "merging", "writing", "verifying", "done")
DEFAULT_SHARD_SIZE = "2GB"


@dataclass
class ExportRequest:
    mode: str = "adapter"                 # one of MODES
    source: str = ""                      # run id, RUN@step or a folder (adapter, merged)
    out: str = ""
    dtype: str = "float32"                # merged
    shard_size: str = DEFAULT_SHARD_SIZE  # merged
    base_model_name: str = ""             # adapter, combine
    sources: list[tuple[str, float]] = field(default_factory=list)   # combine: (ref, weight)
    combination: str = "linear"
    svd_rank: int | None = None
    overwrite: bool = False
    verify: bool = True
    allow_pickle_weights: bool = False

    def refs(self) -> list[str]:
        """Every source the export reads."""
        if self.mode == "combine":
            return [ref for ref, _ in self.sources]
        return [self.source] if self.source else []

    def args(self, placeholders: bool = False) -> list[str]:
        """The arguments after ``peft-studio export`` (the worker adds ``--events json``);
        with ``placeholders`` a missing source or folder reads RUN / OUT (for showing)."""
        source = self.source or ("RUN" if placeholders else "")
        out = self.out or ("OUT" if placeholders else "")
        if self.mode == "combine":
            pairs = [f"{ref}:{weight:g}" for ref, weight in self.sources]
            args = ["--combine", *(pairs or (["RUN1:0.5", "RUN2:0.5"] if placeholders else [])),
                    "--out", out, "--combination", self.combination]
            if self.combination == "svd" and self.svd_rank:
                args += ["--svd-rank", str(self.svd_rank)]
        elif self.mode == "merged":
            args = [source, "--merged", out, "--dtype", self.dtype]
            if self.shard_size.strip() and self.shard_size.strip() != DEFAULT_SHARD_SIZE:
                args += ["--shard-size", self.shard_size.strip()]
        else:
            args = [source, "--adapter", out]
        if self.mode != "merged" and self.base_model_name.strip():
            args += ["--base-model-name", self.base_model_name.strip()]
        if self.overwrite:
            args.append("--overwrite")
        if not self.verify:
            args.append("--no-verify")
        if self.allow_pickle_weights:
            args.append("--allow-pickle-weights")
        return args

    def command_line(self) -> str:
        return "peft-studio export " + shlex.join(self.args(placeholders=True))
