"""Geocoding with geopy's interface: the offline gazetteer by default, Nominatim (online, cached) as an option.

`OfflineGeocoder` subclasses geopy.geocoders.base.Geocoder, so it works wherever a geopy geocoder does:
`geopandas.tools.geocode(names, provider=OfflineGeocoder)`, `RateLimiter(OfflineGeocoder().geocode)`.
Queries may be qualified with commas, most specific first: "Saravan, Sistan and Baluchestan, Iran".
Qualifiers narrow the answer to their countries and favour places near the named provinces. A leading
direction word ("northern Iraq") is dropped when the whole phrase is not a name; a phrase that is still
not a name ("near Saravan", "Houthi-controlled Yemen") is read with the toponym finder and its most
specific place is taken. `raw["confidence"]` is the best candidate's share among all places of that name
given the qualifiers (the toponym finder's confidence also weighs whether a word is a place at all).

`CachedGeocoder` wraps any geopy geocoder (e.g. Nominatim) with an on-disk JSON cache and a RateLimiter;
nothing in the project needs it, and tests use it only around the offline geocoder.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geo.files import write_atomic
from geo.paths import CACHE_DIR
from geo.places.gazetteer import Gazetteer, NameMatch, PlaceRecord, load_gazetteer
from geo.places.rank import Context, Ranked, rank
from geo.places.text import name_key

SPECIFICITY = {"town": 5, "city": 5, "district": 4, "province": 4, "border": 3, "region": 3, "sea": 3,
               "country": 2}
_DIRECTION = re.compile(
    r"^(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|central|eastern|western|northern|southern)\s+",
    re.IGNORECASE,
)


class OfflineGeocoder(Geocoder):
    """geopy geocoder over the offline gazetteer; never touches the network."""

    def __init__(self, gazetteer: Gazetteer | None = None, *, kinds: tuple[str, ...] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._gazetteer = gazetteer
        self.kinds = kinds

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def geocode(self, query: str | dict[str, str], *, exactly_one: bool = True, timeout: Any = None,
                limit: int | None = None, country_codes: str | list[str] | None = None,
                kinds: tuple[str, ...] | None = None) -> Location | list[Location] | None:
        """Best match (exactly_one) or all matches best first; None when nothing matches.

        query: a name, optionally followed by comma-separated qualifiers (province, country), or a dict
        with some of "city", "county", "state", "country" (geopy's structured query).
        country_codes: restrict to these ISO 3166-1 alpha-2 codes. kinds: restrict to these kinds.
        """
        ranked = self.rank_query(query, country_codes=country_codes, kinds=kinds or self.kinds)
        if not ranked:
            return None
        locations = [self._location(item) for item in ranked[: limit or len(ranked)]]
        return locations[0] if exactly_one else locations

    def rank_query(self, query: str | dict[str, str], *, country_codes: str | list[str] | None = None,
                   kinds: tuple[str, ...] | None = None) -> list[Ranked]:
        parts = _query_parts(query)
        if not parts:
            return []
        head, qualifiers = parts[0], parts[1:]
        context = Context()
        allowed: set[str] = set()
        for qualifier in qualifiers:
            qualifier_matches = self.gazetteer.lookup(qualifier)
            found = rank(qualifier_matches, self.gazetteer, Context())
            if found:
                context.add(found[0].record)
                allowed.add(found[0].record.country_code)
        if country_codes:
            codes = [country_codes] if isinstance(country_codes, str) else list(country_codes)
            allowed = {c.upper() for c in codes}
            context.countries |= allowed
        matches = self._matches(head) or self._matches_in_phrase(head, parts)
        if kinds:
            matches = [m for m in matches if m.record.kind in kinds]
        if allowed:
            inside = [m for m in matches if m.record.country_code in allowed
                      or (m.record.kind in ("sea", "region") and not m.record.country_code)]
            if inside or country_codes:
                matches = inside
        return rank(matches, self.gazetteer, context)

    def _matches(self, head: str) -> list[NameMatch]:
        matches = self.gazetteer.lookup(head)
        if not matches:
            stripped = _DIRECTION.sub("", head)
            if stripped != head:
                matches = self.gazetteer.lookup(stripped)
        return matches

    def _matches_in_phrase(self, head: str, parts: list[str]) -> list[NameMatch]:
        """For a phrase such as "near Saravan" or "Houthi-controlled Yemen": the most specific place the
        toponym finder sees in the head (the qualifiers serve as its context)."""
        from geo.places.toponyms import find_places

        mentions = [m for m in find_places(", ".join(parts), self.gazetteer) if m.end <= len(head)]
        covered: set[int] = set()
        for mention in mentions:
            covered.update(range(mention.start, mention.end))
        for word in re.finditer(r"\S+", head):
            outside = not covered.intersection(range(word.start(), word.end()))
            if outside and word.group()[0].isupper() and "-" not in word.group():
                return []  # "Qwxzv Plateau": an unknown name, not a phrase around a known one
        if not mentions:
            return []
        best = max(mentions, key=lambda m: (SPECIFICITY.get(m.kind, 0), m.confidence, -m.start))
        found = self.gazetteer.lookup(best.mention)
        record = self.gazetteer.get(best.place_id)
        if found or record is None:
            return found
        # "Houthi-controlled Yemen" is one mention of Yemen: take the place it resolved to
        return [NameMatch(record, True, False, False, name_key(record.name))]

    def _location(self, item: Ranked) -> Location:
        record = item.record
        raw = record.as_dict() | {"score": round(item.score, 3), "confidence": item.share}
        return Location(self.address(record), Point(record.lat, record.lon), raw)

    def address(self, record: PlaceRecord) -> str:
        country = self.gazetteer.country(record.country_code) if record.country_code else None
        if country is None or record.kind == "country":
            return record.name
        return f"{record.name}, {country.name}"

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = None,
                kinds: tuple[str, ...] = ("city", "town"), limit: int | None = None
                ) -> Location | list[Location] | None:
        """The nearest gazetteer records of the given kinds (populated places by default) to a point."""
        point = Point(query)
        found = self.gazetteer.nearest(point.latitude, point.longitude, kinds=kinds,
                                       limit=1 if exactly_one else (limit or 10))
        if not found:
            return None
        locations = []
        for record, distance in found:
            raw = record.as_dict() | {"distance_km": round(distance, 3)}
            locations.append(Location(self.address(record), Point(record.lat, record.lon), raw))
        return locations[0] if exactly_one else locations


def _query_parts(query: str | dict[str, str]) -> list[str]:
    if isinstance(query, dict):
        order = ("city", "county", "state", "country")
        return [str(query[k]).strip() for k in order if str(query.get(k) or "").strip()]
    return [part.strip() for part in str(query).split(",") if part.strip()]


class CachedGeocoder(Geocoder):
    """Any geopy geocoder with an on-disk JSON cache and a RateLimiter (for online services).

    Each distinct query goes to the service once; the answer (or the fact that there was none) is kept in
    `cache_file` and served from there afterwards, also across runs.
    """

    def __init__(self, inner: Geocoder, cache_file: Path | None = None, *, min_delay_seconds: float = 1.0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inner = inner
        self.cache_file = cache_file or CACHE_DIR / f"geocode-{type(inner).__name__}.json"
        self._limited = RateLimiter(inner.geocode, min_delay_seconds=min_delay_seconds, swallow_exceptions=False)
        self._lock = threading.Lock()
        self._cache: dict[str, Any] = self._read()
        self.calls = 0  # how many queries reached the inner geocoder

    def _read(self) -> dict[str, Any]:
        try:
            return json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write(self) -> None:
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.cache_file, json.dumps(self._cache, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def geocode(self, query: str, *, exactly_one: bool = True, **kwargs: Any) -> Location | list[Location] | None:
        key = json.dumps([str(query), exactly_one, sorted(kwargs.items())], default=str)
        with self._lock:
            if key not in self._cache:
                self.calls += 1
                result = self._limited(query, exactly_one=exactly_one, **kwargs)
                items = [] if result is None else ([result] if exactly_one else list(result))
                self._cache[key] = [
                    {"address": loc.address, "lat": loc.latitude, "lon": loc.longitude, "raw": loc.raw}
                    for loc in items
                ]
                self._write()
            stored = self._cache[key]
        locations = [Location(s["address"], Point(s["lat"], s["lon"]), s["raw"]) for s in stored]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def reverse(self, query: Any, *, exactly_one: bool = True, **kwargs: Any) -> Location | list[Location] | None:
        return self.inner.reverse(query, exactly_one=exactly_one, **kwargs)


def nominatim_geocoder(user_agent: str = "strike-map-briefing", cache_file: Path | None = None) -> CachedGeocoder:
    """The optional online backend: Nominatim behind the on-disk cache, at most one request a second."""
    from geopy.geocoders import Nominatim

    return CachedGeocoder(Nominatim(user_agent=user_agent), cache_file or CACHE_DIR / "geocode-nominatim.json")
