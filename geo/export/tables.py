"""The filtered event table as CSV, GeoJSON and KML, with the reports' claims.

CSV: one row per event (the events module's GeoDataFrame columns, plus lat/lon and a readable
``claims`` cell with one line per claim: ``[report] field = value: "quote"``), so a spreadsheet user
sees what each report says next to the event. ``claims_csv`` gives the same claims long-form (one
row per claim) for analysts who pivot. GeoJSON: a FeatureCollection whose features carry the same
properties and ``claims`` as a list of objects; events without a location have a null geometry.
KML (simplekml): one placemark per located event (styled by actor colour, with a time span for
Google Earth's time slider and the claims in the balloon, html-escaped), the strike paths from
origin to target, and the border. simplekml's own escaping covers names and descriptions only (not
ExtendedData values) and passes a "<![CDATA[" in the text through raw, so it is switched off and every
text goes through `xml_text` (escaped, characters XML 1.0 forbids removed).
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from xml.sax.saxutils import escape

import geopandas as gpd
import pandas as pd
import simplekml
from PIL import ImageColor

from geo.events.labels import day_label
from geo.events.table import Claim, Event
from geo.export.briefing import Briefing
from geo.maps.style import BORDER_STYLE

CLAIM_COLUMNS = ("event_id", "report_id", "field", "value", "quote")


def claim_line(claim: Claim) -> str:
    return f'[{claim.report_id}] {claim.field} = {claim.value}: "{claim.quote}"'


def events_frame(briefing: Briefing) -> gpd.GeoDataFrame:
    """One row per event (same order as the briefing), with lon/lat and the claims as text lines."""
    gdf = briefing.gdf.copy()
    present = gdf.geometry.notna() & ~gdf.geometry.is_empty if len(gdf) else gdf.geometry.notna()
    gdf["lat"] = [g.y if ok else None for g, ok in zip(gdf.geometry, present, strict=True)]
    gdf["lon"] = [g.x if ok else None for g, ok in zip(gdf.geometry, present, strict=True)]
    gdf["claims_count"] = [len(e.claims) for e in briefing.events]
    gdf["claims"] = ["\n".join(claim_line(c) for c in e.claims) for e in briefing.events]
    return gdf


def events_csv(briefing: Briefing) -> bytes:
    """CSV (UTF-8), one row per event; lon/lat columns carry the location."""
    frame = pd.DataFrame(events_frame(briefing).drop(columns="geometry"))
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def claims_frame(briefing: Briefing) -> pd.DataFrame:
    rows = [{k: getattr(c, k) for k in CLAIM_COLUMNS} for e in briefing.events for c in e.claims]
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


def claims_csv(briefing: Briefing) -> bytes:
    """The claims behind the shown events, one row per claim (event_id, report_id, field, value, quote)."""
    return claims_frame(briefing).to_csv(index=False, lineterminator="\n").encode("utf-8")


def events_geojson(briefing: Briefing) -> bytes:
    """A GeoJSON FeatureCollection (EPSG:4326), claims embedded as a list property on each feature."""
    gdf = events_frame(briefing).drop(columns=["claims", "lat", "lon"])
    gdf["claims"] = [[{k: getattr(c, k) for k in CLAIM_COLUMNS if k != "event_id"} for c in e.claims]
                     for e in briefing.events]
    collection = gdf.to_geo_dict(drop_id=True, na="null") if len(gdf) else {"type": "FeatureCollection",
                                                                               "features": []}
    collection["name"] = briefing.title
    collection["description"] = briefing.summary_line
    return json.dumps(collection, ensure_ascii=False, indent=1, default=str).encode("utf-8")


#: Characters XML 1.0 does not allow in a document, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Any text as XML character data (a report's `&`, `<` and control characters included)."""
    return escape(_NOT_XML.sub("", str(value)))


def _kml_colour(hex_colour: str, alpha: float = 1.0) -> str:
    """KML's aabbggrr from a CSS colour (Pillow parses it: the tables export never imports matplotlib)."""
    r, g, b = ImageColor.getrgb(hex_colour)[:3]
    return simplekml.Color.rgb(r, g, b, round(alpha * 255))


def _balloon(event: Event) -> str:
    rows = [
        ("Date", f"{event.date_start:%Y-%m-%d}" + (f" to {event.date_end:%Y-%m-%d}"
                                                   if event.date_end != event.date_start else "")),
        ("Actor → target", f"{event.actor} → {event.target or '—'}"),
        ("Type", event.event_type),
        ("Place", f"{event.place} ({event.geo_precision})"),
        ("Killed", event.fatalities_label),
    ]
    table = "".join(f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                    for k, v in rows)
    claims = "".join(
        f"<li><b>{html.escape(c.report_id)}</b> {html.escape(c.field)} = {html.escape(c.value)}: "
        f"<i>“{html.escape(c.quote)}”</i></li>" for c in event.claims)
    return f"<p>{html.escape(event.summary)}</p><table>{table}</table><p>Claims:</p><ul>{claims}</ul>"


#: the KMZ's icon files (relative paths inside the archive, as Google Earth reads them)
ICON_FOLDER = "files"


def _style(colour: str, icon_href: str | None) -> simplekml.Style:
    """An actor's style: its colour on the label and the lines, and on an icon that the file itself holds
    (icon_href inside a KMZ) or none at all (an empty <Icon/>: no href to an online pushpin that an
    air-gapped Google Earth could not load)."""
    style = simplekml.Style()
    style.iconstyle.icon.href = icon_href
    if icon_href:
        style.iconstyle.scale = 1.0
        style.labelstyle.scale = 0.9
    else:  # the label, in the actor's colour, is the placemark
        style.iconstyle.scale = 0.0
        style.labelstyle.color = _kml_colour(colour)
        style.labelstyle.scale = 1.1
    style.linestyle.color = _kml_colour(colour, 0.85)
    style.linestyle.width = 3
    return style


def _icon_name(briefing: Briefing, event: Event) -> str:
    """The icon file of an event's actor and type, e.g. 'files/actor-2-triangle.png'."""
    actors = sorted(briefing.colours) or [event.actor]
    index = actors.index(event.actor) if event.actor in actors else len(actors)
    return f"{ICON_FOLDER}/actor-{index}-{briefing.shape(event.event_type)}.png"


def events_kml(briefing: Briefing, icons: bool = False) -> bytes:
    """KML for Google Earth: event placemarks, strike paths and the border, with no link that leaves the
    file: without icons, placemarks show as labels in the actor's colour; with icons (the KMZ), each
    placemark's icon is a file inside the archive (events_kmz)."""
    kml = simplekml.Kml(name=xml_text(briefing.title))
    kml.parsetext(parse=False)  # every text below is escaped by xml_text
    kml.document.description = xml_text(briefing.summary_line)
    styles: dict[str, simplekml.Style] = {}
    events_folder = kml.newfolder(name="Events")
    paths_folder = kml.newfolder(name="Strike paths (origin → target)")
    for event in briefing.mapped:
        colour = briefing.colour(event.actor)
        key = _icon_name(briefing, event) if icons else event.actor
        if key not in styles:
            styles[key] = _style(colour, key if icons else None)
        point = events_folder.newpoint(name=xml_text(f"{day_label(event.date_start)} · {event.place}"),
                                       coords=[(event.lon, event.lat)])
        point.style = styles[key]
        point.description = xml_text(_balloon(event))
        point.timespan.begin = event.date_start.isoformat()
        point.timespan.end = event.date_end.isoformat()
        point.extendeddata.newdata(name="event_id", value=xml_text(event.id))
        for field in ("actor", "target", "event_type", "place", "geo_precision", "fatalities_label"):
            point.extendeddata.newdata(name=field, value=xml_text(getattr(event, field)))
        point.extendeddata.newdata(name="reports", value=xml_text(";".join(event.reports)))
        if event.origin_lon is not None and event.origin_lat is not None:
            line = paths_folder.newlinestring(name=xml_text(f"{event.origin} → {event.place}"),
                                              coords=[(event.origin_lon, event.origin_lat), (event.lon, event.lat)])
            line.tessellate = 1
            line.style = styles[key]
    context = kml.newfolder(name="Context (Natural Earth 1:10m)")
    for row in briefing.region.borders.itertuples(index=False):
        status = "" if row.status == "international" else f", {row.status}"
        name = xml_text(f"{row.name} ({float(row.length_km):,.0f} km{status}, geodesic)")
        for part in getattr(row.geometry, "geoms", [row.geometry]):
            line = context.newlinestring(name=name, coords=list(part.coords))
            line.style.linestyle.color = _kml_colour(BORDER_STYLE["color"])
            line.style.linestyle.width = 4
    return kml.kml().encode("utf-8")


def events_kmz(briefing: Briefing) -> bytes:
    """A KMZ (zip) for an offline Google Earth: doc.kml with a marker icon per actor and event type (the
    dashboard's colours and shapes: geo.export.icons) as files inside the archive."""
    from geo.export.icons import marker_png

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as kmz:
        kmz.writestr("doc.kml", events_kml(briefing, icons=True))  # Google Earth opens the first .kml
        for name in sorted({_icon_name(briefing, e) for e in briefing.mapped}):
            event = next(e for e in briefing.mapped if _icon_name(briefing, e) == name)
            kmz.writestr(name, marker_png(briefing.shape(event.event_type), briefing.colour(event.actor)))
    return out.getvalue()
