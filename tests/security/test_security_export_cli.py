"""`geo export --out` never overwrites the curated data, and a failed write leaves the old file
(issue 9, "Data silently lost")."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from geo.commands.main import main
from geo.dataset import DATA_DIR_ENV
from geo.paths import DATA_DIR


@pytest.fixture()
def data(tmp_path, monkeypatch) -> Path:
    """A copy of the curated data, used as the data folder (so a failing test never touches data/)."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("gazetteer"))
    monkeypatch.setenv(DATA_DIR_ENV, str(copy))
    return copy


@pytest.mark.parametrize("target", ["events.csv", "claims.csv", "articles.csv", "facts.csv",
                                    "articles/000_2764ba4b0611a321.html", "new-file.csv", "boundaries/x.geojson"])
def test_export_refuses_to_write_into_the_data_folder(data, target, capsys):
    path = data / target
    before = path.read_bytes() if path.exists() else None
    assert main(["export", "--out", str(path)]) == 2
    err = capsys.readouterr().err
    assert "data folder" in err and "Traceback" not in err
    assert (path.read_bytes() if path.exists() else None) == before


def test_export_refuses_the_data_folder_by_a_relative_path_too(data, monkeypatch, capsys):
    monkeypatch.chdir(data / "articles")
    before = (data / "events.csv").read_bytes()
    assert main(["export", "--out", "../events.csv"]) == 2
    assert (data / "events.csv").read_bytes() == before


def test_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch, capsys):
    out = tmp_path / "brief.csv"
    out.write_bytes(b"the old briefing\n")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    assert main(["export", "--out", str(out)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_bytes() == b"the old briefing\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.csv"]
