"""What the model sees: one row as training tokenizes it (``data inspect --render`` in a child
process, like the token lengths), the parts without loss in grey, the parts it learns from in
bold colour, with its token count."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

MASKED_COLOUR = "#8a8f98"
LOSS_COLOUR = "#0b5cad"
FIRST_LOSS = "first-loss"
CONTEXT_LINES = 3  # lines of the prompt kept above the first learned part


def render_html(render: dict[str, Any]) -> str:
    """The spans as HTML: grey for no loss, bold blue for loss; whitespace kept."""
    parts = []
    anchored = False
    for span in render.get("spans") or []:
        text = html.escape(span["text"])
        if span["loss"]:
            if not anchored:  # where the view scrolls to: long prompts hide the answer
                parts.append(f'<a name="{FIRST_LOSS}"></a>')
                anchored = True
            parts.append(f'<span style="color:{LOSS_COLOUR}; font-weight:700">{text}</span>')
        else:
            parts.append(f'<span style="color:{MASKED_COLOUR}">{text}</span>')
    return ('<div style="white-space:pre-wrap; font-family:monospace">'
            + "".join(parts) + "</div>")


class RenderView(QGroupBox):
    """``sig_max_length_changed(int)``: the user changed the max length to render with."""

    sig_max_length_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("What the model sees"), parent)
        self.setObjectName("renderView")
        self.info = QLabel()
        self.info.setObjectName("renderInfo")
        self.info.setWordWrap(True)
        self.max_length = QSpinBox()
        self.max_length.setObjectName("renderMaxLength")
        self.max_length.setRange(2, 1_048_576)
        self.max_length.setSingleStep(64)
        self.max_length.setValue(128)
        self.max_length.setToolTip(self.tr("training.max_length: longer rows are cut as "
                                           "training cuts them"))
        self.max_length.valueChanged.connect(self.sig_max_length_changed)
        legend = QLabel(self.tr('<span style="color:%1">grey: read, no loss</span> · '
                                '<span style="color:%2; font-weight:700">bold: learned '
                                '(loss)</span>').replace("%1", MASKED_COLOUR)
                        .replace("%2", LOSS_COLOUR))
        row = QHBoxLayout()
        row.addWidget(legend)
        row.addStretch(1)
        row.addWidget(QLabel(self.tr("Max length:")))
        row.addWidget(self.max_length)
        self.text = QTextBrowser()
        self.text.setObjectName("renderText")
        self.text.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.info)
        layout.addLayout(row)
        layout.addWidget(self.text, 1)
        self.clear(self.tr("Choose a model on the Model page to see a row as its tokenizer "
                           "reads it."))

    def clear(self, note: str) -> None:
        self.info.setText(note)
        self.text.clear()

    def show_render(self, render: dict[str, Any]) -> None:
        unit = self.tr("Line %1") if render.get("unit") == "line" else self.tr("Row %1")
        parts = [unit.replace("%1", str(render["row"])),
                 self.tr("%1 tokens, %2 learned").replace("%1", str(render["tokens"]))
                 .replace("%2", str(render["loss_tokens"]))]
        if render.get("dropped"):
            parts.append(self.tr("no answer within the max length: training skips this row"))
        elif render.get("truncated"):
            parts.append(self.tr("cut to the max length"))
        if render.get("chat_template") == "fallback":
            parts.append(self.tr("the studio's chat template (the tokenizer has none)"))
        if render.get("packed"):
            parts.append(self.tr("training joins rows into blocks of the max length"))
        self.info.setText(" · ".join(parts))
        self.text.setHtml(render_html(render))
        self.text.scrollToAnchor(FIRST_LOSS)
        bar = self.text.verticalScrollBar()
        bar.setValue(max(0, bar.value() - CONTEXT_LINES * self.text.fontMetrics().lineSpacing()))
