"""Event mentions, from one report or many, grouped into candidate events.

Two mentions tell the same event when nothing they say conflicts and something agrees: compatible types
(a bare "attack" fits any violent type), overlapping dates, the same actor where both name one, places
that can be the same (the same place, or a town inside a country or province the other names, or towns
within 50 km); and at least one of date, actor or place positively agrees. Separate strikes on separate
towns the same night therefore stay separate; one sentence naming two countries ("in Iraq and Syria")
gives two events.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.extract.mentions import EventMention
from geo.places.gazetteer import distance_km

KINETIC = frozenset({"air/missile strike", "armed attack", "shelling", "bombing", "armed clash"})
SAME_TOWN_KM = 50.0
_LEVEL = {"exact": 0, "town": 1, "near town": 1, "district": 2, "province": 3, "region": 4, "country": 5}


@dataclass
class Cluster:
    mentions: list[EventMention] = field(default_factory=list)

    @property
    def specific_types(self) -> Counter[str]:
        return Counter(m.event_type for m in self.mentions if not m.generic)

    @property
    def actors(self) -> Counter[str]:
        return Counter(m.actor[1].name for m in self.mentions if m.actor)


def group_mentions(mentions: Sequence[EventMention]) -> list[Cluster]:
    """Clusters of mentions that tell one event each, strongest mentions first."""
    clusters: list[Cluster] = []
    home: dict[tuple[str, int], int] = {}
    linked = [m for m in mentions if m.antecedent]
    for mention in sorted((m for m in mentions if not m.antecedent), key=_strength):
        home[mention.key] = _place_in(clusters, mention)
    for mention in linked:
        target = home.get(mention.antecedent) if mention.antecedent else None
        if target is not None and _agreement(clusters[target], mention) >= 0:
            clusters[target].mentions.append(mention)
            home[mention.key] = target
        else:
            home[mention.key] = _place_in(clusters, mention)
    return clusters


def _place_in(clusters: list[Cluster], mention: EventMention) -> int:
    """Index of the cluster the mention joins (a new one if none agrees)."""
    scored = [(score, i) for i, c in enumerate(clusters) if (score := _agreement(c, mention)) > 0]
    if scored:
        index = max(scored)[1]
        clusters[index].mentions.append(mention)
        return index
    clusters.append(Cluster([mention]))
    return len(clusters) - 1


def _strength(mention: EventMention) -> tuple[int, int, str, int]:
    known = sum(x is not None for x in (mention.date, mention.actor, mention.place))
    return (-known, int(mention.generic), mention.report_id, mention.trigger.start)


def _agreement(cluster: Cluster, mention: EventMention) -> int:
    """-1 if the mention cannot be this cluster's event; else how many fields positively agree (0: none
    agrees, none conflicts)."""
    if not _types_fit(cluster, mention):
        return -1
    agree = 0
    for other in cluster.mentions:
        if other.report_id == mention.report_id and other.trigger == mention.trigger:
            return -1  # one sentence naming two places tells two events
        checks = (_dates_fit(other, mention), _actors_fit(other, mention), _places_fit(other, mention))
        if False in checks:
            return -1
        agree = max(agree, sum(1 for c in checks if c is True) + _told_on(other, mention))
    return agree


def _told_on(a: EventMention, b: EventMention) -> int:
    """1 when a report goes on about an event in the next sentence with the same specific word family
    ("... Cambodian troops fired rockets ... / ... when rockets hit a petrol station in Kantharalak")."""
    if a.report_id != b.report_id or a.generic or b.generic or a.event_type != b.event_type:
        return 0
    first, second = sorted((a.sentence.start, b.sentence.start))
    between = a.text[first:second]
    return int(0 < second - first and len(re.findall(r"[.!?]\s", between)) <= 1 and "\n" not in between.strip())


def _types_fit(cluster: Cluster, mention: EventMention) -> bool:
    specific = set(cluster.specific_types)
    if mention.generic:
        return specific <= KINETIC
    if not specific:
        return mention.event_type in KINETIC
    return mention.event_type in specific


def _dates_fit(a: EventMention, b: EventMention) -> bool | None:
    if not a.date or not b.date:
        return None
    x, y = a.date[1], b.date[1]
    return x.start <= y.end and y.start <= x.end


def _actors_fit(a: EventMention, b: EventMention) -> bool | None:
    if (a.condemned_by and b.actor and b.actor[1].name == a.condemned_by) or \
            (b.condemned_by and a.actor and a.actor[1].name == b.condemned_by):
        return False
    if not a.actor or not b.actor:
        return None
    return a.actor[1].name == b.actor[1].name


def _places_fit(a: EventMention, b: EventMention) -> bool | None:
    if not a.place or not b.place:
        return None
    p, q = a.place[1], b.place[1]
    if p.place_id == q.place_id:
        return True
    if not p.country_code or not q.country_code:
        return None  # a region with no country ("Middle East") neither agrees nor conflicts
    if p.country_code != q.country_code:
        return False
    if p.kind in ("city", "town", "village") and q.kind in ("city", "town", "village"):
        return distance_km(p.lat, p.lon, q.lat, q.lon) <= SAME_TOWN_KM
    if "country" in (p.kind, q.kind):
        return None  # a town inside a country it names: consistent, but not a sign of the same event
    return True


def location_level(precision: str) -> int:
    """Smaller is more precise (for choosing among the places the claims give)."""
    return _LEVEL.get(precision, 4)
