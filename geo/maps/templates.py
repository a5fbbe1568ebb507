"""The map's HTML (popups, tooltips, marker icons, legend) from Jinja templates with autoescape.

Every template renders through geo.maps.literal_render.HTML_ENV (sandboxed, autoescaping), so report
text is escaped by construction; the result reaches JavaScript only through tojson (geo.maps.elements).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from geo.events.labels import event_date_label as date_label
from geo.events.model import Claim, Event
from geo.maps.literal_render import HTML_ENV
from geo.maps.places import MentionedPlace
from geo.maps.style import (
    AREA_STYLE,
    BORDER_STYLE,
    LEGEND_WIDTH_PX,
    MENTION_STYLE,
    PROVINCE_STYLE,
    SELECTED_RING,
    shape_svg,
)

_POPUP = HTML_ENV.from_string("""\
<div class="sm-pop">
<div class="sm-h">{{ e.actor }} → {{ e.target }}</div>
<div class="sm-m">{{ e.event_type }} · {{ when }}</div>
<table>
<tr><th>Place</th><td>{{ e.place }} <span class="sm-m">({{ e.geo_precision }})</span></td></tr>
{% if e.origin %}<tr><th>From</th><td>{{ e.origin }}</td></tr>{% endif %}
<tr><th>Fatalities</th><td>{{ e.fatalities_label }}</td></tr>
<tr><th>Event</th><td>{{ e.id }}</td></tr>
</table>
{% if e.summary %}<p>{{ e.summary }}</p>{% endif %}
{% if by_report %}<div class="sm-b">What the reports say</div>
{% for report, claims in by_report %}<div class="sm-r"><div class="sm-rl">{{ report }}</div>
{% for c in claims %}<div><span class="sm-m">{{ c.field }}:</span> <b>{{ c.value }}</b> — <i>“{{ c.quote }}”</i></div>
{% endfor %}</div>
{% endfor %}{% endif %}
</div>""")

_EVENT_TIP = HTML_ENV.from_string("{{ e.actor }} → {{ e.target }} · {{ when }}")
_ARROW_TIP = HTML_ENV.from_string("{{ e.origin }} → {{ e.place }} · {{ when }}")

_PLACE_TIP = HTML_ENV.from_string("""\
<b>{{ p.name }}</b>{% if p.kind %} <span class="sm-m">{{ p.kind }}</span>{% endif %}
<br>{{ p.count }} mention{{ "s" if p.count != 1 }}\
{% if p.reports %} in {{ p.reports|length }} report{{ "s" if p.reports|length != 1 }}{% endif %}\
{% if p.spellings %}<br><span class="sm-m">as: {{ p.spellings|join(", ") }}</span>{% endif %}""")

_MARKER = HTML_ENV.from_string("""\
<div class="strike-marker{{ ' selected' if selected }}" style="--sm-actor:{{ colour }}">\
{% if selected %}<div class="sm-ring" style="box-shadow:0 0 0 4px {{ ring }},0 0 10px 4px rgba(0,0,0,.35);\
width:{{ size }}px;height:{{ size }}px">{{ svg }}</div>{% else %}{{ svg }}{% endif %}\
<span class="sm-date" style="border-color:{{ colour }}">{{ label }}</span></div>""")

_ARROWHEAD = HTML_ENV.from_string("""\
<div style="transform:rotate({{ '%.1f' % angle }}deg) translateX(-{{ back }}px);width:18px;height:18px">\
<svg width="18" height="18" viewBox="0 0 18 18"><polygon points="2,2 17,9 2,16 6,9" fill="{{ colour }}" \
stroke="#fff" stroke-width="1"/></svg></div>""")

_LEGEND = HTML_ENV.from_string("""\
<div class="sm-lg-t">Actor (colour, initials)</div>
{% for actor, colour in colours %}<div class="sm-lg-i">{{ swatch(colour) }}<span>{{ actor }}</span></div>
{% endfor %}
<div class="sm-lg-t">Event type (shape)</div>
{% for event_type, shape in shapes %}<div class="sm-lg-i">{{ shape_icon(shape) }}<span>{{ event_type }}</span></div>
{% endfor %}
<div class="sm-lg-t">Lines and areas</div>
{% if border_label %}<div class="sm-lg-i"><svg width="22" height="10"><line x1="0" y1="5" x2="22" y2="5" \
stroke="{{ border_colour }}" stroke-width="4"/></svg><span>{{ border_label }}</span></div>{% endif %}
{% if provinces %}<div class="sm-lg-i"><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" \
fill="{{ province_fill }}" fill-opacity="0.4" stroke="{{ province_edge }}" stroke-dasharray="4 2" stroke-width="1.5"/>\
</svg><span>Border provinces</span></div>{% endif %}
{% if arrows %}<div class="sm-lg-i"><svg width="22" height="10"><line x1="0" y1="5" x2="15" y2="5" stroke="#555" \
stroke-width="2.5"/><polygon points="14,0 22,5 14,10" fill="#555"/></svg><span>Strike, from the actor's border \
(no report gives a launch site)</span></div>{% endif %}
{% if areas %}<div class="sm-lg-i"><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" fill="#555" \
fill-opacity="{{ area_opacity }}" stroke="#555" stroke-dasharray="3 2" stroke-width="1.2"/></svg><span>Where the \
reports place an event, no closer (its marker is inside, not at a known spot)</span></div>{% endif %}
{% if places %}<div class="sm-lg-i"><svg width="22" height="14"><circle cx="11" cy="7" r="6" fill="{{ mention }}" \
fill-opacity="0.3" stroke="{{ mention }}"/></svg><span>Place named in reports (size = mentions)</span></div>{% endif %}
""")


def _by_report(claims: Sequence[Claim], labels: Mapping[str, str]) -> list[tuple[str, list[Claim]]]:
    grouped: dict[str, list[Claim]] = {}
    for claim in claims:
        grouped.setdefault(claim.report_id, []).append(claim)
    return [(labels.get(r, r), grouped[r]) for r in sorted(grouped)]


def event_popup_html(event: Event, report_labels: Mapping[str, str] | None = None) -> str:
    """Date, actor → target, type, place, fatalities and every claim with its quote, by report."""
    return _POPUP.render(e=event, when=date_label(event), by_report=_by_report(event.claims, report_labels or {}))


def event_tooltip(event: Event) -> str:
    return _EVENT_TIP.render(e=event, when=date_label(event))


def arrow_tooltip(event: Event) -> str:
    return _ARROW_TIP.render(e=event, when=date_label(event))


def place_tooltip(place: MentionedPlace) -> str:
    return _PLACE_TIP.render(p=place)


def marker_html(shape: str, colour: str, selected: bool, label: str, mark: str = "") -> tuple[str, int]:
    """A marker icon: the event type's shape in the actor's colour with the actor's mark, and a date
    label shown when zoomed in."""
    size = 30 if selected else 24
    svg = _svg(shape, colour, size, stroke="#1a1a1a" if selected else "#ffffff", stroke_width=2, mark=mark)
    html = _MARKER.render(selected=selected, colour=colour, ring=SELECTED_RING, size=size, svg=svg, label=label)
    return html, size


def arrowhead_html(colour: str, angle: float, back_px: int = 19) -> str:
    """An arrowhead whose tip stops back_px short of the target point (the marker's edge)."""
    return _ARROWHEAD.render(colour=colour, angle=angle, back=back_px)


def legend_html(colours: Mapping[str, str], shapes: Mapping[str, str], *, border_label: str,
                arrows: bool = True, places: bool = True, areas: bool = False, provinces: bool = True) -> str:
    """The legend body for what the map shows (the caller passes only the actors and types on it; an empty
    border_label: no shared border drawn)."""
    return _LEGEND.render(
        colours=list(colours.items()), shapes=list(shapes.items()), border_label=border_label, arrows=arrows,
        provinces=provinces,
        places=places, areas=areas, area_opacity=AREA_STYLE["fillOpacity"] * 2,
        swatch=_swatch, shape_icon=_shape_icon, border_colour=BORDER_STYLE["color"],
        province_fill=PROVINCE_STYLE["fillColor"], province_edge=PROVINCE_STYLE["color"],
        mention=MENTION_STYLE["fillColor"],
    )


def _svg(shape: str, colour: str, size: int, **options: Any) -> Markup:
    # shape_svg escapes every value it puts in its markup (colours, the mark), so it is safe as is.
    return Markup(shape_svg(shape, colour, size, **options))  # noqa: S704


def _swatch(colour: str) -> Markup:
    return _svg("circle", colour, 13, stroke_width=1)


def _shape_icon(shape: str) -> Markup:
    return _svg(shape, "#555555", 13, stroke_width=1)


#: Classes used by popups, tooltips, markers, labels and the legend (one stylesheet: a smaller map).
MAP_CSS = f"""
.sm-pop{{font:13px/1.4 system-ui,sans-serif;max-height:320px;overflow:auto;color:#222}}
.leaflet-popup-content{{max-width:calc(100vw - 110px)}}
.sm-pop p{{margin:4px 0 6px}}
.sm-pop table{{margin:6px 0;border-collapse:collapse}}
.sm-pop th{{text-align:left;padding-right:8px;vertical-align:top}}
.sm-h{{font-weight:700;font-size:14px}}
.sm-m{{color:#666}}
.sm-b{{font-weight:600;margin-top:4px}}
.sm-r{{margin:6px 0 2px;padding-left:8px;border-left:3px solid #bbb}}
.sm-rl{{color:#555;font-size:11px;font-weight:600}}
.sm-cl{{font:11px system-ui,sans-serif;color:#777;white-space:nowrap;transform:translate(-50%,-50%);
  text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none}}
.sm-cl.sm-focus{{font-weight:600;font-size:13px;color:#3a3a3a;letter-spacing:.08em}}
.sm-pl{{font:italic 11px system-ui,sans-serif;color:#8a4b00;white-space:nowrap;transform:translate(-50%,140%);
  text-shadow:0 0 3px #fff;pointer-events:none}}
.strike-marker{{position:relative}}
.sm-ring{{border-radius:50%}}
.sm-date{{display:none;position:absolute;left:100%;top:50%;transform:translate(4px,-50%);white-space:nowrap;
  font:600 11px system-ui,sans-serif;color:#222;background:rgba(255,255,255,.9);border-left:3px solid;
  padding:0 3px;border-radius:2px;pointer-events:none}}
.sm-dates .sm-date{{display:block}}
.strike-legend{{background:rgba(255,255,255,.94);padding:6px 9px;border-radius:6px;
  box-shadow:0 1px 4px rgba(0,0,0,.3);font:11px/1.35 system-ui,sans-serif;color:#222;
  max-width:{LEGEND_WIDTH_PX}px;box-sizing:border-box;max-height:55vh;overflow:auto}}
.strike-legend summary{{cursor:pointer;font-weight:700;font-size:12px}}
.sm-lg-t{{font-weight:600;margin:5px 0 2px}}
.sm-lg-i{{display:flex;align-items:center;gap:5px}}
.leaflet-control-attribution{{max-width:60%;font-size:10px;line-height:1.3;white-space:normal}}
.leaflet-bottom.leaflet-left{{z-index:1001}}
.leaflet-control-scale{{margin-bottom:6px}}
.sm-time{{background:#fff;padding:3px 6px;display:flex;align-items:center;gap:6px;font:12px system-ui,sans-serif}}
.sm-time button{{border:0;background:#fff;cursor:pointer;font-size:13px;width:22px}}
.sm-time input{{width:130px}}
.sm-time-label{{white-space:nowrap;min-width:118px}}
.sm-found-label{{font:600 12px system-ui,sans-serif;background:#fffbe6;border:1px solid #111}}
"""


def place_radius(count: int) -> float:
    """Circle radius in pixels: area grows with the number of mentions."""
    import math

    return round(4.0 + 3.2 * math.sqrt(max(count, 1)), 1)


__all__: Sequence[Any] = (
    "MAP_CSS", "arrow_tooltip", "arrowhead_html", "event_popup_html", "event_tooltip", "legend_html",
    "marker_html", "place_radius", "place_tooltip",
)


_CHOICE_TIP = HTML_ENV.from_string("""\
<b>{{ c.name }}</b>{% if c.kind or c.country_code %} ({{ [c.kind, c.country_code]|select|join(", ") }}){% endif %}\
{% if role %}<br>{{ role }}{% endif %}""")


def choice_tooltip(choice: Any, role: str = "") -> str:
    """A place a mention may point at (geo.views.mentions.PlaceChoice), and its role (current choice...)."""
    return _CHOICE_TIP.render(c=choice, role=role)
