"""`geo places --min-confidence` accepts only a finite number in [0, 1] (issue 9, "Lax validation")."""

from __future__ import annotations

import pytest

from geo.commands.main import main


@pytest.mark.parametrize("value", ["2", "-1", "nan", "inf", "-0.01", "1.5", "x", ""])
def test_min_confidence_outside_zero_to_one_is_refused(value, tmp_path, capsys):
    text = tmp_path / "r.txt"
    text.write_text("Strikes near Quetta.", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["places", "--min-confidence", value, str(text)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--min-confidence" in err and "between 0 and 1" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["0", "1", "0.5"])
def test_min_confidence_in_range_is_accepted(value, tmp_path, capsys):
    text = tmp_path / "r.txt"
    text.write_text("Strikes near Quetta.", encoding="utf-8")
    assert main(["places", "--min-confidence", value, str(text)]) == 0
