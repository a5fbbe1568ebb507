"""A stored place mention with the analyst's correction applied: the one reading of Mention.correction.

The correction is either a place chosen from the gazetteer ({place_id, name, kind, country_code, lat, lon})
or NOT_A_PLACE (the words are not a place at all: "Jordan" the player, "Chad" the name). Loaders, exports
and the Review page all read a mention through `applied_mention`, so they agree on what it points at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from geo.store.models import Mention

if TYPE_CHECKING:
    from geo.places.toponyms import PlaceMention

#: the correction that says these words name no place
NOT_A_PLACE: dict[str, Any] = {"not_a_place": True}
PLACE_KEYS = ("place_id", "name", "kind", "country_code", "lat", "lon")
#: the confidence of a place an analyst chose
ANALYST_CONFIDENCE = 1.0


def correction_for(place: Mapping[str, Any] | None) -> dict[str, Any]:
    """What Mention.correction stores for a chosen place (None: not a place); ValueError for a place
    without coordinates (a mention always points at a point)."""
    if place is None:
        return dict(NOT_A_PLACE)
    chosen = {k: place.get(k) for k in PLACE_KEYS}
    if chosen["lat"] is None or chosen["lon"] is None or not chosen["name"]:
        raise ValueError("a corrected place needs a name and coordinates")
    chosen["lat"], chosen["lon"] = float(chosen["lat"]), float(chosen["lon"])
    return chosen


def is_not_a_place(correction: Mapping[str, Any] | None) -> bool:
    return bool(correction and correction.get("not_a_place"))


def applied_mention(mention: Mention) -> PlaceMention | None:
    """The mention as the analyst left it: the geoparser's place, the analyst's choice, or None (not a place)."""
    from geo.places.toponyms import PlaceMention  # the gazetteer's module (heavy): only when mentions are read

    correction = mention.correction
    if is_not_a_place(correction):
        return None
    if correction:
        return PlaceMention(mention=mention.mention, start=mention.start, end=mention.end,
                            name=str(correction["name"]), kind=str(correction.get("kind") or ""),
                            country_code=str(correction.get("country_code") or ""), lat=float(correction["lat"]),
                            lon=float(correction["lon"]), confidence=ANALYST_CONFIDENCE,
                            place_id=str(correction.get("place_id") or ""))
    if mention.lat is None or mention.lon is None:
        return None
    return PlaceMention(mention=mention.mention, start=mention.start, end=mention.end, name=mention.name,
                        kind=mention.kind, country_code=mention.country_code, lat=mention.lat, lon=mention.lon,
                        confidence=mention.confidence, place_id=mention.place_id)
