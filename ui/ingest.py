"""Add reports: a new incident, then files or pasted text into it, with progress per file and each
report's title, publisher and publication date correctable in place. Logic: geo.store.ingest (the same
function as `python -m geo ingest`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from geo.corpus.documents import DEFAULT_LIMITS, MB, SUPPORTED_SUFFIXES
from geo.store import intake
from geo.store.engine import StoreError
from geo.store.ingest import IngestRequest, IngestResult, Outcome, Upload, ingest
from geo.store.models import Report
from geo.views.review import report_choices
from geo.views.sources import markdown_text
from ui.shared import acting_user, choose_incident, current_incident, incident_title, store

UPLOADER_ROUND = "_uploader_round"
LAST_BATCH = "_ingest_last_batch"
REDATED = "_ingest_redated"


def _new_incident_form() -> None:
    with st.form("new_incident", clear_on_submit=False):
        st.markdown("**New incident**")
        title = st.text_input("Title", max_chars=160, placeholder="e.g. Thailand–Cambodia border clashes, July 2025")
        countries = st.text_input("Countries of interest (ISO codes)", placeholder="TH, KH", max_chars=100)
        cols = st.columns(2)
        since = cols[0].date_input("From (optional)", value=None, format="YYYY-MM-DD")
        until = cols[1].date_input("Until (optional)", value=None, format="YYYY-MM-DD")
        if not st.form_submit_button("Create incident", type="primary"):
            return
    try:
        codes = intake.parse_countries(countries)
        slug = store().write(lambda s: intake.create_incident(s, title, codes, acting_user(),
                                                              (_day(since), _day(until))).slug)
    except StoreError as exc:
        st.error(markdown_text(str(exc)))
        return
    choose_incident(slug)
    st.rerun()


def _day(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _add_reports(slug: str) -> None:
    st.markdown(f"Files: {', '.join(SUPPORTED_SUFFIXES)} · up to {DEFAULT_LIMITS.file_bytes // MB} MB each, "
                f"{DEFAULT_LIMITS.batch_bytes // MB} MB per batch.")
    round_ = st.session_state.setdefault(UPLOADER_ROUND, 0)
    files = st.file_uploader("Report files", accept_multiple_files=True, key=f"uploads_{round_}",
                             max_upload_size=DEFAULT_LIMITS.file_bytes // MB)
    pasted = st.text_area("…or paste a report's text", key=f"paste_{round_}", height=140)
    if not st.button("Add reports", type="primary", disabled=not (files or pasted.strip())):
        return
    uploads = [Upload(f.name, f.getvalue()) for f in files or []]
    if pasted.strip():
        uploads.append(Upload.paste(pasted))
    st.session_state[LAST_BATCH] = _run(slug, uploads)
    st.session_state[UPLOADER_ROUND] = round_ + 1  # a fresh, empty uploader
    st.rerun()


def _run(slug: str, uploads: list[Upload]) -> tuple[IngestResult, dict[str, list[str]]]:
    bars: dict[str, Any] = {}
    steps: dict[str, list[str]] = {}

    def progress(name: str, step: str, fraction: float) -> None:
        if name not in bars:
            bars[name] = st.progress(0.0)
        steps.setdefault(name, []).append(step)
        bars[name].progress(fraction, text=markdown_text(f"{name}: {step}"))

    with st.status("Adding reports…", expanded=True) as status:
        try:
            result = ingest(store(), IngestRequest(slug, uploads, acting_user()), progress)
        except (StoreError, ValueError) as exc:  # nothing was stored: the batch is one transaction
            result = IngestResult(outcomes=[Outcome("this batch", "refused", f"not added: {exc}")])
        status.update(label="Reports added", state="complete", expanded=True)
    return result, steps


def _last_batch() -> None:
    """The last batch's steps per file (as the live bars showed them) and what became of each file."""
    batch = st.session_state.get(LAST_BATCH)
    if not batch:
        return
    result, steps = batch
    with st.expander("Last batch: progress per file", expanded=False):
        for name, seen in steps.items():
            st.progress(1.0, text=markdown_text(f"{name}: {' → '.join(seen)}"))
    _show_outcomes(result.outcomes)
    for note in result.notes:
        st.caption(markdown_text(note))


def _show_outcomes(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        shown = markdown_text(outcome.message)
        if outcome.status == "added":
            st.success(shown, icon=":material/check_circle:")
        elif outcome.status == "duplicate":
            st.info(shown, icon=":material/content_copy:")
        else:
            st.error(shown, icon=":material/block:")


def _report_metadata(slug: str) -> None:
    with store().read() as session:
        choices = report_choices(session, slug)
        reports = {rid: session.get(Report, rid) for rid in choices}
    if not reports:
        st.caption("No reports in this incident yet.")
        return
    st.subheader("Reports in this incident")
    st.caption("Correct what the text said about itself. A new publication date re-dates at once the candidate and "
               "accepted events whose date came from one of the report's relative phrases ('yesterday', 'on "
               "Tuesday', 'earlier this month'); a date an analyst set by hand is never overwritten.")
    _redating_notice()
    for rid, report in reports.items():
        assert report is not None
        with st.expander(markdown_text(choices[rid])), st.form(f"report_{rid}"):
            title = st.text_input("Title", value=report.title, max_chars=300)
            publisher = st.text_input("Publisher", value=report.publisher, max_chars=120)
            published = st.date_input("Published", value=report.published, format="YYYY-MM-DD")
            st.caption(markdown_text(f"Date: {report.date_method} {report.date_note}".strip()))
            if st.form_submit_button("Save"):
                changes = {"title": title.strip(), "publisher": publisher.strip(), "published": _day(published)}
                changes = {k: v for k, v in changes.items() if getattr(report, k) != v}
                if changes:
                    redating = store().write(lambda s, rid=rid, changes=changes: intake.update_report(
                        s, rid, changes, acting_user()))
                    st.session_state[REDATED] = (report.key, redating)
                    st.rerun()


def _redating_notice() -> None:
    """What the last publication-date correction did to event dates (shown once, after the save)."""
    shown = st.session_state.pop(REDATED, None)
    if not shown:
        return
    key, redating = shown
    lines = [f"{r.event_key}: {r.before} → {r.after} (“{r.phrase}”)" for r in redating.redated]
    if lines:
        st.success(markdown_text(f"{key}: dates re-resolved against the new publication date: " + "; ".join(lines)),
                   icon=":material/event_repeat:")
    for kept in redating.kept:
        st.info(markdown_text(f"{kept.event_key} keeps {kept.date}: {kept.why}"), icon=":material/lock:")


slug = current_incident()
st.title("Add reports")
if not slug:
    st.info(markdown_text(f"The curated incident ({incident_title()}) comes from its files in data/. Create an "
                          "incident (or pick one in the sidebar) to add reports in the browser."))
    _new_incident_form()
else:
    st.caption(markdown_text(f"Incident: {incident_title()}"))
    with st.expander("New incident"):
        _new_incident_form()
    _last_batch()
    _add_reports(slug)
    _report_metadata(slug)
