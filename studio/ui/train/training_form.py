"""The training settings (``TrainingConfig``) as a form; the common ones first, the rest under
"Advanced". Optional numbers use the spin box's lowest value for "not set"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from studio.core.config import SCHEDULERS, TrainingConfig
from studio.core.validate import DTYPES, METRICS

from .widgets import (
    Collapsible,
    SciSpinBox,
    WheelGuard,
    guard_wheel,
    int_spin,
    make_form,
    set_combo_data,
    set_spin_value,
    spin_value,
)


class TrainingForm(QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._guard = WheelGuard(self)
        self._loading = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        basic = make_form()
        column.addLayout(basic)
        self.advanced = Collapsible(self.tr("Advanced"), self)
        adv = make_form()
        adv.setContentsMargins(0, 0, 0, 0)
        self.advanced.body.setLayout(adv)
        column.addWidget(self.advanced)
        self._basic, self._adv = basic, adv

        self.epochs = QDoubleSpinBox(self)
        self.epochs.setRange(0.01, 10000)
        self.epochs.setDecimals(2)
        self.epochs.setSingleStep(1)
        self.max_steps = int_spin(1, None, self.tr("off (train for the epochs)"), self)
        self.batch_size = int_spin(1, 4096, parent=self)
        self.grad_accum = int_spin(1, 1024, parent=self)
        self.learning_rate = SciSpinBox(1e-8, 0.999, log_steps=True, parent=self)
        self.scheduler = QComboBox(self)
        names = {"linear": self.tr("Linear decay"), "cosine": self.tr("Cosine"),
                 "constant": self.tr("Constant")}
        for key in SCHEDULERS:
            self.scheduler.addItem(names.get(key, key), key)
        self.warmup_steps = int_spin(0, None, parent=self)
        self.max_length = int_spin(8, 1_048_576, parent=self)
        self.max_length.setSingleStep(64)
        self.eval_steps = int_spin(1, None, self.tr("each epoch"), self)
        self.save_steps = int_spin(1, None, self.tr("each epoch"), self)
        self.dtype = QComboBox(self)
        for key in DTYPES:
            self.dtype.addItem(key, key)

        self.warmup_ratio = SciSpinBox(0.0, 0.99, parent=self)
        self.warmup_ratio.setSingleStep(0.01)
        self.weight_decay = SciSpinBox(0.0, 10.0, parent=self)
        self.weight_decay.setSingleStep(0.01)
        self.max_grad_norm = SciSpinBox(0.0, 1e6, parent=self)
        self.max_grad_norm.setSpecialValueText(self.tr("off"))
        self.max_grad_norm.setSingleStep(0.1)
        self.logging_steps = int_spin(1, None, parent=self)
        self.save_total_limit = int_spin(1, None, self.tr("keep all"), self)
        self.eval_batch_size = int_spin(1, 4096, self.tr("same as training"), self)
        self.patience = int_spin(1, 1000, self.tr("off"), self)
        self.es_metric = QComboBox(self)
        metric_names = {"eval_loss": self.tr("Evaluation loss"),
                        "perplexity": self.tr("Perplexity"), "accuracy": self.tr("Accuracy")}
        for key in METRICS:
            self.es_metric.addItem(metric_names.get(key, key), key)
        self.es_threshold = SciSpinBox(0.0, 1e6, parent=self)
        self.es_threshold.setSingleStep(0.001)
        self.seed = int_spin(0, None, parent=self)

        rows = [
            (basic, "epochs", self.epochs, self.tr("Epochs"),
             self.tr("Passes over the training data.")),
            (basic, "max_steps", self.max_steps, self.tr("Max steps"),
             self.tr("Stop after this many optimizer steps; overrides the epochs when set.")),
            (basic, "batch_size", self.batch_size, self.tr("Batch size"),
             self.tr("Examples per forward pass.")),
            (basic, "gradient_accumulation_steps", self.grad_accum,
             self.tr("Gradient accumulation"),
             self.tr("Forward passes per optimizer step; the effective batch is batch size "
                     "times this.")),
            (basic, "learning_rate", self.learning_rate, self.tr("Learning rate"),
             self.tr("Peak learning rate, e.g. 1e-4 to 1e-3 for adapters, 1e-5 for full "
                     "fine-tuning. Scientific notation is accepted.")),
            (basic, "scheduler", self.scheduler, self.tr("Schedule"),
             self.tr("How the learning rate changes after warm-up.")),
            (basic, "warmup_steps", self.warmup_steps, self.tr("Warm-up steps"),
             self.tr("Steps over which the learning rate rises from zero.")),
            (basic, "max_length", self.max_length, self.tr("Max length"),
             self.tr("Tokens per example; longer examples are cut.")),
            (basic, "eval_steps", self.eval_steps, self.tr("Evaluate every"),
             self.tr("Steps between evaluations on the validation split.")),
            (basic, "save_steps", self.save_steps, self.tr("Checkpoint every"),
             self.tr("Steps between checkpoints; Stop and Resume use the latest one.")),
            (basic, "dtype", self.dtype, self.tr("Precision"),
             self.tr("Precision of the base weights; adapters always train in float32.")),
            (adv, "warmup_ratio", self.warmup_ratio, self.tr("Warm-up ratio"),
             self.tr("Fraction of the steps used for warm-up when warm-up steps is 0.")),
            (adv, "weight_decay", self.weight_decay, self.tr("Weight decay"),
             self.tr("AdamW weight decay.")),
            (adv, "max_grad_norm", self.max_grad_norm, self.tr("Gradient clipping"),
             self.tr("Clip the gradient norm to this value; 0 turns clipping off.")),
            (adv, "logging_steps", self.logging_steps, self.tr("Log every"),
             self.tr("Steps between progress reports (chart points).")),
            (adv, "save_total_limit", self.save_total_limit, self.tr("Checkpoints kept"),
             self.tr("How many of the latest checkpoints to keep.")),
            (adv, "eval_batch_size", self.eval_batch_size, self.tr("Eval batch size"),
             self.tr("Examples per evaluation batch.")),
            (adv, "early_stopping_patience", self.patience, self.tr("Early stopping"),
             self.tr("Stop after this many evaluations without improvement.")),
            (adv, "early_stopping_metric", self.es_metric, self.tr("Watched metric"),
             self.tr("The metric early stopping watches.")),
            (adv, "early_stopping_threshold", self.es_threshold, self.tr("Min improvement"),
             self.tr("Smallest change that counts as an improvement.")),
            (adv, "seed", self.seed, self.tr("Seed"),
             self.tr("Random seed for initialisation and data order.")),
        ]
        self.labels: dict[str, QLabel] = {}
        self._chain: list[QWidget] = []
        for form, key, editor, label, tip in rows:
            if form is adv and self.advanced.button not in self._chain:
                self._chain.append(self.advanced.button)
            self._chain.append(editor)
            editor.setObjectName(f"training_{key}")
            editor.setToolTip(f"<b>{key}</b><br>{tip}")
            text = QLabel(label, self)
            text.setBuddy(editor)
            text.setToolTip(editor.toolTip())
            form.addRow(text, editor)
            self.labels[key] = text
            if isinstance(editor, (QSpinBox, QDoubleSpinBox, QComboBox)):
                guard_wheel(editor, self._guard)
            signal = (editor.currentIndexChanged if isinstance(editor, QComboBox)
                      else editor.valueChanged)
            signal.connect(self._on_edited)
        self.set_config(TrainingConfig())

    def focus_chain(self) -> list[QWidget]:
        return list(self._chain)

    def config(self) -> TrainingConfig:
        grad_norm = self.max_grad_norm.value()
        return TrainingConfig(
            epochs=self.epochs.value(), max_steps=spin_value(self.max_steps),
            batch_size=self.batch_size.value(),
            gradient_accumulation_steps=self.grad_accum.value(),
            learning_rate=self.learning_rate.value(), weight_decay=self.weight_decay.value(),
            scheduler=self.scheduler.currentData(), warmup_steps=self.warmup_steps.value(),
            warmup_ratio=self.warmup_ratio.value(),
            max_grad_norm=grad_norm if grad_norm > 0 else None,
            max_length=self.max_length.value(), seed=self.seed.value(),
            logging_steps=self.logging_steps.value(), eval_steps=spin_value(self.eval_steps),
            save_steps=spin_value(self.save_steps),
            save_total_limit=spin_value(self.save_total_limit),
            early_stopping_patience=spin_value(self.patience),
            early_stopping_metric=self.es_metric.currentData(),
            early_stopping_threshold=self.es_threshold.value(),
            eval_batch_size=spin_value(self.eval_batch_size), dtype=self.dtype.currentData())

    def set_config(self, t: TrainingConfig) -> None:
        self._loading = True
        try:
            self.epochs.setValue(float(t.epochs))
            set_spin_value(self.max_steps, t.max_steps)
            self.batch_size.setValue(t.batch_size)
            self.grad_accum.setValue(t.gradient_accumulation_steps)
            self.learning_rate.setValue(t.learning_rate)
            set_combo_data(self.scheduler, t.scheduler)
            self.warmup_steps.setValue(t.warmup_steps)
            self.warmup_ratio.setValue(t.warmup_ratio)
            self.weight_decay.setValue(t.weight_decay)
            self.max_grad_norm.setValue(t.max_grad_norm or 0.0)
            self.max_length.setValue(t.max_length)
            self.seed.setValue(t.seed)
            self.logging_steps.setValue(t.logging_steps)
            set_spin_value(self.eval_steps, t.eval_steps)
            set_spin_value(self.save_steps, t.save_steps)
            set_spin_value(self.save_total_limit, t.save_total_limit)
            set_spin_value(self.patience, t.early_stopping_patience)
            set_combo_data(self.es_metric, t.early_stopping_metric)
            self.es_threshold.setValue(t.early_stopping_threshold)
            set_spin_value(self.eval_batch_size, t.eval_batch_size)
            set_combo_data(self.dtype, t.dtype)
        finally:
            self._loading = False
        self._update_visibility()
        self.sig_changed.emit()

    def _update_visibility(self) -> None:
        self.epochs.setEnabled(spin_value(self.max_steps) is None)
        self._adv.setRowVisible(self.warmup_ratio, self.warmup_steps.value() == 0)
        stopping = spin_value(self.patience) is not None
        self._adv.setRowVisible(self.es_metric, stopping)
        self._adv.setRowVisible(self.es_threshold, stopping)

    def _on_edited(self, *_: Any) -> None:
        if self._loading:
            return
        self._update_visibility()
        self.sig_changed.emit()
