"""Every page survives missing or broken inputs: a clear message, the rest still shown (issue 9, "Crashes")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.dataset import DATA_DIR_ENV
from geo.paths import DATA_DIR, ROOT

PAGES = ("ui/map.py", "ui/events.py", "ui/sources.py", "ui/briefing.py")


def _data_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("boundaries", "gazetteer"))
    return copy


def _run_pages() -> list[AppTest]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    runs = []
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, f"{page}: {at.exception}"
        runs.append(at)
    return runs


def _texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("error", "warning", "caption", "markdown") for e in at.get(kind))


@pytest.mark.parametrize("missing", ["facts.csv", "claims.csv", "events.csv", "articles.csv"])
def test_no_page_raises_when_a_data_file_is_missing(missing, tmp_path, monkeypatch):
    data = _data_copy(tmp_path)
    (data / missing).unlink()
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    _run_pages()


def test_corrupt_boundary_layer_is_a_clear_message_on_map_and_briefing(corrupt_border, tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(_data_copy(tmp_path)))  # a fresh Dataset (and export cache)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    for page in ("ui/map.py", "ui/briefing.py"):
        at.switch_page(page).run()
        assert not at.exception, f"{page}: {at.exception}"
        errors = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes
        assert "border_iran_pakistan.geojson" in errors and "unreadable" in errors, page
        assert str(tmp_path) not in _texts(at), page  # no absolute path shown to the browser user
    at.switch_page("ui/map.py").run()
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) > 0  # the event table still renders


def test_corrupt_boundary_layer_is_a_clear_error_on_the_command_line(corrupt_border, tmp_path, capsys):
    from geo.commands.main import main

    assert main(["export", "--out", str(tmp_path / "brief.png")]) == 1
    err = capsys.readouterr().err
    assert "boundary layer border_iran_pakistan.geojson unreadable" in err and str(tmp_path) not in err
    assert main(["export", "--out", str(tmp_path / "brief.csv")]) == 0  # tables need no boundary
