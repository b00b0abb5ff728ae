"""A form generated from a method's parameter schema (``studio.core.methods.ParamSpec``):
whole numbers get a spin box with the registry's range, numbers a scientific-notation box,
flags a check box, choices a combo box, module lists a line edit. Help texts become tooltips,
advanced parameters go in a collapsed "Advanced" part, and fields that do not apply under the
current values (init_text without text init, ...) are hidden and left out of the run file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from studio.core import methods
from studio.core.methods import MethodSpec, ParamSpec

from .widgets import (
    Collapsible,
    SciSpinBox,
    WheelGuard,
    format_modules,
    guard_wheel,
    int_spin,
    make_form,
    parse_list,
    parse_modules,
    set_combo_data,
    set_spin_value,
    spin_value,
)

# Friendly labels; the run file's name is in the tooltip.
_LABELS = {
    "r": QT_TRANSLATE_NOOP("MethodForm", "Rank"),
    "lora_alpha": QT_TRANSLATE_NOOP("MethodForm", "Alpha"),
    "alpha": QT_TRANSLATE_NOOP("MethodForm", "Alpha"),
    "lora_dropout": QT_TRANSLATE_NOOP("MethodForm", "Dropout"),
    "target_modules": QT_TRANSLATE_NOOP("MethodForm", "Target modules"),
    "bias": QT_TRANSLATE_NOOP("MethodForm", "Train biases"),
    "modules_to_save": QT_TRANSLATE_NOOP("MethodForm", "Fully trained modules"),
    "init_r": QT_TRANSLATE_NOOP("MethodForm", "Initial rank"),
    "target_r": QT_TRANSLATE_NOOP("MethodForm", "Target rank"),
    "tinit": QT_TRANSLATE_NOOP("MethodForm", "Warm-up steps (tinit)"),
    "tfinal": QT_TRANSLATE_NOOP("MethodForm", "Final steps (tfinal)"),
    "deltaT": QT_TRANSLATE_NOOP("MethodForm", "Reallocation interval"),
    "beta1": QT_TRANSLATE_NOOP("MethodForm", "Sensitivity smoothing"),
    "beta2": QT_TRANSLATE_NOOP("MethodForm", "Uncertainty smoothing"),
    "orth_reg_weight": QT_TRANSLATE_NOOP("MethodForm", "Orthogonality weight"),
    "feedforward_modules": QT_TRANSLATE_NOOP("MethodForm", "Feed-forward modules"),
    "rank_dropout": QT_TRANSLATE_NOOP("MethodForm", "Rank dropout"),
    "module_dropout": QT_TRANSLATE_NOOP("MethodForm", "Module dropout"),
    "decompose_both": QT_TRANSLATE_NOOP("MethodForm", "Decompose both factors"),
    "decompose_factor": QT_TRANSLATE_NOOP("MethodForm", "Decomposition factor"),
    "oft_block_size": QT_TRANSLATE_NOOP("MethodForm", "Block size"),
    "coft": QT_TRANSLATE_NOOP("MethodForm", "Constrained (COFT)"),
    "eps": QT_TRANSLATE_NOOP("MethodForm", "COFT epsilon"),
    "block_share": QT_TRANSLATE_NOOP("MethodForm", "Share blocks"),
    "boft_block_size": QT_TRANSLATE_NOOP("MethodForm", "Block size"),
    "boft_block_num": QT_TRANSLATE_NOOP("MethodForm", "Number of blocks"),
    "boft_n_butterfly_factor": QT_TRANSLATE_NOOP("MethodForm", "Butterfly factors"),
    "boft_dropout": QT_TRANSLATE_NOOP("MethodForm", "Dropout"),
    "vera_dropout": QT_TRANSLATE_NOOP("MethodForm", "Dropout"),
    "d_initial": QT_TRANSLATE_NOOP("MethodForm", "Initial scaling"),
    "projection_prng_key": QT_TRANSLATE_NOOP("MethodForm", "Projection seed"),
    "save_projection": QT_TRANSLATE_NOOP("MethodForm", "Save projections"),
    "n_frequency": QT_TRANSLATE_NOOP("MethodForm", "Frequencies"),
    "scaling": QT_TRANSLATE_NOOP("MethodForm", "Scaling"),
    "random_loc_seed": QT_TRANSLATE_NOOP("MethodForm", "Frequency seed"),
    "num_virtual_tokens": QT_TRANSLATE_NOOP("MethodForm", "Virtual tokens"),
    "prefix_projection": QT_TRANSLATE_NOOP("MethodForm", "Prefix projection"),
    "encoder_hidden_size": QT_TRANSLATE_NOOP("MethodForm", "Encoder hidden size"),
    "init": QT_TRANSLATE_NOOP("MethodForm", "Initialisation"),
    "init_text": QT_TRANSLATE_NOOP("MethodForm", "Initial text"),
    "encoder_type": QT_TRANSLATE_NOOP("MethodForm", "Encoder"),
    "encoder_num_layers": QT_TRANSLATE_NOOP("MethodForm", "Encoder layers"),
    "encoder_dropout": QT_TRANSLATE_NOOP("MethodForm", "Encoder dropout"),
    "adapter_len": QT_TRANSLATE_NOOP("MethodForm", "Prompt length"),
    "adapter_layers": QT_TRANSLATE_NOOP("MethodForm", "Adapted layers"),
}

# (method, param) -> (param it depends on, value that makes it apply)
_APPLIES_WHEN: dict[tuple[str, str], tuple[str, Any]] = {
    ("prompt_tuning", "init_text"): ("init", "text"),
    ("prefix_tuning", "encoder_hidden_size"): ("prefix_projection", True),
    ("p_tuning", "encoder_num_layers"): ("encoder_type", "LSTM"),
    ("oft", "eps"): ("coft", True),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("MethodForm", text)


def registry_text(text: str) -> str:
    """Help texts and descriptions come from the Qt-free registry; a catalog may still
    translate them under the context "methods"."""
    return QCoreApplication.translate("methods", text) if text else text


def param_label(name: str) -> str:
    return _tr(_LABELS[name]) if name in _LABELS else name


@dataclass
class Field:
    spec: ParamSpec
    label: QLabel
    editor: QWidget
    get: Callable[[], Any]
    set: Callable[[Any], None]
    form: QFormLayout


class MethodForm(QWidget):
    """The editable parameters of one method; ``values()`` gives what the run file holds."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._guard = WheelGuard(self)
        self._spec: MethodSpec | None = None
        self._family: str | None = None
        self._fields: dict[str, Field] = {}
        self._content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.advanced: Collapsible | None = None
        self._building = False

    # ---- building ------------------------------------------------------------------------
    def set_method(self, spec: MethodSpec, values: dict[str, Any] | None = None) -> None:
        """Rebuild the form for ``spec``; ``values`` overrides registry defaults."""
        expanded = self.advanced.is_expanded() if self.advanced else False
        self._building = True
        if self._content is not None:
            self._content.hide()
            self._content.deleteLater()
        self._spec, self._fields = spec, {}
        self._content = QWidget(self)
        column = QVBoxLayout(self._content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        basic = make_form()
        column.addLayout(basic)
        self.advanced = Collapsible(self.tr("Advanced"), self._content)
        advanced_form = make_form()
        advanced_form.setContentsMargins(0, 0, 0, 0)
        self.advanced.body.setLayout(advanced_form)
        for p in spec.params:
            self._add_field(p, advanced_form if p.advanced else basic)
        column.addWidget(self.advanced)
        self.advanced.setVisible(any(p.advanced for p in spec.params))
        self.advanced.set_expanded(expanded)
        if not spec.params:
            empty = QLabel(self.tr("This method has no parameters to set."), self._content)
            empty.setObjectName("hint")
            basic.addRow(empty)
        self._layout.addWidget(self._content)
        for name, value in (values or {}).items():
            if name in self._fields and value is not None:
                self._fields[name].set(value)
        self._building = False
        self._update_target_hint()
        self._update_visibility()

    def _add_field(self, p: ParamSpec, form: QFormLayout) -> None:
        editor, get, set_ = self._editor(p)
        editor.setObjectName(f"param_{p.name}")
        label = QLabel(param_label(p.name), self._content)
        label.setBuddy(editor)
        tip = f"<b>{p.name}</b>"
        if p.help:
            tip += "<br>" + registry_text(p.help)
        if p.min is not None or p.max is not None:
            low = _num(p.min) if p.min is not None else "…"
            high = _num(p.max) if p.max is not None else "…"
            tip += "<br>" + self.tr("Range: %1 to %2").replace("%1", low).replace("%2", high)
        editor.setToolTip(tip)
        label.setToolTip(tip)
        form.addRow(label, editor)
        self._fields[p.name] = Field(p, label, editor, get, set_, form)
        set_(p.default)

    def _editor(self, p: ParamSpec) -> tuple[QWidget, Callable[[], Any], Callable[[Any], None]]:
        changed = self._on_edited
        if p.type == "int":
            spin = int_spin(p.min, p.max, self.tr("default") if p.default is None else None,
                            self._content)
            guard_wheel(spin, self._guard)
            spin.valueChanged.connect(changed)
            return spin, lambda: spin_value(spin), lambda v: set_spin_value(spin, v)
        if p.type == "float":
            low = p.min if p.min is not None else -1e12
            high = p.max if p.max is not None else 1e12
            default = float(p.default or 0.0)
            box = SciSpinBox(low, high, log_steps=p.max is None and 0 < default < 1,
                             parent=self._content)
            box.setSingleStep(0.01 if high <= 1 else 0.05 if default < 1 else 1.0)
            guard_wheel(box, self._guard)
            box.valueChanged.connect(changed)
            return box, box.value, lambda v: box.setValue(float(v if v is not None else 0.0))
        if p.type == "bool":
            check = QCheckBox(self._content)
            check.toggled.connect(changed)
            return check, check.isChecked, lambda v: check.setChecked(bool(v))
        if p.type == "choice":
            combo = QComboBox(self._content)
            for choice in p.choices or ():
                combo.addItem(registry_text(choice), choice)
            guard_wheel(combo, self._guard)
            combo.currentIndexChanged.connect(changed)
            return combo, combo.currentData, lambda v: set_combo_data(combo, v)
        edit = QLineEdit(self._content)
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(changed)
        if p.type == "modules":
            return edit, lambda: parse_modules(edit.text()), \
                lambda v: edit.setText(format_modules(v))
        if p.type == "list":
            edit.setPlaceholderText(self.tr("none (comma-separated names)"))
            return edit, lambda: parse_list(edit.text()), lambda v: edit.setText(format_modules(v))
        return (edit, lambda: edit.text() or None,
                lambda v: edit.setText("" if v is None else str(v)))

    # ---- values --------------------------------------------------------------------------
    def spec(self) -> MethodSpec | None:
        return self._spec

    def field(self, name: str) -> Field | None:
        return self._fields.get(name)

    def values(self) -> dict[str, Any]:
        """The run file's method parameters: every field that applies and is set."""
        out: dict[str, Any] = {}
        for name, f in self._fields.items():
            if not self._applies(name):
                continue
            value = f.get()
            if value is not None:
                out[name] = value
        return out

    def all_values(self) -> dict[str, Any]:
        """Every field, applicable or not (to restore the form after switching methods)."""
        return {name: f.get() for name, f in self._fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        self._building = True
        for name, f in self._fields.items():
            f.set(values.get(name, f.spec.default))
        self._building = False
        self._update_visibility()
        self.sig_changed.emit()

    def focus_chain(self) -> list[QWidget]:
        """The editors in reading order: the basic ones, the Advanced toggle, the rest."""
        basic = [f.editor for f in self._fields.values() if not f.spec.advanced]
        advanced = [f.editor for f in self._fields.values() if f.spec.advanced]
        toggle = [self.advanced.button] if self.advanced is not None and advanced else []
        return basic + toggle + advanced

    def set_family(self, family: str | None) -> None:
        self._family = family
        self._update_target_hint()

    def set_target_modules(self, value: list[str] | str | None) -> None:
        f = self._fields.get("target_modules")
        if f is not None:
            f.set(value)

    # ---- behaviour -----------------------------------------------------------------------
    def _applies(self, name: str) -> bool:
        if self._spec is None:
            return False
        rule = _APPLIES_WHEN.get((self._spec.id, name))
        if rule is None:
            return True
        other, wanted = rule
        f = self._fields.get(other)
        return f is not None and f.get() == wanted

    def _update_visibility(self) -> None:
        for name, f in self._fields.items():
            f.form.setRowVisible(f.editor, self._applies(name))

    def _update_target_hint(self) -> None:
        if self._spec is None:
            return
        for name in ("target_modules", "feedforward_modules"):
            f = self._fields.get(name)
            if f is None or not isinstance(f.editor, QLineEdit):
                continue
            if name == "feedforward_modules":
                table = methods.IA3_FEEDFORWARD_MODULES.get(self._family or "")
            else:
                table = methods.default_target_modules(self._spec.id, self._family)
            if table:
                hint = self.tr("default for %1: %2").replace("%1", self._family or "") \
                    .replace("%2", ", ".join(table))
            elif self._family:
                hint = self.tr("peft's default for %1").replace("%1", self._family)
            else:
                hint = self.tr("default for the model family")
            f.editor.setPlaceholderText(hint)

    def _on_edited(self, *_: Any) -> None:
        if self._building:
            return
        self._update_visibility()
        self.sig_changed.emit()


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
