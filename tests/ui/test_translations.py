"""The Simplified Chinese catalog: compiled and loadable, complete (every entry translated,
placeholders kept), up to date with the code (lupdate finds nothing the catalog lacks), and
actually used by the window (navigation, menus, pages, registry texts)."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget

from studio.core import methods

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE = "zh_CN"
PLACEHOLDER = re.compile(r"%(?:\d+|n)|\{[^{}]*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _load_tool():
    spec = importlib.util.spec_from_file_location("studio_i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


i18n = _load_tool()


@pytest.fixture(scope="module")
def catalog():
    return i18n.entries(i18n.ts_path(LANGUAGE))


def _forms(key, message) -> list[str]:
    translation = message.find("translation")
    if key[3]:
        return [f.text or "" for f in translation.iter("numerusform")]
    return [translation.text or ""]


# ---- the files -------------------------------------------------------------------------------
def test_the_compiled_catalog_loads():
    qm = i18n.qm_path(LANGUAGE)
    assert qm.is_file() and qm.stat().st_size > 1000
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.language() == LANGUAGE
    assert translator.translate("MainWindow", "Train") == "训练"
    assert translator.translate("methods", "Full fine-tuning") == "全参数微调"
    assert translator.translate("RunActions", "Deleted %n run(s).", "", 3) == "已删除 %n 个运行。"


def test_the_compiled_catalog_matches_the_source(tmp_path):
    """The committed .qm is what lrelease makes of the committed .ts (nobody forgot to
    recompile after translating)."""
    fresh = tmp_path / "fresh.qm"
    i18n.lrelease(i18n.ts_path(LANGUAGE), fresh)
    assert fresh.read_bytes() == i18n.qm_path(LANGUAGE).read_bytes(), \
        "run `python tools/i18n.py` to recompile the catalog"


# ---- complete ----------------------------------------------------------------------------
def test_every_entry_is_translated(catalog):
    assert len(catalog) > 500
    assert i18n.unfinished(LANGUAGE) == []
    for key, message in catalog.items():
        forms = _forms(key, message)
        assert forms and all(f.strip() for f in forms), key
        if key[3]:
            assert len(forms) == 1, f"Chinese has one plural form: {key}"


def test_placeholders_survive_translation(catalog):
    for key, message in catalog.items():
        wanted = sorted(PLACEHOLDER.findall(key[1]))
        for form in _forms(key, message):
            assert sorted(PLACEHOLDER.findall(form)) == wanted, (key, form)
            # Rich text and accelerators keep their shape.
            assert sorted(re.findall(r"</?\w+", form)) == sorted(re.findall(r"</?\w+", key[1])), \
                (key, form)
            assert ("&" in key[1].replace("&&", "")) == ("&" in form.replace("&&", "")), key


def test_text_is_chinese_where_the_source_is_words(catalog):
    """Names (LoRA, MindSpore %1 · %2, file filters) may stay; sentences may not."""
    for key, message in catalog.items():
        words = re.sub(r"<[^>]+>|%\d|%n|\{[^}]*\}|\([^)]*\*[^)]*\)", "", key[1])
        if len(re.findall(r"\b[a-z]{3,}\b", words)) >= 3:
            assert all(CJK.search(f) for f in _forms(key, message)), key


# ---- up to date --------------------------------------------------------------------------
def test_registry_texts_are_extracted():
    """studio/ui/i18n_sources.py is what tools/i18n.py generates from the registry now."""
    assert i18n.REGISTRY_SOURCES.read_text(encoding="utf-8") == i18n.registry_source(), \
        "the method registry changed: run `python tools/i18n.py` and translate the new texts"
    texts = set(i18n.registry_texts())
    for spec in methods.all_methods():
        assert {spec.display_name, spec.description} <= texts
        assert all(p.help in texts for p in spec.params if p.help)


def test_lupdate_finds_nothing_missing(tmp_path, catalog):
    missing = i18n.missing_from_catalog(LANGUAGE, tmp_path)
    assert missing == [], ("strings in the code but not in the catalog; run "
                           f"`python tools/i18n.py` and translate them: {missing}")
    fresh = i18n.entries(tmp_path / f"fresh_{LANGUAGE}.ts")
    stale = sorted(set(catalog) - set(fresh))
    assert stale == [], f"catalog entries no longer in the code: {stale}"


def test_lupdate_sees_every_translated_call():
    """lupdate reads literal texts only: a helper taking the text as a variable hides the
    strings from it. Allowed: registry texts ("methods") and core messages ("core"), both
    declared in i18n_sources.py, and the Train page's parameter labels (declared with
    QT_TRANSLATE_NOOP)."""
    allowed = {("studio/ui/train/method_form.py", "MethodForm")}
    hidden = []
    for path in i18n.source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name not in ("tr", "translate") or not node.args:
                continue
            text_index = 1 if name == "translate" else 0
            if len(node.args) <= text_index:
                continue
            context = node.args[0].value if isinstance(node.args[0], ast.Constant) else None
            text = node.args[text_index]
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                continue
            where = path.relative_to(ROOT).as_posix()
            if context not in ("methods", "core") and (where, context) not in allowed:
                hidden.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    assert hidden == []


def test_the_tool_checks_cleanly():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "--check"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# ---- in the window -----------------------------------------------------------------------
def test_the_window_speaks_chinese(qtbot, chinese, catalog):
    from studio.ui.mainwindow import MainWindow

    window = MainWindow(probe_devices=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    nav = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert nav[:4] == ["模型", "数据", "训练", "运行记录"]
    assert all(CJK.search(text) for text in nav)   # pages added later too
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "运行(&R)", "视图(&V)", "设置(&S)", "帮助(&H)"]
    assert [a.text() for a in window.page_actions][:4] == [
        "模型(&M)", "数据(&D)", "训练(&T)", "运行记录(&R)"]
    assert window.train_page.start_button.text() == "开始"
    assert window.start_action.text() == "开始训练(&S)"

    # No label, button, group or tab anywhere shows a catalog text still in English (a
    # runtime context that differs from lupdate's would leave it untranslated).
    english = {key[1] for key, message in catalog.items()
               if not key[3] and message.find("translation").text != key[1]}
    shown = []
    for page in window.pages:
        window.show_page(window.pages.index(page))
        for widget in page.findChildren(QLabel) + page.findChildren(QAbstractButton):
            shown.append((widget, widget.text()))
        for widget in page.findChildren(QGroupBox):
            shown.append((widget, widget.title()))
        for widget in page.findChildren(QTabWidget):
            shown += [(widget, widget.tabText(i)) for i in range(widget.count())]
    left = [(type(w).__name__, w.objectName(), text) for w, text in shown if text in english]
    assert left == []


def test_registry_texts_reach_the_train_page(qtbot, chinese):
    from studio.ui.train.page import TrainPage

    page = TrainPage()
    qtbot.addWidget(page)
    names = [page.method_combo.itemText(i) for i in range(page.method_combo.count())]
    assert "LoRA" in names and "全参数微调" in names
    page._select_method("lora")
    assert page.method_description.text().startswith("在选定的线性层上")
    bias = page.method_form.field("bias").editor
    assert [bias.itemText(i) for i in range(bias.count())] == ["无", "全部", "仅 LoRA 层"]
    assert [bias.itemData(i) for i in range(bias.count())] == ["none", "all", "lora_only"]
    rank = page.method_form.field("r")
    assert rank.label.text() == "秩" and "低秩更新的秩" in rank.editor.toolTip()
    assert QCoreApplication.translate("methods", "Prompt tuning") == "Prompt Tuning"


def test_chinese_text_gets_simplified_chinese_glyphs(qapp):
    """Han characters look different in Japanese fonts; Qt's fallback may pick one (Noto Sans
    CJK JP sorts first), so Chinese puts the SC fonts right after the UI font."""
    from PySide6.QtGui import QFontDatabase, QTextLayout

    from studio.app import CJK_FONTS, prefer_script_fonts

    before = qapp.font()
    try:
        prefer_script_fonts(qapp, "en")
        assert qapp.font() == before
        prefer_script_fonts(qapp, LANGUAGE)
        families = qapp.font().families()
        assert families[1:] == [f for f in CJK_FONTS[LANGUAGE] if f != families[0]]
        if "Noto Sans CJK SC" in QFontDatabase.families():
            layout = QTextLayout("运行记录 Runs", qapp.font())
            layout.beginLayout()
            layout.createLine()
            layout.endLayout()
            used = {run.rawFont().familyName() for run in layout.glyphRuns()}
            assert "Noto Sans CJK SC" in used and "Noto Sans CJK JP" not in used
    finally:
        qapp.setFont(before)
