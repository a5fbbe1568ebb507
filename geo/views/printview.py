"""The print view: the filtered events and their sources as plain HTML tables that print in full (a
scrolling data grid prints only the rows on screen), and the print stylesheet for the page around them.

Report text reaches the page only through the autoescaping template environment (geo.maps.literal_render).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from geo.corpus.articles import Article
from geo.events.labels import day_label, event_date_label
from geo.events.model import Event
from geo.maps.literal_render import HTML_ENV

_TABLES = HTML_ENV.from_string("""\
<section class="sm-print">
<h3>Events ({{ events|length }})</h3>
<table class="sm-print-table">
<thead><tr><th>Date</th><th>Actor</th><th>Target</th><th>Type</th><th>Place</th><th>Fatalities</th>\
<th>Reports</th><th>Event</th></tr></thead>
<tbody>
{% for e in events %}<tr{% if e.id in selected %} class="sm-print-selected"{% endif %}>\
<td>{{ date(e) }}</td><td>{{ e.actor }}</td><td>{{ e.target }}</td><td>{{ e.event_type }}</td>\
<td>{{ e.place }}{% if e.geo_precision %} <span class="sm-print-note">({{ e.geo_precision }})</span>{% endif %}</td>\
<td>{{ e.fatalities_label }}</td><td>{{ cite(e) }}</td><td>{{ e.id }}{% if e.id in selected %} \
<b>(selected)</b>{% endif %}</td></tr>
{% endfor %}</tbody>
</table>
<h3>Sources ({{ sources|length }})</h3>
<ol class="sm-print-sources">
{% for a in sources %}<li><b>{{ a.id[:3] }}</b> · {{ a.publisher or "unattributed" }}\
{% if a.published %}, {{ day(a.published) }}{% endif %}{% if a.title %} — {{ a.title }}{% endif %}\
 <span class="sm-print-note">({{ a.id }})</span></li>
{% endfor %}</ol>
</section>""")

#: Streamlit's own parts that a printed page does not want (sidebar, header, toolbar, buttons, links
#: out), and the map's controls; the page is A4 landscape.
PRINT_CSS = """
.sm-print{overflow-x:auto}
.sm-print-table{border-collapse:collapse;width:100%;font:12px/1.35 system-ui,sans-serif}
.sm-print-table th,.sm-print-table td{border-bottom:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
.sm-print-table thead th{border-bottom:2px solid #444}
.sm-print-selected td{background:#fff3c4}
.sm-print-note{color:#666;font-size:11px}
.sm-print-sources{font:12px/1.4 system-ui,sans-serif;padding-left:1.4em}
@media print{
  @page{size:A4 landscape;margin:10mm}
  [data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],[data-testid="stHeader"],
  [data-testid="stToolbar"],[data-testid="stDecoration"],[data-testid="stStatusWidget"],
  [data-testid="stBaseButton-secondary"],[data-testid="stBaseButton-primary"],[data-testid="stButton"],
  [data-testid="stLinkButton"],[data-testid="stPageLink"],.sm-screen-only,footer,
  .leaflet-control-container{display:none !important}
  [data-testid="stMain"],[data-testid="stAppViewContainer"],[data-testid="stMainBlockContainer"]{
    padding:0 !important;margin:0 !important;max-width:none !important;width:100% !important;
    overflow:visible !important}
  .sm-print-table tr{break-inside:avoid}
  .sm-print h3{break-after:avoid}
  h1{font-size:18pt !important;padding:0 0 2mm !important}
  [data-testid="stImage"] img{max-height:150mm !important;width:auto !important;max-width:100% !important}
  [data-testid="stImage"]{break-inside:avoid}
}
"""


def print_tables_html(events: Sequence[Event], articles: Sequence[Article], *, selected: Collection[str] = (),
                      report_filter: Collection[str] = ()) -> str:
    """The events (date, actor, target, type, place, fatalities, the reports that support them) and the
    reports they cite (within the report filter, if one is set), as HTML."""
    limit = set(report_filter)
    cited = {r for e in events for r in e.reports if not limit or r in limit}
    labels = {a.id: a.id[:3] for a in articles}
    sources = sorted((a for a in articles if a.id in cited), key=lambda a: a.id)
    known = {a.id for a in sources}
    sources += [Article(id=r, path=Path(), text="") for r in sorted(cited - known)]  # cited, not in the corpus

    def cite(event: Event) -> str:
        return ", ".join(labels.get(r, r[:3]) for r in event.reports if not limit or r in limit)

    return _TABLES.render(events=list(events), sources=sources, selected=set(selected), date=event_date_label,
                          cite=cite, day=day_label)
