"""The browser loop on an incident the code was never tuned on (tests/data/ingest): create it, upload three
reports, propose and review events, see the map and table change, mark a briefing, add a fourth report,
see it under "since the last briefing", export the PNG; a second analyst's conflicting edit; hostile uploads.

A real Streamlit server with a real SQLite store in a temp dir (STRIKE_MAP_DATABASE_URL), system Chromium.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from geo.store import intake, repo
from geo.store.engine import URL_ENV, open_store
from geo.store.ingest import Upload
from geo.store.migrate import upgrade
from geo.store.models import Mention
from tests.browser_support import BrowserPage, start_streamlit, stop
from tests.ingest.conftest import DATA, REPORTS, add_uploads, zip_bomb_docx

pytestmark = pytest.mark.browser
TIMEOUT = 120_000
#: the first page of a fresh server loads the seed dataset and the gazetteer (slow on a busy machine)
FIRST_LOAD = 400_000
TITLE = "Thailand–Cambodia border clashes, July 2025"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('ingest-store') / 'store.sqlite'}"


@pytest.fixture(scope="module")
def ingest_app(tmp_path_factory: pytest.TempPathFactory, store_url: str) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("ingest-app")
    server = start_streamlit(folder, env={URL_ENV: store_url})
    try:
        yield server.base_url
    finally:
        stop(server.process)


def _settled(page) -> None:
    """Wait until Streamlit has finished the rerun (no stale elements left from the previous one)."""
    page.wait_for_function("() => document.querySelectorAll('[data-stale=\"true\"]').length === 0 && "
                           "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)


def _retrying(page, action: Callable[[], None], attempts: int = 3) -> None:
    """Run a UI step again when a Streamlit rerun replaced the elements under it (detached, duplicated)."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        try:
            action()
            return
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            _settled(page)


def _choose(page, combo, text: str) -> None:
    """Pick the option containing text in a Streamlit selectbox: type to filter, then take the match."""
    combo.click()
    combo.fill(text)
    page.get_by_role("option").filter(has_text=text).first.click()


def _name(page, who: str) -> None:
    box = page.get_by_label("Your name (for the change log)")
    box.fill(who)
    box.press("Enter")


def _upload(page, paths: list[Path]) -> None:
    # after a batch the page reruns with a fresh uploader; wait until the old one is gone
    page.wait_for_function("() => document.querySelectorAll('input[type=file]').length === 1", timeout=TIMEOUT)
    page.locator('input[type="file"]').set_input_files([str(p) for p in paths])
    page.get_by_role("button", name="Add reports").click()


def _propose(page, report: str, quote: str, event_type: str, day: str, place: str, killed: str = "") -> None:
    def fill() -> None:
        _settled(page)
        if not page.get_by_label("Quote (verbatim from the report)").filter(visible=True).count():
            page.get_by_text("Propose an event from a quote").click()
        form = page.locator('[data-testid="stForm"]').filter(has_text="Quote (verbatim").filter(visible=True).first
        quote_box = form.get_by_label("Quote (verbatim from the report)")
        quote_box.wait_for(timeout=TIMEOUT)
        _choose(page, form.get_by_role("combobox").first, report)
        quote_box.fill(quote)
        form.get_by_label("Event type").fill(event_type)
        form.get_by_label("Date (YYYY-MM-DD)").fill(day)
        form.get_by_label("Place").fill(place)
        form.get_by_label("Killed (at least)").fill(killed)
        form.get_by_role("button", name="Propose").click()

    _retrying(page, fill)
    page.get_by_text("event proposed").wait_for(timeout=TIMEOUT)


def _pick_event(page, label_part: str) -> None:
    _settled(page)
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Event", exact=True))
    combo = box.get_by_role("combobox")
    if label_part in (combo.input_value() or ""):
        return
    _retrying(page, lambda: _choose(page, combo, label_part))
    page.wait_for_function("([sel, part]) => [...document.querySelectorAll(sel)].some(e => e.value.includes(part))",
                           arg=['[data-testid="stSelectbox"] input[aria-label="Event"]', label_part], timeout=TIMEOUT)
    _settled(page)


def _act(page, action: str, confirm: str) -> None:
    """Click an action, then its confirmation (the click is repeated if a rerun swallowed it)."""
    confirm_button = page.get_by_role("button", name=confirm)
    for _ in range(3):
        _settled(page)
        page.get_by_role("button", name=action, exact=True).filter(visible=True).first.click()
        try:
            confirm_button.wait_for(timeout=20_000)
            break
        except Exception:  # playwright's TimeoutError: the rerun dropped the click
            continue
    confirm_button.click()


def test_from_reports_to_a_briefing(ingest_app: str, browser_page: BrowserPage,
                                    tmp_path: Path) -> None:
    page = browser_page.page
    page.goto(f"{ingest_app}/add-reports")
    page.get_by_role("button", name="Create incident").wait_for(timeout=FIRST_LOAD)
    page.get_by_label("Title").first.fill(TITLE)
    page.get_by_label("Countries of interest (ISO codes)").fill("TH, KH")
    page.get_by_role("button", name="Create incident").click()
    page.wait_for_url("**incident=thailand-cambodia-border-clashes-july-2025*", timeout=TIMEOUT)
    _name(page, "ana")
    _upload(page, [DATA / name for name in REPORTS[:3]])
    for key in ("thai-cambodia-1", "thai-cambodia-2", "thai-cambodia-3"):
        page.get_by_text(f"added as '{key}'").wait_for(timeout=TIMEOUT)
    page.get_by_text("Last batch: progress per file").click()
    page.get_by_text("thai-cambodia-2.html: parsing → places → events → done").wait_for(timeout=TIMEOUT)
    _upload(page, [DATA / REPORTS[0]])
    page.get_by_text("same content as report 'thai-cambodia-1'").wait_for(timeout=TIMEOUT)

    page.get_by_role("link", name="Review").click()
    page.get_by_text("Propose an event from a quote").wait_for(timeout=TIMEOUT)
    _propose(page, "thai-cambodia-1", "a rocket hit a petrol station in Kantharalak district", "rocket strike",
             "2025-07-24", "Kantharalak", "12")
    _propose(page, "thai-cambodia-2", "one civilian was killed and five were wounded in Oddar Meanchey province",
             "air strike", "2025-07-24", "Oddar Meanchey", "1")
    _propose(page, "thai-cambodia-3", "Cambodian troops shelled Thai positions near the Preah Vihear temple",
             "shelling", "2025-07-26", "")
    _pick_event(page, "rocket-strike-kantharalak")
    page.locator(".report-text .quote").first.wait_for(timeout=TIMEOUT)  # the quote marked in the text
    _act(page, "Accept", "Confirm: accept")
    page.get_by_text(": accepted").wait_for(timeout=TIMEOUT)
    _pick_event(page, "air-strike-oddar")
    _act(page, "Accept", "Confirm: accept")
    page.get_by_text(": accepted").wait_for(timeout=TIMEOUT)
    _pick_event(page, "shelling-2025")
    _act(page, "Reject", "Confirm: reject")
    page.get_by_text(": rejected").wait_for(timeout=TIMEOUT)

    page.get_by_text("Accepted", exact=True).click()
    _pick_event(page, "rocket-strike-kantharalak")
    page.get_by_role("button", name="Edit", exact=True).filter(visible=True).first.click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Save edit").filter(visible=True).first
    form.get_by_label("Killed (low)").fill("14")
    form.get_by_label("Quote").fill("raised its toll to 14 dead")
    _choose(page, form.get_by_role("combobox"), "thai-cambodia-2")
    form.get_by_role("button", name="Save edit").click()
    page.get_by_text("saved (fatalities_low)").wait_for(timeout=TIMEOUT)

    page.get_by_role("link", name="Map").click()
    page.get_by_role("heading", name=TITLE).wait_for(timeout=TIMEOUT)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".leaflet-marker-icon.strike-marker-icon").nth(1).wait_for(timeout=TIMEOUT)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=TIMEOUT)
    page.get_by_text("2 of 2 events").wait_for(timeout=TIMEOUT)

    page.get_by_role("link", name="What changed").click()
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name="Download the briefing PNG").click()
    png = tmp_path / "briefing.png"
    download.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.get_by_role("button", name="Mark briefing as given").click()
    page.get_by_text("Nothing changed since the last briefing.").wait_for(timeout=TIMEOUT)

    page.get_by_role("link", name="Add reports").click()
    _upload(page, [DATA / REPORTS[3]])
    page.get_by_text("added as 'thai-cambodia-4'").wait_for(timeout=TIMEOUT)
    page.get_by_role("link", name="What changed").click()
    page.get_by_text("New reports (1)").wait_for(timeout=TIMEOUT)
    page.get_by_text("new report thai-cambodia-4").wait_for(timeout=TIMEOUT)
    assert browser_page.external_requests() == []


def _accepted_event(store_url: str) -> str:
    """An incident with one report and one accepted event, made through the store's API (not the UI)."""
    store = open_store(store_url)
    upgrade(store)
    try:
        slug = store.write(lambda s: intake.create_incident(s, "Conflict test", ("TH", "KH"), "setup").slug)
        add_uploads(store, slug, [Upload(REPORTS[1], (DATA / REPORTS[1]).read_bytes())], "setup")

        def work(session: repo.Session) -> None:
            incident = repo.require_incident(session, slug)
            repo.upsert_event(session, incident, "clash-oddar-meanchey", {
                "event_type": "air strike", "date": "2025-07-24", "date_precision": "day",
                "place": "Oddar Meanchey", "fatalities_low": 1, "status": "accepted"}, "setup")

        store.write(work)
    finally:
        store.dispose()
    return slug


def test_a_second_analyst_gets_the_conflict_message(ingest_app: str, store_url: str, browser_context) -> None:
    slug = _accepted_event(store_url)
    first, second = browser_context.new_page(), browser_context.new_page()
    try:
        for page, who in ((first, "ana"), (second, "ben")):
            page.goto(f"{ingest_app}/review?incident={slug}")
            page.get_by_text("Propose an event from a quote").wait_for(timeout=FIRST_LOAD)
            _name(page, who)
            _settled(page)
            page.get_by_text("Accepted", exact=True).click()
            _pick_event(page, "clash-oddar-meanchey")
            page.get_by_role("button", name="Edit", exact=True).filter(visible=True).first.click()
            page.locator('[data-testid="stForm"]').filter(has_text="Save edit").wait_for(timeout=TIMEOUT)
        for page, killed in ((first, "2"), (second, "3")):
            form = page.locator('[data-testid="stForm"]').filter(has_text="Save edit").filter(visible=True).first
            form.get_by_label("Killed (low)").fill(killed)
            form.get_by_role("button", name="Save edit").click()
            if page is first:
                first.get_by_text("saved (fatalities_low)").wait_for(timeout=TIMEOUT)
        second.get_by_text("was changed by ana since you opened it").wait_for(timeout=TIMEOUT)
        second.get_by_text("Their values and yours (nothing was lost)").wait_for(timeout=TIMEOUT)
        second.get_by_text("Your edit (not saved)").wait_for(timeout=TIMEOUT)
        assert "3" in second.locator('[data-testid="stJson"]').last.inner_text()
    finally:
        first.close()
        second.close()


def test_hostile_uploads_shown_as_text_or_refused(ingest_app: str, store_url: str, browser_page: BrowserPage,
                                                  tmp_path: Path) -> None:
    store = open_store(store_url)
    upgrade(store)
    slug = store.write(lambda s: intake.create_incident(s, "Hostile uploads", (), "setup").slug)
    store.dispose()
    page = browser_page.page
    page.goto(f"{ingest_app}/add-reports?incident={slug}")
    page.get_by_role("button", name="Add reports").wait_for(timeout=FIRST_LOAD)
    files = {
        "script.txt": b"Clash near <script>window.pwned=1</script> Surin {{ 7*7 }}\n",
        "binary.txt": bytes(range(256)) * 8,
        "bomb.docx": zip_bomb_docx(60),
        "latin1.txt": "Surin — café".encode("cp1252"),
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    _upload(page, paths)
    page.get_by_text("added as 'script'").wait_for(timeout=TIMEOUT)
    page.get_by_text("binary.txt: looks like a binary file").wait_for(timeout=TIMEOUT)
    page.get_by_text("bomb.docx: refused, it would expand").wait_for(timeout=TIMEOUT)
    page.get_by_text("latin1.txt: not UTF-8 text").wait_for(timeout=TIMEOUT)
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"a" * (6 * 1024 * 1024))
    _settled(page)
    page.wait_for_function("() => document.querySelectorAll('input[type=file]').length === 1", timeout=TIMEOUT)
    page.locator('input[type="file"]').set_input_files(str(huge))
    page.get_by_text("File must be 5.0MB or smaller", exact=False).or_(
        page.get_by_text("5MB", exact=False)).first.wait_for(timeout=TIMEOUT)
    page.get_by_role("link", name="Review").click()
    page.get_by_text("Propose an event from a quote").wait_for(timeout=TIMEOUT)
    page.get_by_text("Candidates", exact=True).wait_for(timeout=TIMEOUT)
    assert page.evaluate("() => window.pwned") is None
    assert browser_page.external_requests() == []


def _marker_place(page, css: str) -> tuple[float, float]:
    """Where the small map draws its marker of this class (Leaflet's own latitude and longitude), once drawn."""
    _settled(page)
    frame = _mention_map(page)
    frame.locator(f"path.{css}").wait_for(timeout=TIMEOUT)
    lat, lon = frame.locator("body").evaluate(
        """(body, css) => {
            const maps = Object.values(window).filter(v => v instanceof L.Map);
            let found = null;
            maps.forEach(m => m.eachLayer(l => {
                if (l.options && l.options.className === css) found = l.getLatLng();
            }));
            return [found.lat, found.lng];
        }""", css)
    return float(lat), float(lon)


MENTION_MAP = "iframe[title='streamlit_folium.st_folium']"


def _mention_map(page):
    """The small map's frame (a mention picked a moment ago may leave an empty, hidden component behind)."""
    return page.locator(MENTION_MAP).filter(visible=True).first.content_frame


def test_correcting_a_place_mention_moves_its_marker(ingest_app: str, store_url: str,
                                                     browser_page: BrowserPage) -> None:
    store = open_store(store_url)
    upgrade(store)
    slug = store.write(lambda s: intake.create_incident(s, "Mention test", ("TH", "KH"), "setup").slug)
    add_uploads(store, slug, [Upload(REPORTS[0], (DATA / REPORTS[0]).read_bytes())], "setup")
    store.dispose()
    page = browser_page.page
    page.goto(f"{ingest_app}/review?incident={slug}")
    page.get_by_role("heading", name="Place mentions").wait_for(timeout=FIRST_LOAD)
    _name(page, "dara")
    _settled(page)
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Mention to correct", exact=True))
    _retrying(page, lambda: _choose(page, box.get_by_role("combobox"), "“Surin”"))
    _settled(page)
    before = _marker_place(page, "mention-current")
    places = page.locator('[data-testid="stRadio"]').filter(has_text="Places of that name")
    other = places.locator("label").filter(has_text=", TH)").filter(has_not_text="✓").first
    chosen = other.inner_text().strip()
    other.click()
    _settled(page)
    considered = _marker_place(page, "mention-considered")
    page.get_by_role("button", name="Use this place").click()
    page.get_by_role("button", name="Confirm the place").click()
    page.get_by_text("“Surin” now points at").wait_for(timeout=TIMEOUT)
    _mention_map(page).locator("path.mention-considered").wait_for(state="detached", timeout=TIMEOUT)
    after = _marker_place(page, "mention-current")
    assert _mention_map(page).locator("path.mention-considered").count() == 0  # the one chosen is now current
    assert after != before and after == considered  # the current marker moved to the place chosen
    assert f"{after[0]:.3f}, {after[1]:.3f}" in chosen
    store = open_store(store_url)
    with store.read() as session:
        corrected = [m for m in session.scalars(select(Mention)) if m.correction is not None]
    store.dispose()
    assert [(m.mention, m.corrected_by) for m in corrected] == [("Surin", "dara")]
    assert browser_page.external_requests() == []
