"""The migrations create the same schema on SQLite and PostgreSQL (+ PostGIS geometry on PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from geo.store import repo
from geo.store.engine import open_store
from geo.store.migrate import alembic_config, current_revision, head_revision, upgrade
from geo.store.models import Mention

TABLES = {"incidents", "reports", "mentions", "events", "facts", "claims", "briefings", "changes"}


def test_migrations_create_every_table_and_are_idempotent(store):
    assert TABLES <= set(inspect(store.engine).get_table_names())
    assert current_revision(store) == head_revision(store)
    assert upgrade(store) is False  # already at head: nothing to do


def test_downgrade_to_nothing_and_back(store):
    config = alembic_config(store)
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert not TABLES & set(inspect(store.engine).get_table_names())
    assert upgrade(store) is True
    assert TABLES <= set(inspect(store.engine).get_table_names())


@pytest.fixture
def sqlite_store(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    upgrade(opened)
    yield opened
    opened.dispose()


@pytest.fixture
def postgis_store(pg_server):
    opened = open_store(pg_server.create_database("postgis_columns"))
    upgrade(opened)
    yield opened
    opened.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_store):
    with sqlite_store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_database_refuses_a_low_bound_above_the_high_one(store):
    def work(session):
        incident, _ = repo.ensure_incident(session, "x", "tester")
        session.flush()
        session.execute(text(
            "INSERT INTO events (incident_id, key, position, status, layer, date, date_end, date_precision, ongoing,"
            " actor, target, event_type, place, origin, geo_precision, uncertainty_wkt, fatalities_low,"
            " fatalities_high, fatalities_qualifier, summary, reason, extra, version, created_at, updated_at,"
            " updated_by) VALUES (:i, 'e', 0, 'accepted', 'report', '2024-01-16', '', 'day', false, 'a', '', 't',"
            " 'p', '', 'town', '', 9, 7, '', '', '', '{}', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '')"),
            {"i": incident.id})

    with pytest.raises(Exception, match=r"ck_events_fatalities|CHECK constraint"):
        store.write(work)


def test_postgis_geometry_columns_follow_the_coordinates(postgis_store):
    store = postgis_store
    area = "POLYGON((60 26, 63 26, 63 29, 60 29, 60 26))"

    def add(session):
        incident, _ = repo.ensure_incident(session, "geo-test", "tester")
        return repo.upsert_event(session, incident, "e1", {
            "date": "2024-01-16", "date_precision": "day", "actor": "Iran", "event_type": "air/missile strike",
            "place": "Panjgur", "lat": 26.97, "lon": 64.09, "geo_precision": "province", "uncertainty_wkt": area,
        }, "tester").id

    event_id = store.write(add)
    with store.engine.connect() as connection:
        registered = set(connection.execute(text(
            "SELECT f_table_name, f_geometry_column, srid, type FROM geometry_columns")).all())
        point = connection.execute(text(
            "SELECT ST_X(location), ST_Y(location), ST_SRID(location), GeometryType(uncertainty_area),"
            " ST_SRID(uncertainty_area) FROM events WHERE id = :id"), {"id": event_id}).one()
    assert {("events", "location", 4326, "POINT"), ("events", "uncertainty_area", 4326, "GEOMETRY"),
            ("mentions", "location", 4326, "POINT")} <= registered
    assert point == pytest.approx((64.09, 26.97, 4326, "POLYGON", 4326))

    store.write(lambda session: repo.edit_event(session, event_id, {"lat": 27.5, "lon": 63.0}, 1, "tester"))
    with store.engine.connect() as connection:
        moved = connection.execute(text("SELECT ST_X(location), ST_Y(location) FROM events WHERE id = :id"),
                                   {"id": event_id}).one()
    assert moved == pytest.approx((63.0, 27.5))


def test_two_processes_starting_on_a_fresh_store_migrate_it_once(request, tmp_path):
    import threading

    from tests.store.conftest import BACKENDS, new_url

    for backend in BACKENDS:
        url = new_url(backend, request, tmp_path)
        stores = [open_store(url), open_store(url)]
        results: list[bool] = []
        threads = [threading.Thread(target=lambda s=s, out=results: out.append(upgrade(s))) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False, True], backend
        assert TABLES <= set(inspect(stores[0].engine).get_table_names())
        for store in stores:
            store.dispose()


def _mention_rows(store, correction_sql: str) -> None:
    """Two mentions as an older schema stored them: one uncorrected (JSON null), one corrected."""
    with store.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO incidents (slug, title, countries, created_at, created_by, meta)"
            " VALUES ('x', 'x', '', CURRENT_TIMESTAMP, 't', '{}')"))
        connection.execute(text(
            "INSERT INTO reports (incident_id, key, position, text, content_hash, title, publisher, date_method,"
            " date_note, publisher_note, source_name, added_at, added_by) SELECT id, 'r', 0, 'Surin', 'h', '', '',"
            " 'unknown', '', '', '', CURRENT_TIMESTAMP, 't' FROM incidents"))
        for correction in (correction_sql, "'{\"name\": \"Surin\", \"lat\": 14.8, \"lon\": 103.5}'"):
            connection.execute(text(
                "INSERT INTO mentions (report_id, start, \"end\", mention, place_id, name, kind, country_code,"
                f" confidence, correction, corrected_by) SELECT id, 0, 5, 'Surin', '', 'Surin', 'town', 'TH', 0.5,"
                f" {correction}, '' FROM reports"))


def _corrected_in_sql(store) -> int:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM mentions WHERE correction IS NOT NULL")).scalar_one()


def test_an_uncorrected_mention_is_sql_null_after_0102_and_json_null_again_below_it(store):
    config = alembic_config(store)
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0101")
    _mention_rows(store, "'null'")
    assert _corrected_in_sql(store) == 2  # JSON null: IS NOT NULL matched every mention
    assert upgrade(store) is True
    assert _corrected_in_sql(store) == 1
    with store.read() as session:
        corrections = session.scalars(select(Mention.correction).order_by(Mention.id)).all()
    assert corrections == [None, {"name": "Surin", "lat": 14.8, "lon": 103.5}]
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0101")
    assert _corrected_in_sql(store) == 2  # as the older code wrote them


def test_the_store_writes_an_uncorrected_mention_as_sql_null(store):
    from geo.places.toponyms import PlaceMention

    def work(session):
        incident, _ = repo.ensure_incident(session, "x", "tester")
        report = repo.add_report(session, incident, repo.NewReport("r", "Surin and Sisaket"), "tester")
        session.flush()
        repo.add_mentions(session, report, [
            PlaceMention(words, start, start + len(words), words, "town", "TH", 14.8, 103.5, 0.5, "")
            for words, start in (("Surin", 0), ("Sisaket", 10))], "tester")
        session.flush()
        return session.scalars(select(Mention.id).order_by(Mention.id)).first()

    mention_id = store.write(work)
    assert _corrected_in_sql(store) == 0
    store.write(lambda s: repo.correct_mention(s, mention_id, None, "tester"))
    with store.engine.connect() as connection:
        ids = connection.execute(text("SELECT id FROM mentions WHERE correction IS NOT NULL")).scalars().all()
    assert ids == [mention_id]


def test_the_stores_postgresql_sessions_run_without_jit_unless_the_url_says(pg_server):
    """JIT compilation cost more than the store's short analytic queries (bench/scale_pg.py at 1,000,000 rows:
    3.5 s of JIT for a 1.9 s query): the store's connections turn it off, and a URL's own options win."""
    url = pg_server.create_database("jit_setting")
    for given, expected in ((url, "off"), (url + ("&" if "?" in url else "?") + "options=-c%20jit%3Don", "on")):
        opened = open_store(given)
        try:
            with opened.engine.connect() as connection:
                assert connection.exec_driver_sql("SHOW jit").scalar() == expected, given
        finally:
            opened.dispose()
