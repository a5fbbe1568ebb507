"""Ranking the records that share a name, given context (used by the geocoder and the toponym resolver).

A score adds: a prior by kind (countries, seas and regions first, then provinces; populated places by
log10 population; capitals get a bonus, and so does a large city named like its own province: Kerman),
whether the name is the record's own name or only a GeoNames alternate ("Islamabad" is an alternate of
Anantnag, "Tehran" of Tiran; large cities' exonyms count half), whether the record lies in a country
named in the same text or query, whether it is near a province named there or, outside the named
countries, within 800 km of any country's or province's point named there, and kind cues ("city of",
"province"). Towns that share a country's, sea's or region's name are marked down ("Lebanon", PA), and
so are names that are also ordinary English words.

A second pass adds weaker cues from the places already resolved in the text (NeighbourCues): the countries
of cities resolved with high confidence ("Tbilisi and Batumi" make "Georgia" the country, GE, even when
the US is named too), the city just before ", " ("Atlanta, Georgia": the US state that holds Atlanta)
and the names listed with this one ("Georgia and Florida": a US state beside a US state).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from geo.places.gazetteer import Gazetteer, NameMatch, PlaceRecord, distance_km
from geo.places.text import fold_accents, name_key

KIND_PRIOR = {"country": 10.0, "sea": 9.0, "border": 9.0, "region": 8.0}
#: a district (admin-2) ranks below a province of the same country and below a town of its name that has
#: people counted (the town is the more specific point)
DISTRICT_PRIOR_OFFSET = -1.5
#: a province's prior grows with its country's population: a US state outranks a town called Florida,
#: a Seychelles district does not outrank St. Louis
PROVINCE_PRIOR_BASE = 2.5
PROVINCE_PRIOR_PER_DECADE = 0.5
CAPITAL_BONUS = 4.0  # capitals stand for governments ("Washington said"); 1.5 for capitals under 100,000
SMALL_CAPITAL_BONUS = 1.5
PRIMARY_BONUS = 2.0
BIG_CITY_ALTERNATE_BONUS = 1.0  # short forms of large cities' names ("Frankfurt" for Frankfurt am Main)
FOREIGN_ALTERNATE_PENALTY = 1.5  # an alternate name of a place in a country the text never names ("Hamas": Hamm)
ANCHOR_BONUS = 1.5  # near the countries and provinces the text names (Gaza by Israel, not in Mozambique)
ANCHOR_KM = 800.0
BIG_CITY = 100_000
UNKNOWN_POPULATION = 1_000
SEAT_MIN_POPULATION = 50_000
PROVINCE_SEAT_BONUS = 2.5  # a place named like a province of its country ("Kerman", "Kursk") is usually the city
COUNTRY_CONTEXT_BONUS = 4.0
PROVINCE_CONTEXT_BONUS = 2.0
PROVINCE_CONTEXT_KM = 300.0
KIND_HINT_BONUS = 6.0
COMMON_WORD_PENALTY = 2.0
MIN_SCORE = 6.0  # below this a name is not taken as a place (e.g. a village of 3,000 with no context)
SOFTMAX_TEMPERATURE = 1.0
SHADOW_PENALTY = 3.0  # a town that shares the name of a country, sea or region ("Lebanon", Pennsylvania)
WEAK_COUNTRY_BONUS = 1.5  # a country whose cities the text names with high confidence
WEAK_CONTEXT_BONUS = 2.0  # a place in such a country (an explicitly named country gives COUNTRY_CONTEXT_BONUS)
CONTAINER_BONUS = 4.0  # "Atlanta, Georgia": the country of the city before the comma, or its province
CONTAINER_KM = 600.0  # from the city to its province's point
SIBLING_BONUS = 4.0  # "Georgia and Florida": the same kind (and for provinces the same country) as a neighbour
REGION_BONUS = 6.0  # "Paris, Texas": an address names the town's state as plainly as "the city of" names a city


@dataclass(frozen=True)
class NeighbourCues:
    """What the first pass resolved around one name: see the module docstring."""

    weak_countries: frozenset[str] = frozenset()
    container: PlaceRecord | None = None  # the city right before "<city>, <this name>"
    siblings: tuple[PlaceRecord, ...] = ()  # countries or provinces listed with this name ("X and Y", "X, Y")
    region: PlaceRecord | None = None  # the province or country right after "<this name>, " ("Paris, Texas")


@dataclass
class Context:
    """What else the text (or query) names: countries by code and provinces as records."""

    countries: set[str] = field(default_factory=set)
    provinces: list[PlaceRecord] = field(default_factory=list)
    anchors: set[tuple[float, float]] = field(default_factory=set)  # points of the records added

    def add(self, record: PlaceRecord) -> None:
        if record.country_code:
            self.countries.add(record.country_code)
        if record.kind == "province" and record not in self.provinces:
            self.provinces.append(record)
        if record.kind in ("country", "province"):
            self.anchors.add((round(record.lat, 2), round(record.lon, 2)))


@dataclass(frozen=True)
class Ranked:
    record: PlaceRecord
    score: float
    confidence: float  # share x plausibility: is this name a place at all, and this one?
    share: float  # softmax share among the candidates only: given that it is a place, is it this one?


def _is_short_form(key: str, name: str) -> bool:
    """'frankfurt' is a short form of 'Frankfurt am Main' (not 'hamas' of 'Hamm')."""
    full = name_key(fold_accents(name))
    return bool(key) and full != key and full.startswith(key) and not full[len(key)].isalnum()


def prior(match: NameMatch, gazetteer: Gazetteer) -> float:
    record = match.record
    if record.kind in KIND_PRIOR:
        value = KIND_PRIOR[record.kind]
        if record.id.startswith("curated:") and record.kind == "region":
            value += 1.0  # curated regions (Middle East) over same-named admin units
    elif record.kind in ("province", "district"):
        population = gazetteer.country_population(record.country_code)
        value = PROVINCE_PRIOR_BASE + PROVINCE_PRIOR_PER_DECADE * math.log10(population + 10)
        if record.kind == "district":
            value += DISTRICT_PRIOR_OFFSET
    else:
        # GeoNames gives 0 for a place whose population is unknown (many district seats): not an empty place
        value = math.log10((record.population or UNKNOWN_POPULATION) + 10)
        if gazetteer.is_capital(record.id):
            value += CAPITAL_BONUS if record.population >= 100_000 else SMALL_CAPITAL_BONUS
    if match.primary:
        value += PRIMARY_BONUS
    elif record.kind == "city" and record.population >= BIG_CITY and _is_short_form(match.key, record.name):
        value += BIG_CITY_ALTERNATE_BONUS
    if match.common_word and record.kind in ("city", "town", "province", "district"):
        value -= COMMON_WORD_PENALTY
    return value


def score(match: NameMatch, gazetteer: Gazetteer, context: Context, kind_hint: str | None = None,
          shadowed: bool = False, province_countries: frozenset[str] = frozenset(),
          sea_or_region: bool = False, cues: NeighbourCues | None = None) -> float:
    record = match.record
    value = prior(match, gazetteer)
    if cues is not None:
        value += _neighbour_bonus(record, context, cues)
    if record.kind in ("city", "town") and record.population >= SEAT_MIN_POPULATION \
            and record.country_code in province_countries and kind_hint != "province":
        value += PROVINCE_SEAT_BONUS
    if shadowed and record.kind in ("city", "town") and kind_hint != "city":
        value -= SHADOW_PENALTY
    if sea_or_region and record.kind == "province" and kind_hint != "province":
        value -= SHADOW_PENALTY  # Sudan's Red Sea state is named after the sea: "the Red Sea" is the sea
    if record.kind != "country" and record.country_code and record.country_code in context.countries:
        value += COUNTRY_CONTEXT_BONUS
    elif not match.primary and record.kind in ("city", "town", "district") \
            and not _is_short_form(match.key, record.name):
        value -= FOREIGN_ALTERNATE_PENALTY
    if record.kind in ("city", "town") and any(
        p.country_code == record.country_code and distance_km(p.lat, p.lon, record.lat, record.lon)
        <= PROVINCE_CONTEXT_KM for p in context.provinces
    ):
        value += PROVINCE_CONTEXT_BONUS
    if record.kind != "country" and record.country_code not in context.countries and any(
        distance_km(lat, lon, record.lat, record.lon) <= ANCHOR_KM for lat, lon in context.anchors
    ):  # near a named country or province, across its border (inside one it has the context bonus)
        value += ANCHOR_BONUS
    if kind_hint == "province" and record.kind == "province":
        value += KIND_HINT_BONUS
    elif kind_hint == "city" and record.kind in ("city", "town"):
        value += KIND_HINT_BONUS
    return value


def _neighbour_bonus(record: PlaceRecord, context: Context, cues: NeighbourCues) -> float:
    value = 0.0
    code = record.country_code
    if code in cues.weak_countries:
        if record.kind == "country":
            value += WEAK_COUNTRY_BONUS
        elif code not in context.countries:
            value += WEAK_CONTEXT_BONUS
    city = cues.container
    if city is not None and code == city.country_code and (
        record.kind == "country"
        or (record.kind == "province" and distance_km(city.lat, city.lon, record.lat, record.lon) <= CONTAINER_KM)
    ):
        value += CONTAINER_BONUS
    if any(s.kind == record.kind and (record.kind == "country" or s.country_code == code) and s.id != record.id
           for s in cues.siblings if s.kind in ("country", "province")):
        value += SIBLING_BONUS
    region = cues.region
    if region is not None and record.kind in ("city", "town", "district") and code == region.country_code and (
        region.kind == "country" or distance_km(region.lat, region.lon, record.lat, record.lon) <= CONTAINER_KM
    ):
        value += REGION_BONUS
    return value


def rank(matches: Sequence[NameMatch], gazetteer: Gazetteer, context: Context,
         kind_hint: str | None = None, cues: NeighbourCues | None = None) -> list[Ranked]:
    """Candidates best first (ties by id, so the order is deterministic), each with a confidence in 0..1.

    The confidence is the softmax share of the best score among the candidates, times how far that score
    clears MIN_SCORE (a logistic curve), so a lone obscure village scores low and a country named
    unambiguously scores near 1.
    """
    best_by_id: dict[str, float] = {}
    records: dict[str, PlaceRecord] = {}
    shadowed = any(m.primary and m.record.kind in ("country", "sea", "region") for m in matches)
    province_countries = frozenset(m.record.country_code for m in matches if m.record.kind == "province")
    sea_or_region = any(m.primary and m.record.kind in ("sea", "region") and m.record.id.startswith("curated:")
                        for m in matches)
    for match in matches:
        value = score(match, gazetteer, context, kind_hint, shadowed, province_countries, sea_or_region, cues)
        if value > best_by_id.get(match.record.id, -math.inf):
            best_by_id[match.record.id] = value
            records[match.record.id] = match.record
    ordered = sorted(best_by_id.items(), key=lambda item: (-item[1], item[0]))
    if not ordered:
        return []
    top = ordered[0][1]
    weights = [math.exp((value - top) / SOFTMAX_TEMPERATURE) for _, value in ordered]
    total = sum(weights)
    ranked = []
    for (record_id, value), weight in zip(ordered, weights, strict=True):
        plausibility = 1.0 / (1.0 + math.exp(-(value - MIN_SCORE)))
        share = weight / total
        ranked.append(Ranked(records[record_id], value, round(share * plausibility, 3), round(share, 3)))
    return ranked


def context_from_records(records: Iterable[PlaceRecord]) -> Context:
    context = Context()
    for record in records:
        context.add(record)
    return context
