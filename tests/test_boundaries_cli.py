"""`python -m geo boundaries`: the one entry point that re-derives data/boundaries/."""

from __future__ import annotations

from geo.commands.main import main
from geo.paths import BOUNDARIES_DIR


def test_boundaries_command_writes_the_committed_layers(tmp_path, capsys):
    assert main(["boundaries", "--out", str(tmp_path)]) == 0
    written = {line.rsplit("/", 1)[-1] for line in capsys.readouterr().out.split()}
    committed = {p.name for p in BOUNDARIES_DIR.iterdir() if p.suffix in {".geojson", ".csv"}}
    assert written and written <= committed
    assert {p.name for p in tmp_path.iterdir()} == written


def test_boundaries_command_refuses_a_missing_folder(tmp_path, capsys):
    assert main(["boundaries", "--out", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err
