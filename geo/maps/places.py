"""Places the reports name, counted: one MentionedPlace per place, for the map's places layer.

The one aggregation of place mentions (the map, the HTML export and the tables use it);
`mention_table` is the same as a DataFrame, for tables and tests at the edge.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from geo.maps.geometry import valid

if TYPE_CHECKING:
    import pandas as pd


class MentionLike(Protocol):
    """What a place mention offers (geo.places.toponyms.PlaceMention)."""

    @property
    def mention(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def country_code(self) -> str: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


@dataclass(frozen=True)
class MentionedPlace:
    """A place as the reports name it: where, how often, in which reports and with which words."""

    name: str
    kind: str
    country_code: str
    lat: float
    lon: float
    count: int
    reports: tuple[str, ...]
    spellings: tuple[str, ...]


def mentioned_places(mentions_by_report: Mapping[str, Iterable[MentionLike]],
                     reports: Collection[str] = ()) -> list[MentionedPlace]:
    """One MentionedPlace per place named (mentions without coordinates left out), most mentioned first.

    reports: only these reports' mentions (the report filter); empty means every report."""
    groups: dict[tuple[str, str, float, float], list[tuple[str, MentionLike]]] = {}
    for report_id, mentions in mentions_by_report.items():
        if reports and report_id not in reports:
            continue
        for m in mentions:
            if not (valid(m.lat) and valid(m.lon)):
                continue
            place_id = str(getattr(m, "place_id", "") or m.name)
            key = (place_id, str(m.country_code or ""), round(float(m.lat), 4), round(float(m.lon), 4))
            groups.setdefault(key, []).append((str(report_id), m))
    places = [_place(key, found) for key, found in groups.items()]
    return sorted(places, key=lambda p: (-p.count, p.name))


def _place(key: tuple[str, str, float, float], found: list[tuple[str, MentionLike]]) -> MentionedPlace:
    first = found[0][1]
    return MentionedPlace(
        name=first.name, kind=first.kind or "", country_code=key[1], lat=float(first.lat), lon=float(first.lon),
        count=len(found), reports=tuple(sorted({r for r, _ in found})),
        spellings=tuple(sorted({str(m.mention) for _, m in found})),
    )


def mention_table(mentions_by_report: Mapping[str, Iterable[MentionLike]],
                  reports: Collection[str] = ()) -> pd.DataFrame:
    """mentioned_places as a DataFrame: name, kind, country_code, lat, lon, count, reports, spellings (lists)."""
    import pandas as pd

    columns = ["name", "kind", "country_code", "lat", "lon", "count", "reports", "spellings"]
    rows = [{**p.__dict__, "reports": list(p.reports), "spellings": list(p.spellings)}
            for p in mentioned_places(mentions_by_report, reports)]
    return pd.DataFrame(rows, columns=columns)
