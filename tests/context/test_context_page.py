"""The Context page (AppTest): empty store, then an imported export on the map, in the table and charts."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.context.importer import import_events
from geo.store.engine import URL_ENV, open_store
from geo.store.migrate import upgrade
from tests.conftest import ROOT
from tests.context.conftest import ACLED_EDGE, UCDP_EDGE


def _page(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    monkeypatch.setenv(URL_ENV, url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("ui/context.py").run()
    assert not at.exception, at.exception
    return at


def test_without_context_events_the_page_says_how_to_import(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = _page(monkeypatch, f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert any("import-events --incident SLUG" in i.value for i in at.info)


def test_imported_events_reach_map_table_charts_and_exports(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ctx.sqlite'}"
    store = open_store(url)
    upgrade(store)
    import_events(store, "ctx-page", "acled", ACLED_EDGE)
    import_events(store, "ctx-page", "ucdp", UCDP_EDGE)
    store.dispose()
    at = _page(monkeypatch, url)
    assert any("**10** context events on the map" in m.value for m in at.markdown)
    component = next(e for e in at.get("component_instance") if "feature_group" in e.proto.json_args)
    assert "smContextLayers" in component.proto.json_args
    table = at.dataframe[0].value
    assert len(table) == 10 and "acled:IRN200001" in set(table["key"])
    assert {"Per week", "Per admin area", "Near a strike, before it", "Exports"} <= {h.value for h in at.subheader}
    near = at.dataframe[-1].value
    assert "distance_km" in near.columns and (near["distance_km"] <= 50).all()
    labels = sorted(b.proto.label for b in at.get("download_button"))
    assert labels == ["Context CSV", "Context GeoJSON", "GeoPackage (all events)"]
    at.multiselect(key="context_types").set_value(["Riots"]).run()
    assert any("**1** context events on the map" in m.value for m in at.markdown)
