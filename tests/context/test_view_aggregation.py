"""What the context map asks the store for: counts per grid cell in SQL at low zoom (equal to a count in Python
of the same rows), the points in the view with a cap above it, and the view requests that key the memo.
SQLite here; the same counts on PostGIS in test_postgis.py."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import folium
import pytest

from geo.context import grid, query
from geo.context.importer import import_events
from geo.maps.build import FIT_MAX_ZOOM
from geo.maps.context import AGGREGATE_BELOW_ZOOM, cell_group
from geo.store.engine import Store
from tests.context.conftest import ACLED_EDGE, UCDP_EDGE, assert_cells_match_python
from tests.context.synthetic import write_acled


@pytest.fixture
def incident(store: Store, tmp_path: Path) -> int:
    import_events(store, "ctx", "acled", write_acled(tmp_path / "acled.csv", 3_000))
    import_events(store, "ctx", "acled", ACLED_EDGE)
    import_events(store, "ctx", "ucdp", UCDP_EDGE)
    found = query.incident_id(store, "ctx")
    assert found is not None
    return found


def test_cells_in_sql_equal_a_python_count_of_the_same_rows(store: Store, incident: int) -> None:
    assert_cells_match_python(store, incident)


def test_points_in_view_are_capped_and_say_how_many_more(store: Store, incident: int) -> None:
    types = query.event_types(store, incident)
    box = (62.0, 25.0, 64.5, 27.5)
    rows = query.table(store, incident, query.ContextFilter(bbox=box))
    inside = rows.dropna(subset=["lat", "lon"])
    found = query.points_in_view(store, incident, query.ContextFilter(), box, types, cap=50)
    assert found.total == len(inside) > 50
    assert len(found.points) == 50 and found.left_out == len(inside) - 50
    assert ((found.points.lon >= 62.0) & (found.points.lon <= 64.5)).all()
    assert ((found.points.lat >= 25.0) & (found.points.lat <= 27.5)).all()
    everything = query.points_in_view(store, incident, query.ContextFilter(), box, types, cap=100_000)
    assert everything.left_out == 0 and len(everything.points) == len(inside)
    assert set(found.points.ids) <= set(everything.points.ids)


def test_view_requests_snap_so_small_pans_ask_again_for_the_same() -> None:
    view = (62.31, 25.52, 64.07, 26.93)
    request = grid.request_for(view, 8.0)
    west, south, east, north = request.bbox
    assert west < view[0] and south < view[1] and east > view[2] and north > view[3]  # the view and around it
    assert grid.request_for((62.35, 25.55, 64.11, 26.97), 8.0) == request  # a small pan: the same request
    assert grid.request_for(view, 8.6).zoom == 8  # Leaflet's fractional zoom, floored
    far = grid.request_for((70.0, 25.52, 71.76, 26.93), 8.0)
    assert far != request and far.bbox[0] > east - 5
    assert not request.aggregated and grid.request_for(view, AGGREGATE_BELOW_ZOOM - 1).aggregated
    assert grid.request_for((-179.9, -89.0, 179.9, 89.0), 0).bbox == (-180.0, -90.0, 180.0, 90.0)
    assert grid.cell_degrees(5) == 2 * grid.cell_degrees(6)  # cells nest from zoom to zoom
    extent = (62.4, 25.6, 63.9, 26.8)  # all the layer's events: inside the snapped view, so asked for as such
    assert grid.request_for(view, 8.0, extent).bbox == extent
    assert grid.request_for((60.0, 24.0, 66.0, 28.0), 8.0, extent) == grid.request_for(view, 8.0, extent)
    assert grid.request_for(view, 8.0, (50.0, 25.6, 63.9, 26.8)).bbox == request.bbox  # the layer goes beyond


def test_zoom_to_fit_matches_what_the_map_shows() -> None:
    assert grid.zoom_to_fit((60.0, 24.0, 70.0, 31.0), width_px=1000, height_px=620) == 6
    assert grid.zoom_to_fit((63.0, 26.0, 63.1, 26.1)) >= AGGREGATE_BELOW_ZOOM
    assert grid.opening_zoom((63.0, 26.0, 63.1, 26.1)) == FIT_MAX_ZOOM  # base_map never opens closer


def test_the_cell_layer_carries_the_counts_the_database_made(store: Store, incident: int) -> None:
    flt = replace(query.ContextFilter(), bbox=grid.request_for((60.0, 24.0, 70.0, 31.0), 5).bbox)
    cells = query.cells(store, incident, flt, grid.cell_degrees(5))
    fmap = folium.Map(tiles=None)
    cell_group(cells).add_to(fmap)
    script = fmap.get_root().render()
    data = json.loads(re.search(r"var data = (\{.*?\});\n", script).group(1))  # type: ignore[union-attr]
    assert sum(data["count"]) == cells.events and data["size"] == cells.size
    assert list(zip(data["row"], data["col"], data["count"], strict=True)) == \
        list(zip(cells.row.tolist(), cells.col.tolist(), cells.count.tolist(), strict=True))
    assert data["most"] == int(cells.count.max()) and "lat" not in data  # counts, no event travels
    assert len(cells) < cells.events


def test_the_maps_queries_are_answered_from_the_covering_index(store: Store, incident: int) -> None:
    """Counts per cell, the points in a view, their count and the weekly counts read migration 0103's covering
    index only, never the table's wide rows (SQLite's own query plan for each statement the queries ran)."""
    from sqlalchemy import event

    from geo.context import analysis

    types = query.event_types(store, incident)
    statements: list[tuple[str, tuple]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, tuple(parameters)))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        two = query.ContextFilter(event_types=tuple(types[:2]))
        query.cells(store, incident, two, 0.5)
        query.cells(store, incident, replace(two, bbox=(55.0, 20.0, 70.0, 35.0)), 0.1)
        query.points_in_view(store, incident, two, (55.0, 20.0, 70.0, 35.0), types, 100)
        analysis.per_week(store, incident, two)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert len(statements) == 5
    with store.engine.connect() as connection:
        for statement, parameters in statements:
            plan = " | ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                             parameters))
            assert "USING COVERING INDEX ix_events_context_cover" in plan, (statement, plan)
