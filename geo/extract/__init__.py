"""Event extraction: candidate events and their claims from any report (rules, offline, deterministic).

`extract_events(articles)` finds event words sentence by sentence (geo.extract.triggers), reads each
one's date, actor, target, place and figures from its part of the sentence (geo.extract.fields: the
project's relative dates, number phrases and geoparser, plus the actor lexicon), and groups the mentions
of all reports into events (geo.extract.merge). Every field is a claim with a verbatim quote and its
offsets; nothing a quote does not give is filled in.
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.corpus.articles import Article
from geo.extract.candidates import build_candidate, slug
from geo.extract.mentions import EventMention, report_mentions
from geo.extract.merge import Cluster, group_mentions
from geo.extract.model import EXTRACT_TYPES, LOCATION_PRECISIONS, Candidate
from geo.places.gazetteer import Gazetteer, load_gazetteer

__all__ = ["EXTRACT_TYPES", "LOCATION_PRECISIONS", "Candidate", "extract_events"]


def extract_events(articles: Sequence[Article], gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Candidate events told by the articles, one per event however many reports tell it, in date order."""
    gazetteer = gazetteer or load_gazetteer()
    mentions: list[EventMention] = []
    for article in articles:
        mentions.extend(report_mentions(article.id, article.text, article.published, gazetteer))
    published = {a.id: a.published for a in articles}
    clusters = [c for c in group_mentions(mentions) if _worth_proposing(c)]
    candidates = []
    taken: set[str] = set()
    for cluster in sorted(clusters, key=_first_seen):
        candidate = build_candidate(cluster, "pending", published)
        event_id = _unique_id(candidate, taken)
        candidates.append(build_candidate(cluster, event_id, published))
    return sorted(candidates, key=lambda c: (c.event.date_start, c.event.id))


def _worth_proposing(cluster: Cluster) -> bool:
    """An event word alone is not an event: some mention must date, attribute or place it; and events told
    only by bare words ("the attacks", "strikes") need a date, else they are background, not an event."""
    if not cluster.specific_types:
        return any(m.date for m in cluster.mentions)
    return any(m.date or m.actor or m.place for m in cluster.mentions)


def _first_seen(cluster: Cluster) -> tuple[str, int]:
    return min((m.report_id, m.trigger.start) for m in cluster.mentions)


def _unique_id(candidate: Candidate, taken: set[str]) -> str:
    event = candidate.event
    where = event.place or (event.actor if event.actor != "unknown" else "")
    when = event.date_label if candidate.date_known else "undated"
    base = slug(f"{event.event_type} {where} {when}") or "event"
    event_id, n = base, 2
    while event_id in taken:
        event_id, n = f"{base}-{n}", n + 1
    taken.add(event_id)
    return event_id
