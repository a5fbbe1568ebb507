"""What the Review page's place-mention section shows: a report's place mentions as resolved (with the
analyst's corrections applied), and for one mention the gazetteer's other candidates to choose from.

Read straight from the store, like the rest of Review: an analyst corrects what is stored now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.places.candidates import place_candidates
from geo.places.gazetteer import Gazetteer, PlaceRecord
from geo.store.mentions import applied_mention, is_not_a_place
from geo.store.models import Mention
from geo.store.replace import Replacing


@dataclass(frozen=True)
class PlaceChoice:
    """A place a mention may point at (the current one, or a gazetteer candidate)."""

    place_id: str
    name: str
    kind: str
    country_code: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        where = ", ".join(p for p in (self.kind, self.country_code) if p)
        return f"{self.name} ({where}) · {self.lat:.3f}, {self.lon:.3f}"

    def as_place(self) -> dict[str, Any]:
        """The mapping repo.correct_mention stores."""
        return {"place_id": self.place_id, "name": self.name, "kind": self.kind,
                "country_code": self.country_code, "lat": self.lat, "lon": self.lon}

    @classmethod
    def of(cls, record: PlaceRecord) -> PlaceChoice:
        return cls(record.id, record.name, record.kind, record.country_code, record.lat, record.lon)


@dataclass(frozen=True)
class MentionRow:
    """One place mention of a report: the words as written, where it points now, and who corrected it."""

    id: int
    written: str
    start: int
    end: int
    place: PlaceChoice | None  # None: not a place (an analyst said so) or no coordinates
    confidence: float
    corrected_by: str
    not_a_place: bool

    @property
    def label(self) -> str:
        """The words and where they are (not where they point: that changes, and the table says it)."""
        return f"“{self.written}” at character {self.start}"


def report_mentions(session: Session, report_id: int) -> list[MentionRow]:
    """The report's place mentions in reading order, corrections applied."""
    rows = []
    for m in session.scalars(select(Mention).where(Mention.report_id == report_id).order_by(Mention.start,
                                                                                            Mention.id)):
        applied = applied_mention(m)
        place = PlaceChoice(applied.place_id, applied.name, applied.kind, applied.country_code, applied.lat,
                            applied.lon) if applied else None
        rows.append(MentionRow(m.id, m.mention, m.start, m.end, place, applied.confidence if applied else 0.0,
                               m.corrected_by if m.correction is not None else "", is_not_a_place(m.correction)))
    return rows


def mention_table(rows: list[MentionRow]) -> dict[str, list[Any]]:
    """Columns for a table of mentions (name as written, resolved place, kind, confidence, corrected by)."""
    return {
        "Written": [r.written for r in rows],
        "Resolved to": [r.place.name if r.place else "— not a place —" for r in rows],
        "Kind": [r.place.kind if r.place else "" for r in rows],
        "Country": [r.place.country_code if r.place else "" for r in rows],
        "Confidence": [round(r.confidence, 2) for r in rows],
        "Corrected by": [r.corrected_by for r in rows],
    }


def place_choices(row: MentionRow, name: str = "", gazetteer: Gazetteer | None = None) -> list[PlaceChoice]:
    """The places the mention may point at: its current place first, then the gazetteer's candidates for
    `name` (default: the words as written)."""
    found = [PlaceChoice.of(r) for r in place_candidates(name or row.written, gazetteer)]
    current = [row.place] if row.place else []
    return current + [c for c in found if not (row.place and c.place_id == row.place.place_id
                                                and c.place_id)]


@dataclass(frozen=True)
class ReplacingNotice:
    """What a mention correction did to the events it placed, in the analyst's words."""

    moved: tuple[str, ...]
    unplaced: tuple[str, ...]
    kept: tuple[str, ...]


def replacing_notice(result: Replacing) -> ReplacingNotice:
    moved = tuple(f"{m.event_key}: {m.before or 'no place'} → {m.after}" for m in result.moved if not m.unplaced)
    unplaced = tuple(f"{m.event_key}: {m.before or 'no place'} → no place (no coordinates; Edit the event to place it "
                     "from another report)" for m in result.moved if m.unplaced)
    kept = tuple(f"{k.event_key} keeps {k.place}: {k.why}" for k in result.kept)
    return ReplacingNotice(moved, unplaced, kept)
