"""Sources page: where the reports disagree (the first tab, what an analyst looks for first), and each report
with the places it names and the events it supports."""

from __future__ import annotations

import streamlit as st

from geo.events.table import disagreements
from geo.views.sources import (
    claim_card_html,
    disagreement_heading,
    highlight_html,
    legend_html,
    markdown_text,
    mention_spans,
    quote_spans,
)
from ui.shared import (
    corpus,
    current_filter,
    dataset,
    event_table,
    report_labels,
    short_report_labels,
)

table = event_table()
articles = corpus().articles
labels = report_labels()
mentions = dataset().mentions

st.title("Sources")
found = disagreements(table)
flt = current_filter()
DISAGREE_TAB = f"Where the reports disagree ({len(found)})"
REPORT_TAB = "Read a report"
# the disagreements first, where an analyst looks first; a link narrowed to reports opens on the report
disagree_tab, report_tab = st.tabs([DISAGREE_TAB, REPORT_TAB], default=REPORT_TAB if flt.reports else DISAGREE_TAB)

with disagree_tab:
    st.caption("Each value with the reports that give it, in their own words. Nothing is silently picked.")
    for d in found:
        st.markdown(f"**{markdown_text(disagreement_heading(d.event_id, d.field, d.contradicts))}**")
        columns = st.columns(len(d.values) + (1 if d.reference else 0))
        for column, (value, reports) in zip(columns, d.values, strict=False):
            quotes = [(c.report_id, c.quote) for c in table.claims
                      if c.event_id == d.event_id and c.field == d.field and c.report_id in reports]
            column.html(claim_card_html(value, reports, quotes, short_report_labels()))
        if d.reference:
            columns[-1].html(claim_card_html(d.reference, ["our measurement"], [], {}))

with report_tab:
    for problem in corpus().problems:
        st.warning(markdown_text(problem))

    ids = [a.id for a in articles]
    choices = [i for i in ids if not flt.reports or i in flt.reports] or ids
    report_id = st.selectbox("Report", choices, format_func=lambda r: labels.get(r, r), key="source_report")
    article = corpus().by_id()[report_id]
    claims = [c for c in table.claims if c.report_id == report_id]

    meta = [f"published {article.published:%d %b %Y}" if article.published else "publication date unknown"]
    if article.publisher:
        meta.append(article.publisher)
    if article.date_note:
        meta.append(article.date_note)
    st.caption(markdown_text(" · ".join(meta)))

    left, right = st.columns([3, 2], gap="large")
    with left:
        st.html(legend_html())
        spans = mention_spans(mentions.get(report_id, [])) + quote_spans(article.text, claims)
        st.html(highlight_html(article.text, spans))
    with right:
        by_event = table.by_id()
        supported = sorted({c.event_id for c in claims if c.event_id in by_event})
        st.markdown(f"**Events this report supports ({len(supported)})**")
        for event_id in supported:
            event = by_event[event_id]
            heading = f"{event.date_label} · {event.actor} → {event.target or '—'} · {event.place}"
            with st.expander(markdown_text(heading)):
                st.caption(markdown_text(f"{event.event_type} · fatalities {event.fatalities_label} · id {event.id}"))
                for claim in (c for c in claims if c.event_id == event_id):
                    st.markdown(f"- **{markdown_text(claim.field)}** = {markdown_text(claim.value)}")
                    st.text(claim.quote)
        facts = sorted({c.event_id for c in claims if c.event_id not in by_event})
        for fact_id in facts:
            st.markdown(f"**Fact:** {markdown_text(fact_id)}")
            for claim in (c for c in claims if c.event_id == fact_id):
                st.text(f"{claim.field} = {claim.value}: {claim.quote}")
        places = mentions.get(report_id, [])
        counts: dict[str, int] = {}
        for m in places:
            counts[m.name] = counts.get(m.name, 0) + 1
        st.markdown(f"**Places named ({len(counts)})**")
        st.dataframe(
            [{"place": name, "mentions": n} for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
            hide_index=True, width="stretch",
        )
