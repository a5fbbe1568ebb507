"""The offline geocoder behind geopy's interface, on the real gazetteer (no network)."""

from __future__ import annotations

import socket

import geopandas
import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.places.gazetteer import distance_km
from geo.places.geocoder import CachedGeocoder, OfflineGeocoder


@pytest.fixture(scope="module")
def geocoder() -> OfflineGeocoder:
    return OfflineGeocoder()


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


# (query, expected kind, country, lat, lon, tolerance km) — coordinates from general reference, not the gazetteer
QUALIFIED = [
    ("Saravan, Iran", ("city", "town"), "IR", 27.37, 62.33, 50),
    ("Saravan, Sistan and Baluchestan, Iran", ("city", "town"), "IR", 27.37, 62.33, 50),
    ("Kerman, Iran", ("city",), "IR", 30.28, 57.08, 50),
    ("Chabahar", ("city", "town"), "IR", 25.29, 60.64, 50),
    ("Tehran", ("city",), "IR", 35.69, 51.39, 50),
    ("Islamabad", ("city",), "PK", 33.69, 73.06, 50),
    ("Balochistan, Pakistan", ("province",), "PK", 28.5, 65.5, 300),
    ("Sistan-o-Balochistan", ("province",), "IR", 27.5, 60.5, 300),
    ("Red Sea", ("sea",), "", 20.0, 38.5, 600),
    ("Gaza Strip", ("region",), "PS", 31.42, 34.35, 30),
    ("Yemen", ("country",), "YE", 15.4, 44.2, 600),
    ("Lebanon", ("country",), "LB", 33.9, 35.5, 150),
    ("northern Iraq", ("country",), "IQ", 33.3, 44.4, 600),
    ("U.S.", ("country",), "US", 38.9, -77.0, 3000),
    ("Britain", ("country",), "GB", 51.5, -0.1, 600),
]


@pytest.mark.parametrize(("query", "kinds", "country", "lat", "lon", "km"), QUALIFIED)
def test_geocode_resolves_qualified_names(geocoder, query, kinds, country, lat, lon, km) -> None:
    location = geocoder.geocode(query)
    assert isinstance(location, Location)
    assert location.raw["kind"] in kinds
    assert location.raw["country_code"] == country
    assert distance_km(location.latitude, location.longitude, lat, lon) <= km
    assert 0 < location.raw["confidence"] <= 1
    assert location.raw["source"]


def test_qualifier_restricts_country(geocoder) -> None:
    laos = geocoder.geocode("Saravan, Laos")
    assert laos.raw["country_code"] == "LA"
    iran = geocoder.geocode("Kerman, United States")
    assert iran.raw["country_code"] == "US"


def test_all_candidates_best_first(geocoder) -> None:
    locations = geocoder.geocode("Islamabad", exactly_one=False)
    countries = [loc.raw["country_code"] for loc in locations]
    assert countries[0] == "PK"
    assert "IN" in countries  # Anantnag carries Islamabad as an alternate name
    scores = [loc.raw["score"] for loc in locations]
    assert scores == sorted(scores, reverse=True)


def test_unknown_name_gives_none(geocoder) -> None:
    assert geocoder.geocode("Qwxzv Plateau") is None
    assert geocoder.geocode("  ,  ") is None


def test_structured_query(geocoder) -> None:
    location = geocoder.geocode({"city": "Saravan", "country": "Iran"})
    assert location.raw["country_code"] == "IR"


def test_reverse_gives_nearest_place(geocoder) -> None:
    location = geocoder.reverse((27.372, 62.332))
    assert location.raw["name"] == "Sarāvān"
    assert location.raw["distance_km"] < 2
    nearby = geocoder.reverse("25.30, 60.64", exactly_one=False, limit=3)
    assert len(nearby) == 3
    assert nearby[0].raw["distance_km"] <= nearby[1].raw["distance_km"] <= nearby[2].raw["distance_km"]
    province = geocoder.reverse((27.5, 61.0), kinds=("province",))
    assert province.raw["id"] == "ne1:IRN-3247"


def test_is_a_geopy_geocoder_usable_by_geopandas_and_rate_limiter(geocoder) -> None:
    assert isinstance(geocoder, Geocoder)
    frame = geopandas.tools.geocode(["Saravan, Iran", "Chabahar", "Qwxzv Plateau"], provider=OfflineGeocoder)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].distance(frame.geometry.iloc[1]) > 1  # two different places
    assert frame.geometry.iloc[2] is None or frame.geometry.iloc[2].is_empty
    limited = RateLimiter(geocoder.geocode, min_delay_seconds=0)
    assert limited("Yemen").raw["id"] == "country:YE"


def test_cached_geocoder_asks_each_query_once(tmp_path) -> None:
    cache_file = tmp_path / "cache.json"
    cached = CachedGeocoder(OfflineGeocoder(), cache_file, min_delay_seconds=0)
    first = cached.geocode("Chabahar")
    again = cached.geocode("Chabahar")
    missing = cached.geocode("Qwxzv Plateau")
    assert cached.calls == 2
    assert missing is None
    assert (first.latitude, first.longitude) == (again.latitude, again.longitude)
    reopened = CachedGeocoder(OfflineGeocoder(), cache_file, min_delay_seconds=0)
    assert reopened.geocode("Chabahar").raw["id"] == first.raw["id"]
    assert reopened.calls == 0
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]  # written atomically, no temp file left


def test_phrases_around_a_name(geocoder) -> None:
    near = geocoder.geocode("near Saravan, Iran")
    assert (near.raw["id"], near.raw["country_code"]) == ("gn:1159713", "IR")
    assert geocoder.geocode("Houthi-controlled Yemen").raw["id"] == "country:YE"
    assert geocoder.geocode("southern Lebanon").raw["id"] == "country:LB"


def test_bare_ambiguous_names_prefer_the_larger_or_own_name(geocoder) -> None:
    assert geocoder.geocode("Tehran").raw["id"] == "gn:112931"  # not Tiran (alternate name)
    assert geocoder.geocode("Islamabad").raw["country_code"] == "PK"  # not Anantnag
    assert geocoder.geocode("Kerman").raw["kind"] == "city"
    kerman_province = geocoder.geocode("Kerman", kinds=("province",))
    assert kerman_province.raw["id"] == "ne1:IRN-3248"
    us_only = geocoder.geocode("Kerman", country_codes="us")
    assert us_only.raw["country_code"] == "US"


def test_nominatim_backend_serves_cached_answers_offline(tmp_path) -> None:
    """The optional online backend: a query already in its on-disk cache never reaches the network."""
    from geopy.geocoders import Nominatim

    from geo.places.geocoder import nominatim_geocoder

    cache_file = tmp_path / "nominatim.json"
    first = CachedGeocoder(OfflineGeocoder(), cache_file, min_delay_seconds=0)
    first.geocode("Chabahar")  # fill the cache file with an answer for this query
    online = nominatim_geocoder(cache_file=cache_file)
    assert isinstance(online.inner, Nominatim)
    location = online.geocode("Chabahar")
    assert online.calls == 0
    assert location.raw["id"] == "gn:1161724"
