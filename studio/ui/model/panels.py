"""The model page's side panels: what the model is, and what training it will cost."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from studio.core.estimate import Estimate
from studio.core.modeltree import ModelDescription

from . import units


def _value_label() -> QLabel:
    label = QLabel("—")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class InfoPanel(QGroupBox):
    """Architecture, family, parameter count, tasks, sizes and the checkpoint's dtype."""

    FIELDS = ("architecture", "family", "kind", "parameters", "tasks", "vocab", "layers",
              "hidden", "heads", "dtype", "checkpoint", "tokenizer")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Model"), parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        titles = (self.tr("Architecture"), self.tr("Family"), self.tr("Kind"),
                  self.tr("Parameters"), self.tr("Supported tasks"), self.tr("Vocabulary"),
                  self.tr("Layers"), self.tr("Hidden size"), self.tr("Attention heads"),
                  self.tr("Checkpoint dtype"), self.tr("Checkpoint size"), self.tr("Tokenizer"))
        self.values: dict[str, QLabel] = {}
        for key, title in zip(self.FIELDS, titles):
            self.values[key] = _value_label()
            self.values[key].setObjectName(f"info_{key}")
            form.addRow(title + ":", self.values[key])

    def clear(self) -> None:
        for label in self.values.values():
            label.setText("—")

    def show_description(self, d: ModelDescription) -> None:
        info = d.info
        kinds = {"decoder": self.tr("decoder-only"), "encoder": self.tr("encoder-only"),
                 "encoder-decoder": self.tr("encoder-decoder")}
        tasks = {"causal_lm": self.tr("causal LM"), "seq2seq": self.tr("seq2seq"),
                 "seq_cls": self.tr("sequence classification"),
                 "token_cls": self.tr("token classification")}
        if d.total_params is not None:
            params = units.count(d.total_params)
        elif info.param_estimate:
            params = self.tr("about %1 (from config.json)").replace(
                "%1", units.count(info.param_estimate))
        else:
            params = "—"
        unknown = self.tr("unknown") if info.model_type is None else "—"
        text = {
            "architecture": ", ".join(info.architectures) or unknown,
            "family": info.family or unknown,
            "kind": kinds.get(info.kind or "", unknown),
            "parameters": params,
            "tasks": ", ".join(tasks.get(t, t) for t in info.tasks) or unknown,
            "vocab": f"{info.vocab_size:,}" if info.vocab_size else unknown,
            "layers": str(info.num_layers or unknown),
            "hidden": str(info.hidden_size or unknown),
            "heads": str(info.num_heads or unknown),
            "dtype": d.dtype or unknown,
            "checkpoint": units.size(d.checkpoint_bytes) if d.checkpoint_bytes else unknown,
            "tokenizer": self.tr("included") if info.tokenizer_present else self.tr("missing"),
        }
        for key, value in text.items():
            self.values[key].setText(value)


class EstimatePanel(QGroupBox):
    """Trainable/total parameters and the memory bill as bars relative to the total."""

    ROWS = ("weights", "grads", "optimizer", "activations")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Estimate before training"), parent)
        outer = QVBoxLayout(self)
        grid = QGridLayout()
        self.setup = QLabel()
        self.setup.setWordWrap(True)
        self.setup.setObjectName("estimate_setup")
        outer.addWidget(self.setup)
        outer.addLayout(grid)
        self.trainable = _value_label()
        self.trainable.setObjectName("estimate_trainable")
        self.total = _value_label()
        self.total.setObjectName("estimate_total")
        grid.addWidget(QLabel(self.tr("Trainable parameters:")), 1, 0)
        grid.addWidget(self.trainable, 1, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("Total parameters:")), 2, 0)
        grid.addWidget(self.total, 2, 1, 1, 2)
        titles = (self.tr("Weights"), self.tr("Gradients"), self.tr("Optimizer (AdamW)"),
                  self.tr("Activations"))
        self.bars: dict[str, QProgressBar] = {}
        self.sizes: dict[str, QLabel] = {}
        for row, (key, title) in enumerate(zip(self.ROWS, titles), start=3):
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setTextVisible(False)
            bar.setMaximumHeight(12)
            self.bars[key] = bar
            self.sizes[key] = QLabel("—")
            self.sizes[key].setAlignment(Qt.AlignmentFlag.AlignRight)
            self.sizes[key].setObjectName(f"estimate_{key}")
            grid.addWidget(QLabel(title), row, 0)
            grid.addWidget(bar, row, 1)
            grid.addWidget(self.sizes[key], row, 2)
        total_title = QLabel("<b>" + self.tr("Total memory") + "</b>")
        self.total_bytes = QLabel("—")
        self.total_bytes.setObjectName("estimate_total_bytes")
        self.total_bytes.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(total_title, 7, 0)
        grid.addWidget(self.total_bytes, 7, 2)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setObjectName("estimate_notes")
        self.notes.setStyleSheet("color: palette(dark);")
        outer.addWidget(self.notes)
        grid.setColumnStretch(1, 1)
        self.estimate: Estimate | None = None
        self.clear()

    def clear(self, reason: str = "") -> None:
        self.estimate = None
        self.setup.setText(reason or self.tr("Load a model to see an estimate."))
        for label in (self.trainable, self.total, self.total_bytes, *self.sizes.values()):
            label.setText("—")
        for bar in self.bars.values():
            bar.setValue(0)
        self.notes.setText("")

    def show_estimate(self, est: Estimate, setup: str) -> None:
        self.estimate = est
        self.setup.setText(setup)
        share = f"{100 * est.trainable_fraction:.3g} %"
        approx = "" if est.exact else self.tr("about ")
        self.trainable.setText(f"{approx}{est.trainable_params:,} ({share})")
        total = f"{approx}{est.total_params:,}"
        if est.total_params >= 1_000_000:
            total += f" ({units.count(est.total_params)})"
        self.total.setText(total)
        parts = {"weights": est.weights_bytes, "grads": est.grads_bytes,
                 "optimizer": est.optimizer_bytes, "activations": est.activations_bytes}
        for key, value in parts.items():
            self.sizes[key].setText(units.size(value))
            self.bars[key].setValue(round(1000 * value / est.total_bytes) if est.total_bytes else 0)
        self.total_bytes.setText("<b>" + units.size(est.total_bytes) + "</b>")
        notes = [self.tr("A rough lower bound: framework overhead is not included.")]
        self.notes.setText("\n".join(["• " + n for n in est.notes + notes]))
