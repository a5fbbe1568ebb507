"""Seeded synthetic ACLED / UCDP GED exports for scale tests and benches (never committed, never downloaded).

Events scatter around towns of Balochistan and Sistan-Baluchestan over a few years, with the sources'
precision codes, event types and fatality counts in plausible shares. The same (n, seed) gives the same file.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

ACLED_COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
UCDP_COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,"
    "high,low,gwnoa,gwnob"
).split(",")

# (town, admin1, admin2, country, iso, lat, lon)
TOWNS = (
    ("Quetta", "Balochistan", "Quetta", "Pakistan", "586", 30.1841, 67.0014),
    ("Turbat", "Balochistan", "Kech", "Pakistan", "586", 26.0023, 63.0440),
    ("Panjgur", "Balochistan", "Panjgur", "Pakistan", "586", 26.9644, 64.0903),
    ("Gwadar", "Balochistan", "Gwadar", "Pakistan", "586", 25.1264, 62.3225),
    ("Khuzdar", "Balochistan", "Khuzdar", "Pakistan", "586", 27.8119, 66.6106),
    ("Mastung", "Balochistan", "Mastung", "Pakistan", "586", 29.7997, 66.8455),
    ("Zahedan", "Sistan and Baluchestan", "Zahedan", "Iran", "364", 29.4963, 60.8629),
    ("Saravan", "Sistan and Baluchestan", "Saravan", "Iran", "364", 27.3709, 62.3342),
    ("Chabahar", "Sistan and Baluchestan", "Chabahar", "Iran", "364", 25.2919, 60.6430),
    ("Iranshahr", "Sistan and Baluchestan", "Iranshahr", "Iran", "364", 27.2025, 60.6848),
)
ACLED_TYPES = (
    ("Battles", "Armed clash", 0.3), ("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.2),
    ("Violence against civilians", "Attack", 0.15), ("Protests", "Peaceful protest", 0.25),
    ("Riots", "Mob violence", 0.1),
)
ACTORS = ("BLA: Balochistan Liberation Army", "Jaish al-Adl", "Military Forces of Pakistan (2018-)",
          "Military Forces of Iran (1989-)", "Protesters (Pakistan)", "Unidentified Armed Group (Pakistan)")
START = date(2020, 1, 1)
DAYS = 5 * 365


def _place(rng: random.Random) -> tuple[tuple[str, str, str, str, str, float, float], float, float]:
    town = rng.choice(TOWNS)
    return town, round(town[5] + rng.gauss(0, 0.35), 4), round(town[6] + rng.gauss(0, 0.35), 4)


def _acled_row(rng: random.Random, i: int) -> list[object]:
    town, lat, lon = _place(rng)
    kind = rng.choices(ACLED_TYPES, weights=[t[2] for t in ACLED_TYPES])[0]
    day = START + timedelta(days=rng.randrange(DAYS))
    deaths = 0 if kind[0] in ("Protests", "Riots") else min(int(rng.expovariate(0.5)), 60)
    date_text = day.isoformat() if i % 7 else f"{day.day} {day:%B} {day.year}"
    notes = f"On {day:%d %B %Y}, {kind[1].lower()} near {town[0]} ({town[1]}). {deaths} reported killed."
    return [f"{'PAK' if town[4] == '586' else 'IRN'}{i:07d}", date_text, day.year,
            rng.choices("123", weights=(85, 10, 5))[0], "Political violence", kind[0], kind[1],
            rng.choice(ACTORS), "", 2, rng.choice(ACTORS), "", 1, 12, "", town[4], "Asia", town[3], town[1],
            town[2], "", town[0], lat, lon, rng.choices("123", weights=(70, 20, 10))[0], "Dawn; Reuters", "National",
            notes, deaths, "", 1_700_000_000 + i]


def write_acled(path: Path, rows: int, seed: int = 17) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACLED_COLUMNS)
        writer.writerows(_acled_row(rng, i) for i in range(1, rows + 1))
    return path


def _ucdp_row(rng: random.Random, i: int) -> list[object]:
    town, lat, lon = _place(rng)
    first = START + timedelta(days=rng.randrange(DAYS))
    span = rng.choices((0, 2, 6), weights=(80, 15, 5))[0]
    low = int(rng.expovariate(0.3))
    best = low + int(rng.expovariate(1.0))
    high = best + int(rng.expovariate(0.5))
    side_a = rng.choice(("Government of Pakistan", "Government of Iran", "BLA"))
    return [i, f"X-{i}", first.year, 1, "Clear", rng.choice("123"), 0, 0, "", 0, 0, "", 0, 0, side_a, 0, 0,
            rng.choice(("BLA", "Jaish al-Adl", "Civilians")), 1, f"Dawn,{first}", "Dawn", first.isoformat(),
            f"Clash near {town[0]}", "Dawn", rng.choices("1234", weights=(60, 25, 10, 5))[0], town[0], "",
            f"{town[1]} province", f"{town[2]} district", lat, lon, f"POINT ({lon} {lat})", 0, town[3], 0, "Asia", 1,
            {0: 1, 2: 2, 6: 3}[span], first.isoformat(), (first + timedelta(days=span)).isoformat(), 0, 0, 0, 0,
            best, high, low, "", ""]


def write_ucdp(path: Path, rows: int, seed: int = 17) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(UCDP_COLUMNS)
        writer.writerows(_ucdp_row(rng, i) for i in range(1, rows + 1))
    return path
