"""How a report is cited where space is tight (map popups, tables, snapshot footers, disagreement lists)."""

from __future__ import annotations

import re

#: the content-hash suffix a curated report file's id carries ("000_2764ba4b0611a321")
_HASH_SUFFIX = re.compile(r"_[0-9a-f]{8,}$")


def short_report_id(report_id: str) -> str:
    """The id without its content-hash suffix: '000_2764ba4b0611a321' -> '000'; 'armenia-azerbaijan-1' stays
    whole (its first three letters would be the same for every report of the incident)."""
    return _HASH_SUFFIX.sub("", report_id) or report_id
