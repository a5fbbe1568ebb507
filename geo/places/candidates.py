"""The gazetteer's candidates for a name: every place that carries it, for an analyst to choose from when the
geoparser picked the wrong one (the Review page's place-mention correction)."""

from __future__ import annotations

from geo.places.gazetteer import Gazetteer, NameMatch, PlaceRecord, load_gazetteer

#: how many candidates an analyst is shown (a common name such as "San José" has hundreds)
CANDIDATE_LIMIT = 12


def place_candidates(name: str, gazetteer: Gazetteer | None = None,
                     limit: int = CANDIDATE_LIMIT) -> list[PlaceRecord]:
    """The places named `name`, one per record: those whose own name it is first, then alternate names,
    then looser spellings; larger places first within each. Empty for a blank name or one nothing carries."""
    if not name.strip():
        return []
    gazetteer = gazetteer or load_gazetteer()
    best: dict[str, NameMatch] = {}
    for match in gazetteer.lookup(" ".join(name.split())):
        kept = best.get(match.record.id)
        if kept is None or _rank(match) < _rank(kept):
            best[match.record.id] = match
    ordered = sorted(best.values(), key=lambda m: (_rank(m), -m.record.population, m.record.name, m.record.id))
    return [m.record for m in ordered[:limit]]


def _rank(match: NameMatch) -> int:
    return 2 if match.variant else (0 if match.primary else 1)
