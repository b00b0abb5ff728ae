"""Sampling settings and the system prompt, as a form that builds GenerationSettings."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)


class SamplingBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Sampling"), parent)
        self.max_new_tokens = QSpinBox(minimum=1, maximum=8192, value=128)
        self.temperature = QDoubleSpinBox(minimum=0.0, maximum=5.0, singleStep=0.05, value=0.7)
        self.top_p = QDoubleSpinBox(minimum=0.01, maximum=1.0, singleStep=0.05, value=0.9)
        self.top_k = QSpinBox(minimum=0, maximum=10000, value=50)
        self.top_k.setSpecialValueText(self.tr("off"))
        self.repetition_penalty = QDoubleSpinBox(minimum=0.1, maximum=5.0, singleStep=0.05,
                                                 value=1.0)
        self.seed = QSpinBox(minimum=-1, maximum=2**31 - 1, value=-1)
        self.seed.setSpecialValueText(self.tr("random"))
        self.greedy = QCheckBox(self.tr("Greedy (always the likeliest token)"))
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setObjectName("systemPrompt")
        self.system_prompt.setPlaceholderText(self.tr("System prompt (optional)"))
        self.system_prompt.setMaximumHeight(70)
        form = QFormLayout(self)
        form.addRow(self.tr("Max new tokens"), self.max_new_tokens)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Top-p"), self.top_p)
        form.addRow(self.tr("Top-k"), self.top_k)
        form.addRow(self.tr("Repetition penalty"), self.repetition_penalty)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.greedy)
        form.addRow(self.system_prompt)
        self.greedy.toggled.connect(self._on_greedy)

    def _on_greedy(self, on: bool) -> None:
        for widget in (self.temperature, self.top_p, self.top_k):
            widget.setEnabled(not on)

    def values(self) -> dict[str, Any]:
        seed = self.seed.value()
        return {"max_new_tokens": self.max_new_tokens.value(),
                "temperature": self.temperature.value(), "top_p": self.top_p.value(),
                "top_k": self.top_k.value(),
                "repetition_penalty": self.repetition_penalty.value(),
                "seed": None if seed < 0 else seed, "greedy": self.greedy.isChecked()}

    def set_values(self, values: dict[str, Any]) -> None:
        self.max_new_tokens.setValue(int(values.get("max_new_tokens", 128)))
        self.temperature.setValue(float(values.get("temperature", 0.7)))
        self.top_p.setValue(float(values.get("top_p", 0.9)))
        self.top_k.setValue(int(values.get("top_k", 50)))
        self.repetition_penalty.setValue(float(values.get("repetition_penalty", 1.0)))
        seed = values.get("seed")
        self.seed.setValue(-1 if seed is None else int(seed))
        self.greedy.setChecked(bool(values.get("greedy", False)))

    def settings(self) -> Any:
        """GenerationSettings (imported here: the inference package is not loaded at start)."""
        from studio.core.inference.settings import GenerationSettings

        return GenerationSettings(**self.values())

    def system(self) -> str | None:
        return self.system_prompt.toPlainText().strip() or None
