"""Token lengths need a tokenizer, and a tokenizer needs transformers, which the window never
imports: ``python -m studio data inspect FILE --json --tokenizer DIR`` runs in a child
process (QProcess) and its JSON comes back as a signal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

import studio
from studio.core.config import DatasetConfig
from studio.core.data.columns import ROLE_FIELDS
from studio.launch import program, studio_command
from studio.ui.common.messages import event_text
from studio.ui.common.process import alive, end_process

PROJECT_ROOT = Path(studio.__file__).resolve().parent.parent


def inspect_args(cfg: DatasetConfig, tokenizer: str, extra: list[str] | None = None) -> list[str]:
    """Arguments after the program (``python`` from source, the bundle's executable when
    frozen) for the child: the same reading settings as the page, then ``extra`` (e.g.
    ``--render N``)."""
    args = studio_command("data", "inspect", cfg.path, "--json", "--samples", "0")[1:]
    args += ["--tokenizer", tokenizer, "--format", cfg.format or "auto",
             "--file-type", cfg.file_type or "auto", "--encoding", cfg.encoding or "utf-8"]
    if cfg.delimiter:
        args += ["--delimiter", cfg.delimiter]
    if cfg.labels:
        args += ["--labels", ",".join(cfg.labels)]
    if cfg.name:
        args += ["--name", cfg.name]
    for role, field in ROLE_FIELDS.items():
        value = getattr(cfg, field)
        if value:
            args += [f"--{role}-column", value]
    return args + list(extra or [])


class TokenLengthJob(QObject):
    """At most one child at a time; starting a new one kills the old one."""

    sig_finished = Signal(dict)   # the inspect JSON (token_lengths, ...)
    sig_failed = Signal(str)      # a readable reason
    sig_started = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._process: QProcess | None = None

    def is_running(self) -> bool:
        return self._process is not None

    def start(self, cfg: DatasetConfig, tokenizer: str, extra: list[str] | None = None) -> None:
        self.cancel()
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        paths = [str(PROJECT_ROOT)] + [p for p in env.value("PYTHONPATH", "").split(":") if p]
        env.insert("PYTHONPATH", ":".join(dict.fromkeys(paths)))
        process.setProcessEnvironment(env)
        process.setWorkingDirectory(str(PROJECT_ROOT))
        process.finished.connect(lambda code, _status, p=process: self._on_finished(p, code))
        process.errorOccurred.connect(lambda error, p=process: self._on_error(p, error))
        self._process = process
        process.start(program(), inspect_args(cfg, tokenizer, extra))
        self.sig_started.emit()

    def cancel(self) -> None:
        """Kill the child, if any; no signal follows. Also what closing the window does."""
        process, self._process = self._process, None
        end_process(process, 2000)

    def _current(self, process: QProcess) -> bool:
        # A process being destroyed with its owner (window deleted while counting) still
        # reports; it is neither ours any more nor readable.
        return process is self._process and alive(process) and alive(self)

    def _on_error(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if not self._current(process) or error != QProcess.ProcessError.FailedToStart:
            return  # crashes also arrive through finished
        self._process = None
        process.deleteLater()
        self.sig_failed.emit(self.tr("Could not start %1 to count tokens.").replace(
            "%1", program()))

    def _failure(self, out: str, err: str, code: int) -> str:
        """Why the child failed: its JSON error (translated), else its last stderr line."""
        last = out.strip().rsplit("\n", 1)[-1]
        try:
            document = json.loads(last) if last.startswith("{") else None
        except ValueError:
            document = None
        if isinstance(document, dict) and "error" in document:
            return event_text(document, "error")
        lines = [line for line in err.strip().splitlines() if line.strip()]
        reason = lines[-1] if lines else self.tr("exit code %1").replace("%1", str(code))
        return reason.removeprefix("error: ")

    def _on_finished(self, process: QProcess, code: int) -> None:
        if not self._current(process):
            return
        self._process = None
        out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        err = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        process.deleteLater()
        if code != 0:
            self.sig_failed.emit(self._failure(out, err, code))
            return
        # The JSON document is printed last, indented; anything before it is library noise.
        start = 0 if out.startswith("{") else out.rfind("\n{\n") + 1
        try:
            result: Any = json.loads(out[start:]) if start >= 0 and out[start:start + 1] == "{" \
                else None
        except ValueError:
            result = None
        if result is None:
            self.sig_failed.emit(self.tr("The token counter printed no result."))
            return
        self.sig_finished.emit(result if isinstance(result, dict) else {})
