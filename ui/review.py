"""Review: candidate events beside the report text with their quotes marked; accept, edit, merge, split or
reject (each a click and a confirmation); propose an event from a quote; correct place mentions on a small map
(ui/mention_review.py). What to show: geo.views.review."""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.store import intake, repo
from geo.store.engine import StoreError
from geo.views.review import (
    EDITABLE,
    EventView,
    changed_fields,
    event_views,
    parse_edit,
    place_in_report,
    report_choices,
    report_html,
)
from geo.views.sources import legend_html, markdown_text
from ui.mention_review import mention_section
from ui.shared import acting_user, current_incident, incident_title, store

PENDING = "_review_pending"
STATUS_VIEWS = {"Candidates": ("candidate",), "Accepted": ("accepted",), "Rejected": ("rejected",)}
ACTIONS = {"accept": "Accept", "reject": "Reject", "edit": "Edit", "merge": "Merge", "split": "Split"}


def _ask(action: str, view: EventView) -> None:
    """Remember what the analyst asked for and the event as they saw it (version and values), so a later
    change by someone else is caught and their own typing is kept."""
    st.session_state[PENDING] = {"action": action, "event_id": view.id, "version": view.version, "key": view.key,
                                 "seen": view}


def _done(message: str) -> None:
    st.session_state.pop(PENDING, None)
    st.session_state["_review_notice"] = message


def _write(work: Any, message: str) -> None:
    """Run a store write; a conflict or a refused value is said clearly and the request kept for another go."""
    try:
        store().write(work)
    except repo.StaleEdit as exc:
        st.session_state["_review_conflict"] = {"message": str(exc), "theirs": exc.current,
                                                "yours": exc.attempted}
        st.session_state.pop(PENDING, None)
        st.rerun()
    except (StoreError, ValueError) as exc:
        st.error(markdown_text(str(exc)))
        return
    _done(message)
    st.rerun()


def _event_card(view: EventView) -> None:
    st.markdown(markdown_text(view.label))
    shown = {EDITABLE[k]: ("" if v is None else str(v)) for k, v in view.values.items() if k in EDITABLE}
    shown |= {"Status": view.status, "Version": str(view.version), "Last changed by": view.updated_by,
              "Why proposed": view.values.get("reason") or ""}
    st.dataframe({"field": list(shown), "value": list(shown.values())}, hide_index=True, width="stretch")
    for claim in view.claims:
        st.markdown(markdown_text(f"{claim.report_key} · {claim.field} = {claim.value}: “{claim.quote}”"))
    cols = st.columns(len(ACTIONS))
    for col, (action, label) in zip(cols, ACTIONS.items(), strict=True):
        col.button(label, key=f"{action}_{view.id}", on_click=_ask, args=(action, view), width="stretch")


def _confirm(view: EventView, others: list[EventView], reports: dict[int, str]) -> None:
    pending = st.session_state.get(PENDING)
    if not pending or pending["event_id"] != view.id:
        return
    action, version, who = pending["action"], pending["version"], acting_user()
    with st.container(border=True):
        if action in ("accept", "reject"):
            reason = st.text_input("Reason (optional)", key=f"reason_{view.id}") if action == "reject" else ""
            if st.button(f"Confirm: {ACTIONS[action].lower()} {view.key}", type="primary"):
                status = "accepted" if action == "accept" else "rejected"
                _write(lambda s: repo.set_status(s, view.id, status, who, reason, expected_version=version),
                       f"{view.key}: {status}")
        elif action == "edit":
            _edit_form(pending["seen"], version, reports)
        elif action == "merge":
            _merge_form(view, others)
        elif action == "split":
            _split_form(view)
        st.button("Cancel", key=f"cancel_{view.id}", on_click=lambda: st.session_state.pop(PENDING, None))


def _edit_form(view: EventView, version: int, reports: dict[int, str]) -> None:
    # keyed by the version the analyst opened: another analyst's save never resets what this one typed
    prefix = f"edit_{view.id}_v{version}"
    with st.form(prefix):
        st.markdown(markdown_text(f"Edit {view.key} (as of version {version})"))
        raw = {name: st.text_input(label, value="" if view.values.get(name) is None else str(view.values[name]),
                                   key=f"{prefix}_{name}")
               for name, label in EDITABLE.items()}
        st.markdown("The quote that supports the change (verbatim from the report):")
        report_id = st.selectbox("Report", list(reports), format_func=lambda r: reports[r], key=f"{prefix}_report")
        quote = st.text_area("Quote", height=70, key=f"{prefix}_quote")
        if not st.form_submit_button("Save edit", type="primary"):
            return
    try:
        changes = changed_fields(view, parse_edit(raw))
    except ValueError as exc:
        st.error(markdown_text(str(exc)))
        return

    def work(session: Any) -> None:
        repo.edit_event(session, view.id, changes, version, acting_user())
        if quote.strip():
            for name, value in changes.items():
                intake.add_event_claim(session, view.id, report_id, _claim_field(name), str(value), quote.strip(),
                                       acting_user())

    _write(work, f"{view.key}: saved ({', '.join(changes) or 'no field changed'})")


def _claim_field(name: str) -> str:
    return "fatalities" if name.startswith("fatalities") else name


def _merge_form(view: EventView, others: list[EventView]) -> None:
    choices = {o.id: o.label for o in others if o.id != view.id}
    if not choices:
        st.caption("No other event to merge with.")
        return
    other = st.selectbox("Merge into this event", list(choices), format_func=lambda i: choices[i])
    if st.button(f"Confirm: merge into {view.key}", type="primary"):
        _write(lambda s: repo.merge_events(s, view.id, [other], acting_user()), f"merged into {view.key}")


def _split_form(view: EventView) -> None:
    claims = {c.id: f"{c.report_key} · {c.field} = {c.value}" for c in view.claims}
    if len(claims) < 2:
        st.caption("An event needs two claims or more to be split.")
        return
    picked = st.multiselect("Claims that belong to another event", list(claims), format_func=lambda c: claims[c])
    new_key = st.text_input("Key of the new event", value=f"{view.key}-b", max_chars=120)
    if st.button("Confirm: split", type="primary", disabled=not picked):
        _write(lambda s: repo.split_event(s, view.id, picked, new_key.strip(), acting_user()),
               f"{view.key}: split to {new_key}")


def _propose_form(slug: str, reports: dict[int, str]) -> None:
    with st.expander("Propose an event from a quote"), st.form("propose", clear_on_submit=True):
        report_id = st.selectbox("Report", list(reports), format_func=lambda r: reports[r])
        quote = st.text_area("Quote (verbatim from the report)", height=70)
        cols = st.columns(3)
        event_type = cols[0].text_input("Event type", placeholder="armed clash")
        day = cols[1].text_input("Date (YYYY-MM-DD)")
        place = cols[2].text_input("Place")
        actor = cols[0].text_input("Actor")
        killed = cols[1].text_input("Killed (at least)")
        if not st.form_submit_button("Propose", type="primary"):
            return
    try:
        values = parse_edit({"event_type": event_type, "date": day, "place": place, "actor": actor,
                             "fatalities_low": killed})
    except ValueError as exc:
        st.error(markdown_text(str(exc)))
        return
    values = {k: v for k, v in values.items() if v not in ("", None)}

    def work(session: Any) -> None:
        incident = repo.require_incident(session, slug)
        key = intake.slug_for(" ".join(str(v) for v in (event_type, place, day) if v) or "event",
                              [v.key for v in event_views(session, slug, ("candidate", "accepted", "rejected"))])
        located = place_in_report(session, report_id, place)
        extra = {"date_precision": "day" if day else "", "reason": "proposed by an analyst"} | located
        event = repo.upsert_event(session, incident, key, values | extra, acting_user())
        session.flush()
        for name, value in values.items():
            intake.add_event_claim(session, event.id, report_id, _claim_field(name), str(value), quote.strip(),
                                   acting_user())

    _write(work, "event proposed")


def _notices() -> None:
    if notice := st.session_state.pop("_review_notice", None):
        st.success(markdown_text(notice), icon=":material/check_circle:")
    if conflict := st.session_state.pop("_review_conflict", None):
        st.error(markdown_text(conflict["message"]), icon=":material/warning:")
        with st.expander("Their values and yours (nothing was lost)", expanded=True):
            cols = st.columns(2)
            cols[0].markdown("**Stored now**")
            cols[0].json({k: conflict["theirs"].get(k) for k in conflict["yours"]})
            cols[1].markdown("**Your edit (not saved)**")
            cols[1].json(conflict["yours"])


def _page(slug: str) -> None:
    st.caption(markdown_text(f"Incident: {incident_title()}"))
    _notices()
    which = st.radio("Show", list(STATUS_VIEWS), horizontal=True, key="review_status")
    with store().read() as session:
        views = event_views(session, slug, STATUS_VIEWS[which])
        everything = event_views(session, slug, ("candidate", "accepted"))
        reports = report_choices(session, slug)
    if not reports:
        st.info("No reports in this incident yet: add some on the Add reports page.")
        return
    _propose_form(slug, reports)
    if views:
        _events(views, everything, reports)
    else:
        st.caption(f"No {which.lower()} events.")
    st.divider()
    mention_section(reports)


def _events(views: list[EventView], everything: list[EventView], reports: dict[int, str]) -> None:
    labels = {v.id: v.label for v in views}
    chosen = st.selectbox("Event", list(labels), format_func=lambda i: labels[i], key="review_event")
    view = next(v for v in views if v.id == chosen)
    text_col, event_col = st.columns([3, 2])
    with event_col:
        _event_card(view)
        _confirm(view, everything, reports)
    with text_col:
        shown = [r for r in view.report_ids if r in reports] or list(reports)
        report_id = st.selectbox("Report", shown, format_func=lambda r: reports[r], key=f"text_{view.id}")
        with store().read() as session:
            st.html(legend_html() + report_html(session, report_id, view.claims))


st.title("Review")
slug = current_incident()
if not slug:
    st.info("Pick an incident in the sidebar (or create one on Add reports) to review its candidate events.")
else:
    _page(slug)
