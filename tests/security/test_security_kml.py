"""KML export of hostile text: well-formed XML, every field literal (issue 9, "Crashes")."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile

import defusedxml.ElementTree as SafeET
import pytest
from PIL import Image

from geo.dataset import Dataset
from geo.export import render
from geo.export.briefing import build_briefing
from geo.paths import DATA_DIR

HOSTILE = "A & B <b>bold</b> \"q\" 'a' ]]> <![CDATA[ x \x01\x0b end"
NS = {"k": "http://www.opengis.net/kml/2.2"}


@pytest.fixture(scope="module")
def hostile(dataset: Dataset) -> Dataset:
    events = [dataclasses.replace(e, actor=f"{e.actor} {HOSTILE}", target=HOSTILE, place=f"{e.place} {HOSTILE}",
                                  summary=HOSTILE, origin=f"{e.origin} {HOSTILE}" if e.origin else "",
                                  claims=tuple(dataclasses.replace(c, quote=HOSTILE, value=HOSTILE)
                                               for c in e.claims))
              for e in dataset.table.events]
    table = dataclasses.replace(dataset.table, events=events)
    return Dataset(stamp=(), corpus=dataset.corpus, table=table)


def test_kml_with_markup_characters_in_every_field_is_well_formed(hostile: Dataset) -> None:
    kml = render(build_briefing(hostile, title=f"Title {HOSTILE}"), "kml")
    root = SafeET.fromstring(kml)
    expected = HOSTILE.replace("\x01", "").replace("\x0b", "")
    assert root.find("k:Document/k:name", NS).text == f"Title {expected}"
    placemarks = root.findall(".//k:Folder/k:Placemark", NS)
    assert placemarks
    first = placemarks[0]
    assert first.find("k:name", NS).text.endswith(expected)
    values = {d.get("name"): d.find("k:value", NS).text for d in first.findall(".//k:Data", NS)}
    assert values["target"] == expected and values["actor"].endswith(expected)
    # the balloon is HTML as text: its markup characters arrive escaped for the HTML renderer
    balloon = first.find("k:description", NS).text
    assert "A &amp; B &lt;b&gt;bold&lt;/b&gt;" in balloon and "<b>bold</b>" not in balloon


def test_export_command_kml_with_ampersand_exits_cleanly(tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("boundaries", "gazetteer"))
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("Jaish al-Adl", "Jaish & <al-Adl>"),
                      encoding="utf-8")
    out = tmp_path / "out.kml"
    env = {**os.environ, "STRIKE_MAP_DATA_DIR": str(data)}
    done = subprocess.run([sys.executable, "-m", "geo", "export", "--out", str(out)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert b"Jaish &amp; &lt;al-Adl&gt;" in out.read_bytes()


#: a link that an air-gapped Google Earth would try to fetch (namespace declarations are names, not links)
ONLINE = re.compile(rb"https?://(?!www\.opengis\.net/kml/2\.2\b|www\.google\.com/kml/ext/2\.2\b)")


def test_kml_and_kmz_link_to_nothing_online(hostile: Dataset) -> None:
    """Issue 15: the icons pointed at Google's online pushpin. The KML has no icon link at all; the KMZ
    holds its icons as files, every href names one of them, and the report text stays escaped."""
    briefing = build_briefing(hostile, title=f"Title {HOSTILE}")
    kml = render(briefing, "kml")
    assert not ONLINE.search(kml), ONLINE.search(kml)
    assert not SafeET.fromstring(kml).findall(".//k:Icon/k:href", NS)
    with zipfile.ZipFile(io.BytesIO(render(briefing, "kmz"))) as kmz:
        names = kmz.namelist()
        assert names[0] == "doc.kml"
        doc = kmz.read("doc.kml")
        assert not any(ONLINE.search(kmz.read(name)) for name in names if name.endswith(".kml"))
        root = SafeET.fromstring(doc)
        hrefs = {h.text for h in root.findall(".//k:Icon/k:href", NS)}
        assert hrefs and hrefs <= set(names)
        for href in hrefs:
            with Image.open(io.BytesIO(kmz.read(href))) as icon:
                assert icon.format == "PNG" and icon.getextrema()[3][1] > 0  # a visible marker
        first = root.findall(".//k:Folder/k:Placemark", NS)[0]
        assert "<b>bold</b>" not in first.find("k:description", NS).text
    assert len(hrefs) == len({(e.actor, e.event_type) for e in briefing.mapped})
