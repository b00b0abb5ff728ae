"""The window's side of issue 11's security items: consent to pickle weights (Model,
Playground, Export: one checkbox with its warning) and the download source (Settings ▸
Download source, shown in the status bar, handed to child processes)."""

from __future__ import annotations

import os

import pytest
import yaml
from PySide6.QtWidgets import QDialogButtonBox

from studio.core import hub
from studio.core.config import DatasetConfig, RunConfig
from studio.ui import settings as settings_mod
from studio.ui.export.request import ExportRequest
from studio.ui.mainwindow import MainWindow


@pytest.fixture
def window(qtbot, monkeypatch):
    for name in ("HF_ENDPOINT", "HF_HUB_OFFLINE", hub.ENV_SOURCE, hub.ENV_ENDPOINT):
        monkeypatch.delenv(name, raising=False)   # the window sets them: undone after
    win = MainWindow(probe_devices=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_model_pages_consent_goes_into_the_run_file(window, tmp_path):
    consent = window.model_page.pickle_consent
    assert not consent.allowed() and not consent.warning.isVisibleTo(window.model_page)
    assert window.train_page.build_config().allow_pickle_weights is False
    consent.check.click()
    assert consent.warning.isVisibleTo(window.model_page)
    assert "can run any code" in consent.warning.text()
    config = window.train_page.build_config()
    assert config.allow_pickle_weights is True
    assert yaml.safe_load(config.dump_yaml())["allow_pickle_weights"] is True


def test_a_run_file_with_consent_checks_the_box(window, tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text(RunConfig(model=str(tmp_path / "m"), dataset=DatasetConfig(path="d.txt"),
                              allow_pickle_weights=True).dump_yaml())
    window.open_run_file(path)
    assert window.model_page.allow_pickle()
    assert window.train_page.build_config().allow_pickle_weights


def test_export_passes_the_consent_to_its_command(window):
    page = window.export_page
    assert "--allow-pickle-weights" not in page.build_request().args()
    page.output.pickle_consent.check.click()
    assert page.build_request().allow_pickle_weights
    assert "--allow-pickle-weights" in ExportRequest(source="r", out="o",
                                                      allow_pickle_weights=True).args()
    assert "--allow-pickle-weights" in page.build_request().args(placeholders=True)


def test_the_playground_has_the_same_checkbox(window):
    consent = window.playground_page.pickle_consent
    assert consent.check.text() == window.model_page.pickle_consent.check.text()
    assert not consent.allowed()


def test_downloads_come_from_the_official_hub_by_default(window):
    assert window.hub_label.text() == "Downloads: Hugging Face"
    assert os.environ["HF_ENDPOINT"] == hub.OFFICIAL_ENDPOINT
    assert os.environ[hub.ENV_SOURCE] == "huggingface"


def test_choosing_a_mirror_in_settings(window, qtbot):
    dialog = window.choose_hub()
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.official.isChecked() and not dialog.url_edit.isEnabled()
    dialog.mirror.click()
    assert not ok.isEnabled() and "https://" in dialog.problem.text()
    dialog.url_edit.setText("mirror.test")            # no scheme: not an address yet
    assert not ok.isEnabled()
    dialog.url_edit.setText("https://mirror.test/")
    assert ok.isEnabled()
    ok.click()
    assert settings_mod.hub_choice() == hub.HubChoice("mirror", "https://mirror.test")
    assert os.environ["HF_ENDPOINT"] == "https://mirror.test"     # what children inherit
    assert os.environ[hub.ENV_SOURCE] == "mirror"
    assert window.hub_label.text() == "Downloads: mirror https://mirror.test"


def test_the_choice_is_kept_and_a_damaged_one_falls_back(qtbot, monkeypatch):
    for name in ("HF_ENDPOINT", "HF_HUB_OFFLINE", hub.ENV_SOURCE, hub.ENV_ENDPOINT):
        monkeypatch.delenv(name, raising=False)
    settings_mod.set_hub_choice(hub.HubChoice("modelscope"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    win = MainWindow(probe_devices=False)
    qtbot.addWidget(win)
    assert win.hub_label.text() == "Downloads: ModelScope (offline)"
    store = settings_mod.settings()
    store.setValue(settings_mod.HUB_SOURCE_KEY, "mirror")
    store.setValue(settings_mod.HUB_ENDPOINT_KEY, "not a url")
    store.sync()
    assert settings_mod.hub_choice() == hub.HubChoice()
