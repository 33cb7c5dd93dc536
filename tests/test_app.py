"""The session app in a real browser: `make app` (Voilà) driven by Playwright in Debian chromium.

Walks the seven steps as a clinician and patient would, fails on any browser console error
and on any request to a host other than 127.0.0.1, saves a screenshot of every step to
test-results/, downloads the summary and checks it, and shows that nothing the patient typed
was written anywhere but the download they asked for.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kypho_aid

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, files_containing, serve_app

RESULTS = ROOT / "test-results"
MARKER = f"kypho-privacy-marker-{uuid.uuid4().hex}"  # unique: no copy of this file has it
HOSTILE = f"<script>alert(1)</script><img src=x onerror=alert(2)> {MARKER}"
#: Put before the page loads: window.print, in the page and in any frame, records the text of
#: what it would print on the top window (window.__printed) instead of opening the dialog.
RECORD_PRINT = """
window.print = function () {
  var top = window.top;
  top.__printed = (top.__printed || []).concat([document.body ? document.body.innerText : ""]);
};
"""
CLIPBOARD = ["clipboard-read", "clipboard-write"]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_app(tmp_path_factory.mktemp("voila")) as (url, _):
        yield url


def test_a_full_session_in_the_browser(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    RESULTS.mkdir(exist_ok=True)
    started = time.time()
    errors: list[str] = []
    external: list[str] = []
    downloads = tmp_path / "downloads"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            downloads_path=str(downloads),
        )
        page = browser.new_page(
            viewport={"width": 1280, "height": 900}, accept_downloads=True, permissions=CLIPBOARD
        )
        page.add_init_script(RECORD_PRINT)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "request",
            lambda r: (
                external.append(r.url)
                if not re.match(r"(https?|wss?)://127\.0\.0\.1[:/]|data:|blob:", r.url)
                else None
            ),
        )
        page.goto(app_url)
        steps = page.locator(".kypho-steps")
        expect(steps).to_be_visible(timeout=120_000)

        def shot(number: int, name: str) -> None:
            page.screenshot(path=str(RESULTS / f"app-{number}-{name}.png"), full_page=False)

        # 1. the decision
        expect(page.get_by_text("It does not choose for you")).to_be_visible()
        expect(page.get_by_text("not medical advice").filter(visible=True)).to_have_count(1)
        assert "import kypho_aid" not in page.content(), "code must be stripped from the app"
        shot(1, "decision")
        # 2. compare
        page.locator(".kypho-next").click()
        expect(page.locator("table.kypho-aid-table").first).to_be_visible()
        expect(page.get_by_role("columnheader", name="Non-surgical care").first).to_be_visible()
        drawing = page.locator(".kypho-steps-drawing img")
        expect(drawing).to_have_attribute(
            "alt", re.compile(r"step 1 of \d+ of balloon kyphoplasty")
        )
        page.locator(".kypho-steps-step .slider-container").scroll_into_view_if_needed()
        page.locator(".kypho-steps-step .noUi-handle").focus()
        page.keyboard.press("End")
        expect(drawing).to_have_attribute("alt", re.compile(r"step (\d+) of \1 of balloon"))
        expect(page.locator(".kypho-steps-words")).to_contain_text("needle")
        page.locator(".kypho-next").scroll_into_view_if_needed()
        shot(2, "compare")
        # at 1024 and on a tablet, every option's column fits the screen (non-surgical care is
        # not cut off) and nothing on the page scrolls sideways
        edge = "() => document.querySelector('table.kypho-aid-table').getBoundingClientRect().right"
        sideways = """() => Math.max(...[document.scrollingElement, ...document.querySelectorAll('*')]
            .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                         || e === document.scrollingElement)
            .map(e => e.scrollWidth - e.clientWidth))"""
        for width in (1024, 768):
            page.set_viewport_size({"width": width, "height": 1024})
            try:  # the page reflows after the resize
                page.wait_for_function(f"({edge})() <= {width}", timeout=5_000)
            except PlaywrightTimeout:
                right = page.evaluate(edge)
                raise AssertionError(f"the option grid runs to {right:.0f} px on {width}") from None
            assert page.evaluate(sideways) <= 0, f"the compare step scrolls sideways at {width}"
            # the grid's title runs across it, stacked or not (not squeezed into a narrow column)
            share = """() => { const t = document.querySelector('table.kypho-aid-grid-table');
                return t.querySelector('caption').offsetWidth / t.offsetWidth; }"""
            assert page.evaluate(share) > 0.9, f"the grid's title is squeezed at {width}"
        page.set_viewport_size({"width": 1280, "height": 900})
        # 3. risks
        page.locator(".kypho-next").click()
        summary = page.locator(".kypho-risk-summary")
        expect(summary).to_contain_text("out of 100")
        page.locator(".kypho-risk-outcome select").select_option(label="Cement reaching the lungs")
        expect(summary).to_contain_text("out of 1000")
        # an outcome tile's "Talk about this" opens that outcome below, and focus follows
        page.locator(".kypho-tile-leakage_any").click()
        outcome = page.locator(".kypho-risk-outcome select")
        leakage = kypho_aid.load_dataset("outcome_definitions").set_index("outcome")
        expect(outcome).to_have_value(str(leakage.loc["leakage_any", "label"]))  # shown by label
        expect(outcome).to_be_focused()
        expect(summary).to_contain_text("out of 100")
        shot(3, "risks")
        # 4. is it for me? A wrong value is named, then corrected.
        page.locator(".kypho-next").click()
        result = page.locator(".kypho-candidacy-result")
        page.locator(".kypho-profile-pain_score input").fill("eleven")
        error = page.locator(".kypho-error-pain_score")
        expect(error).to_contain_text("such as 7")  # in plain words, under its own question
        expect(result).to_contain_text("could not be read yet")  # and the result stays
        page.locator(".kypho-profile-pain_score input").fill("8")
        page.locator(".kypho-profile-infection").get_by_role("button", name="Yes").click()
        expect(error).to_have_text("")
        page.locator(".kypho-profile-fracture_age_weeks input").fill("6 weeks")
        expect(page.locator(".kypho-error-fracture_age_weeks")).to_have_text("")
        expect(result).to_contain_text("infection", ignore_case=True)
        shot(4, "candidacy")
        # 5. what matters to me
        page.locator(".kypho-next").click()
        tradeoff = page.locator(".kypho-tradeoff-leaks_or_height")
        tradeoff.get_by_role("button", name="Much more: no risk of cement leaks").click()
        expect(page.locator(".kypho-values-lineup")).to_contain_text("Avoiding cement leaks")
        page.locator(".kypho-leaning").get_by_role("button", name="Not sure yet").click()
        shot(5, "values")
        # 6. am I ready? SURE with one "no", a quiz answer and a hostile note
        page.locator(".kypho-next").click()
        for item, answer in (("S", "No"), ("U", "Yes"), ("R", "Yes"), ("E", "Yes")):
            page.locator(f".kypho-sure-{item}").get_by_role("button", name=answer).click()
        expect(page.locator(".kypho-sure-result")).to_contain_text("3 of 4")
        expect(page.locator(".kypho-sure-result")).to_contain_text("Decisional conflict flagged")
        page.locator(".kypho-quiz-K02").get_by_text("Vertebroplasty", exact=True).click()
        expect(page.locator(".kypho-quiz-feedback-K02")).to_contain_text("That's right")
        page.locator(".kypho-notes textarea").fill(HOSTILE)
        shot(6, "ready")
        # 7. summary: made on opening; printed, copied and downloaded only by the browser
        page.locator(".kypho-next").click()
        link = page.get_by_role("link", name="Save as HTML")
        expect(link).to_be_visible()
        page.get_by_role("button", name="Print the summary").click()
        page.wait_for_function("(window.__printed || []).length === 1")
        page.get_by_role("button", name="Copy the note").click()
        expect(page.locator(".kypho-copy-status")).to_contain_text("Copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator(".kypho-note-text").input_value()
        assert "<script>alert(1)</script>" in copied  # plain text, as typed
        with page.expect_download() as fhir_info:
            page.get_by_role("link", name=re.compile("Save FHIR")).click()
        fhir_info.value.save_as(tmp_path / "note.fhir.json")
        shot(7, "summary")
        page.get_by_text("About this aid").click()
        expect(page.locator(".kypho-about")).to_contain_text("No one paid for this work")
        with page.expect_download() as download_info:
            link.click()
        saved = tmp_path / "summary.html"
        download_info.value.save_as(saved)
        browser.close()
    text = saved.read_text(encoding="utf-8")
    assert (
        MARKER in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script" not in text
    )
    assert not re.search(r"https?://", text)
    assert "Not sure yet" in text or "not sure yet" in text
    fhir = json.loads((tmp_path / "note.fhir.json").read_text(encoding="utf-8"))
    assert fhir["resourceType"] == "QuestionnaireResponse" and MARKER in json.dumps(fhir)
    assert errors == [], errors
    assert external == [], external
    # Privacy: the typed note reached no file but the downloads the user asked for (printing
    # and copying the note write nothing either).
    assert files_containing(MARKER, started, skip=tmp_path) == []


# --- accessibility: axe-core on every step, type size, target size, focus ---------------

#: Screens the app is checked on: a desktop, a tablet held upright, a phone.
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "tablet": {"width": 768, "height": 1024},
    "phone": {"width": 390, "height": 844},
}
#: What shows that each step (1 to 7) has been built and drawn.
STEP_READY = (
    "text=It does not choose for you",
    "table.kypho-aid-table",
    ".kypho-risk-summary",
    ".kypho-candidacy-result",
    ".kypho-values-lineup",
    ".kypho-sure-result",
    ".kypho-download-link",
)


def _open_session(browser: Any, app_url: str, viewport: dict[str, int], **context: Any) -> Any:
    """A fresh page of the app at ``viewport``, its first step drawn."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport=viewport, **context)
    page.goto(app_url)
    expect(page.locator(".kypho-steps")).to_be_visible(timeout=120_000)
    expect(page.locator(STEP_READY[0])).to_be_visible()
    return page


def _go_to_step(page: Any, index: int) -> None:
    from playwright.sync_api import expect

    page.locator(".kypho-steps button").nth(index).click()
    expect(page.locator(STEP_READY[index]).first).to_be_visible(timeout=60_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_every_step_passes_axe(app_url: str, browser: Any, screen: str) -> None:
    """axe-core finds nothing serious or critical on any step; a screenshot of each is saved."""
    from axe_playwright_python.sync_playwright import Axe

    RESULTS.mkdir(exist_ok=True)
    axe = Axe()
    page = _open_session(browser, app_url, VIEWPORTS[screen])
    found: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, dict[str, int]] = {}  # nodes per impact and rule
    for index in range(len(STEP_READY)):
        _go_to_step(page, index)
        if index == len(STEP_READY) - 1:  # the summary step, its buttons shown by the script
            page.locator(".kypho-copy-note").wait_for()
        page.wait_for_timeout(300)  # let the step's images settle
        violations = axe.run(page).response["violations"]
        # the whole step in one picture: the page scrolls inside Voilà's box, so grow the screen
        tall = page.evaluate("document.getElementById('rendered_cells').scrollHeight")
        page.set_viewport_size(
            {**VIEWPORTS[screen], "height": max(tall, VIEWPORTS[screen]["height"])}
        )
        page.screenshot(path=str(RESULTS / f"app-{screen}-step{index + 1}.png"))
        page.set_viewport_size(VIEWPORTS[screen])
        counts[f"step {index + 1}"] = {
            f"{v['impact']} {v['id']}": len(v["nodes"]) for v in violations
        }
        found[f"step {index + 1}"] = [
            v for v in violations if v["impact"] in ("serious", "critical")
        ]
    page.close()
    (RESULTS / f"axe-{screen}.json").write_text(json.dumps(counts, indent=1), encoding="utf-8")
    report = [
        f"{step}: {v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(
            f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}\n"
            for node in v["nodes"]
        )
        for step, violations in found.items()
        for v in violations
    ]
    assert not report, f"axe-core at {screen} width:\n" + "".join(report)


def test_the_summary_prints_copies_the_note_and_saves_it_as_fhir(
    app_url: str, browser: Any
) -> None:
    """On the summary step, Print prints the one-page summary (not the app page); Copy puts
    the note for the record on the clipboard and says "Copied" in a live region; the FHIR link
    holds a QuestionnaireResponse of the session's answers; axe finds nothing serious."""
    import base64

    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    from kypho_aid.note import read_note_fhir

    page = browser.new_page(viewport=VIEWPORTS["desktop"], permissions=CLIPBOARD)
    page.add_init_script(RECORD_PRINT)
    page.goto(app_url + "#step-5")
    expect(page.locator(STEP_READY[4])).to_be_visible(timeout=120_000)
    page.locator(".kypho-leaning").get_by_role("button", name="Not sure yet").click()
    _go_to_step(page, 5)
    page.locator(".kypho-notes textarea").fill("Can I drive after it? <b>x</b>")
    _go_to_step(page, 6)
    note = page.locator(".kypho-note-text")
    expect(note).to_have_value(re.compile(r"Patient's leaning: not decided\."))
    text = note.input_value()
    assert (
        text.startswith("Shared decision-making note\n")
        and "Can I drive after it? <b>x</b>" in text
    )
    # Copy: the clipboard holds the note, and the live region says so
    status = page.locator(".kypho-copy-status[role='status'][aria-live='polite']")
    expect(status).to_have_text("")
    page.get_by_role("button", name="Copy the note").click()
    expect(status).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == text
    # FHIR: the link's JSON is a QuestionnaireResponse of these answers
    href = page.locator(".kypho-fhir-link").get_attribute("href") or ""
    assert href.startswith("data:application/fhir+json;charset=utf-8;base64,")
    assert page.locator(".kypho-fhir-link").get_attribute("download") == "kypho-aid-note.fhir.json"
    resource = json.loads(base64.b64decode(href.partition(",")[2]).decode("utf-8"))
    assert resource["resourceType"] == "QuestionnaireResponse"
    back = read_note_fhir(resource)
    assert back["leaning"] == "unsure" and back["notes"] == "Can I drive after it? <b>x</b>"
    # Print: the one-page summary is printed, from a frame, and the app page is not
    page.get_by_role("button", name="Print the summary").click()
    page.wait_for_function("(window.__printed || []).length === 1")
    (printed,) = page.evaluate("window.__printed")
    assert "Your decision: treating a painful spine fracture" in printed
    assert "Can I drive after it? <b>x</b>" in printed and "Step 7 of 7" not in printed
    # axe: nothing serious or critical on the step with the note copied and the summary printed
    violations = Axe().run(page).response["violations"]
    serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    page.close()


def test_without_the_clipboard_api_copy_selects_the_note_and_copies_it(
    app_url: str, browser: Any
) -> None:
    """Where navigator.clipboard is missing, Copy selects the note and runs execCommand("copy")
    (recorded here with the text selected); a refusal says to copy by hand."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.add_init_script(
        """
        Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined });
        window.__copies = [];
        document.execCommand = function (command) {
          var box = document.activeElement;
          window.__copies.push([command, box.value.slice(box.selectionStart, box.selectionEnd)]);
          return window.__copies.length === 1;  // the second attempt is refused
        };
        """
    )
    page.goto(app_url + "#step-7")
    note = page.locator(".kypho-note-text")
    expect(note).to_be_visible(timeout=120_000)
    copy = page.get_by_role("button", name="Copy the note")
    status = page.locator(".kypho-copy-status")
    copy.click()
    expect(status).to_have_text("Copied. You can paste the note into the record now.")
    assert page.evaluate("window.__copies") == [["copy", note.input_value()]]
    assert page.evaluate("document.activeElement.className") == "kypho-copy-note"
    copy.click()
    expect(status).to_have_text("Could not copy. Select the note, then copy it by hand.")
    page.close()


def _rgb_hex(css_color: str) -> str:
    """``rgb(r, g, b)`` as ``#rrggbb``."""
    r, g, b = (int(float(c)) for c in re.findall(r"[\d.]+", css_color)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def test_type_is_large_and_follows_the_browsers_setting(app_url: str, browser: Any) -> None:
    """Body text is at least 18 px, set in rem: doubling the browser's font size doubles it."""
    from kypho_aid.style import APP_CSS

    assert not re.search(r"font(-size)?:[^;]*\d+(\.\d+)?px", APP_CSS), "font sizes in rem"
    page = _open_session(browser, app_url, VIEWPORTS["desktop"])
    texts = {
        "app": ".kypho-session .kypho-aid p",
        "page above the app": ".jp-RenderedMarkdown h1",
    }
    size = "s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)"
    before = {name: page.evaluate(size, selector) for name, selector in texts.items()}
    assert all(px >= 18 for px in before.values()), before
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})  # 16 -> 32
    page.wait_for_function(f"({size})('{texts['app']}') > {before['app']}")
    after = {name: page.evaluate(size, selector) for name, selector in texts.items()}
    assert after == {name: 2 * px for name, px in before.items()}, (before, after)
    page.close()


def test_controls_are_large_selected_answers_clear_and_focus_visible(
    app_url: str, browser: Any
) -> None:
    """Buttons, selects, text boxes and slider handles are 44 px tall; a chosen answer differs
    from the others by 3:1 and by a check mark ("Not known" included); focus has a 3 px ring."""
    from kypho_aid.style import contrast_ratio

    page = _open_session(browser, app_url, VIEWPORTS["desktop"])
    heights = """s => [...document.querySelectorAll(s)].filter(e => e.offsetParent)
        .map(e => [e.textContent.trim() || e.tagName, e.getBoundingClientRect().height])"""
    controls = (
        ".kypho-session :is(.jupyter-button, select, .widget-text input, .widget-radio-box label,"
        " .widget-checkbox label, details > summary, .kypho-print-summary, .kypho-copy-note)"
    )
    # the step list: after step 1 is left, its button alone carries a check mark
    _go_to_step(page, 1)
    marked = page.locator(".kypho-steps button").evaluate_all(
        "bs => bs.map(b => getComputedStyle(b, '::after').content.includes('\u2713'))"
    )
    assert marked == [True] + [False] * 6, marked
    small = []
    for index in range(1, 7):  # every step with controls: each kind of control is on one
        _go_to_step(page, index)
        small += [(index + 1, name, h) for name, h in page.evaluate(heights, controls) if h < 44]
    assert small == [], small
    # the chosen answer: "Not known" shows as chosen until another is picked
    _go_to_step(page, 3)
    infection = page.locator(".kypho-profile-infection")
    chosen, other = infection.locator(".mod-active"), infection.get_by_role("button", name="Yes")
    assert "Not known" in (chosen.text_content() or "")
    background = "e => getComputedStyle(e).backgroundColor"
    ratio = contrast_ratio(
        _rgb_hex(chosen.evaluate(background)), _rgb_hex(other.evaluate(background))
    )
    assert ratio >= 3, ratio
    mark = chosen.evaluate("e => getComputedStyle(e, '::before').content")
    assert "\u2713" in mark, mark
    # the step list: the steps left behind carry a check mark; the current one is filled
    steps = page.locator(".kypho-steps button")
    assert "\u2713" in steps.nth(0).evaluate("e => getComputedStyle(e, '::after').content")
    assert steps.nth(3).evaluate("e => getComputedStyle(e, '::before').content") == "none"
    # focus: a ring of at least 2 px, solid, far from white
    button = page.locator(".kypho-next")
    button.focus()
    ring = button.evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert ring[0] == "solid" and float(ring[1].removesuffix("px")) >= 2, ring
    assert contrast_ratio(_rgb_hex(ring[2]), "#ffffff") >= 3, ring
    page.close()


# --- navigation: the step in the address, Back and Forward, focus, the first screen -----------


def _active_heading(page: Any) -> str:
    """The focused element as ``TAG: text`` (the step's heading after a step change)."""
    return str(
        page.evaluate(
            "() => `${document.activeElement.tagName}: ${document.activeElement.textContent.trim()}`"
        )
    )


def _try_to_leave(page: Any) -> list[str]:
    """Go to another page as a person would, answering "stay" to any question before leaving;
    the kinds of the dialogs shown. (Headless chromium asks on leaving, not on closing.)"""
    dialogs: list[str] = []

    def stay(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    from playwright.sync_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):  # staying cancels the navigation
        page.goto("about:blank", timeout=5_000)
    page.remove_listener("dialog", stay)
    return dialogs


def test_steps_follow_the_address_and_browser_history(app_url: str, browser: Any) -> None:
    """Next puts #step-N in the address, moves focus to the step's heading and names the step
    in the live region; browser Back returns to the step before, answers kept; leaving with
    answers asks first."""
    from playwright.sync_api import expect

    page = _open_session(browser, app_url, VIEWPORTS["desktop"])
    live = page.locator(".kypho-progress [aria-live='polite']")
    expect(live).to_have_text("Step 1 of 7: The decision")
    page.locator(".kypho-next").click()
    expect(page).to_have_url(re.compile(r"#step-2$"))
    expect(page.locator(STEP_READY[1]).first).to_be_visible()
    expect(live).to_have_text("Step 2 of 7: Compare")
    page.wait_for_function("document.activeElement.tagName === 'H2'")
    assert _active_heading(page) == "H2: Compare"
    for number in (3, 4):
        page.locator(".kypho-next").click()
        expect(page).to_have_url(re.compile(f"#step-{number}$"))
    pain = page.locator(".kypho-profile-pain_score input")
    pain.fill("8")
    expect(page.locator(".kypho-error-pain_score")).to_have_text("")
    page.locator(".kypho-next").click()
    expect(page.locator(STEP_READY[4])).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"#step-4$"))
    expect(page.locator(".kypho-steps button").nth(3)).to_have_class(re.compile("mod-active"))
    expect(pain).to_have_value("8")
    expect(live).to_have_text("Step 4 of 7: Is it for me?")
    page.go_forward()
    expect(page.locator(STEP_READY[4])).to_be_visible()
    for _ in range(4):
        page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))  # the first step has no #step in the address
    expect(page.locator(STEP_READY[0])).to_be_visible()
    # something was answered, so leaving asks first; who stays keeps a working app
    assert _try_to_leave(page) == ["beforeunload"]
    page.locator(".kypho-next").click()
    expect(page).to_have_url(re.compile(r"#step-2$"))
    expect(page.locator(STEP_READY[1]).first).to_be_visible()
    page.close()


def test_a_link_or_a_reload_opens_the_step_in_the_address(app_url: str, browser: Any) -> None:
    """#step-3 opens step 3, also after a reload (a new kernel: answers are gone, not the step);
    a page with nothing answered closes without asking."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(app_url + "#step-3")
    expect(page.locator(STEP_READY[2])).to_be_visible(timeout=120_000)
    expect(page.locator(".kypho-steps button").nth(2)).to_have_class(re.compile("mod-active"))
    page.reload()
    expect(page.locator(STEP_READY[2])).to_be_visible(timeout=120_000)
    expect(page.locator(".kypho-progress")).to_contain_text("Step 3 of 7")
    assert _try_to_leave(page) == [] and page.url == "about:blank"
    page.close()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_first_screen_shows_the_first_step_and_the_keyboard_moves_on(
    app_url: str, browser: Any, screen: str
) -> None:
    """The one disclaimer takes less than a quarter of the first screen, and the first step's
    heading and text are above the fold; Tab to Next and Enter opens step 2, focus on its
    heading. The first screen of steps 1 and 2 is saved to test-results/."""
    from playwright.sync_api import expect

    RESULTS.mkdir(exist_ok=True)
    viewport = VIEWPORTS[screen]
    page = _open_session(browser, app_url, viewport)
    page.wait_for_timeout(300)
    box = "s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.top, r.bottom]; }"
    top, bottom = page.evaluate(box, ".kypho-disclaimer")
    assert bottom - top < 0.25 * viewport["height"], (top, bottom)
    assert page.locator(".kypho-disclaimer").count() == 1
    expect(page.get_by_text("not medical advice").filter(visible=True)).to_have_count(1)
    heading_top, _ = page.evaluate(box, ".kypho-aid-overview h2")
    text_top, _ = page.evaluate(box, ".kypho-aid-overview h2 + p")
    assert text_top + 60 < viewport["height"], (heading_top, text_top)
    expect(page.locator(".kypho-footer")).to_contain_text("Content version")
    page.screenshot(path=str(RESULTS / f"first-screen-{screen}-step1.png"))
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.kypho-next') !== null"):
            break
    else:
        raise AssertionError("Tab never reached Next")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#step-2$"))
    page.wait_for_function("document.activeElement.tagName === 'H2'")
    assert _active_heading(page) == "H2: Compare"
    expect(page.locator(STEP_READY[1]).first).to_be_visible()
    page.wait_for_timeout(300)
    heading_top, _ = page.evaluate(box, ".kypho-page-2 h2")
    assert 0 <= heading_top < viewport["height"] / 2, heading_top
    page.screenshot(path=str(RESULTS / f"first-screen-{screen}-step2.png"))
    page.close()


def _tab_to(page: Any, test: str, limit: int = 400) -> None:
    """Press Tab until ``test`` (a JS expression on ``document.activeElement``, as ``e``) holds."""
    check = f"() => {{ const e = document.activeElement; return !!(e && ({test})); }}"
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check):
            return
    raise AssertionError(f"Tab never reached: {test}")


def test_a_keyboard_alone_walks_the_whole_session(app_url: str, browser: Any) -> None:
    """No mouse: from step 1 to step 7 with Tab and Enter, answering on the way (a warning-sign
    question, a trade-off, a SURE question); each step change puts the step in the address and
    focus on its heading."""
    from playwright.sync_api import expect

    page = _open_session(browser, app_url, VIEWPORTS["desktop"])
    titles = [t.split(". ", 1)[1] for t in page.locator(".kypho-steps button").all_inner_texts()]
    for step in range(2, 8):
        _tab_to(page, "e.closest('.kypho-next') !== null")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(f"#step-{step}$"))
        page.wait_for_function("document.activeElement.tagName === 'H2'")
        expect(page.locator(STEP_READY[step - 1]).first).to_be_visible()
        assert _active_heading(page).startswith("H2: ")
        assert titles[step - 1].rstrip("?") in page.locator(".kypho-progress").inner_text()
        if step == 4:  # a warning-sign question, answered No with the keyboard
            _tab_to(page, "e.closest('.kypho-profile-infection') && e.textContent.trim() === 'No'")
            page.keyboard.press("Enter")
            chosen = page.locator(".kypho-profile-infection .mod-active")
            expect(chosen).to_contain_text("No")
        if step == 5:  # a trade-off
            _tab_to(
                page,
                "e.closest('[class*=kypho-tradeoff-]') && e.textContent.trim() === 'Both the same'",
            )
            page.keyboard.press("Enter")
            expect(page.locator(".kypho-values-lineup")).to_contain_text("both matter the same")
        if step == 6:  # the first SURE question
            _tab_to(page, "e.closest('[class*=kypho-sure-]') && e.textContent.trim() === 'Yes'")
            page.keyboard.press("Enter")
            expect(page.locator(".kypho-sure-result")).to_contain_text("1 of 4")
    # the summary's own controls are reachable too
    _tab_to(page, "e.classList.contains('kypho-print-summary')")
    page.close()


#: What lies past the right edge of a 320 px screen, or scrolls sideways, other than the step
#: list (one row that scrolls on its own, by design) and what is hidden from everyone.
BEYOND_THE_EDGE = """(width) => {
    const inSteps = (e) => e.closest('.kypho-steps');
    const shown = (e) => e.getClientRects().length > 0
        && getComputedStyle(e).visibility !== 'hidden';
    const scrolls = [document.scrollingElement, ...document.querySelectorAll('*')]
        .filter(e => !inSteps(e) && (e === document.scrollingElement
            || ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)))
        .filter(e => e.scrollWidth - e.clientWidth > 1)
        .map(e => `scrolls by ${e.scrollWidth - e.clientWidth} px: ${e.className || e.tagName}`
            + ' because of ' + [...e.querySelectorAll('*')]
                .filter(d => d.getBoundingClientRect().right > e.getBoundingClientRect().right + 1)
                .slice(0, 3).map(d => d.className || d.tagName).join(' | '));
    const past = [...document.querySelectorAll('.kypho-session *')]
        .filter(e => !inSteps(e) && shown(e) && e.closest('[aria-hidden=true]') === null)
        .filter(e => e.getBoundingClientRect().right > width + 1
            && e.getBoundingClientRect().width > 1)
        .map(e => (e.className || e.tagName) + ' ' + Math.round(e.getBoundingClientRect().right));
    return [...scrolls, ...past.slice(0, 8)];
}"""


def test_every_step_reflows_at_320_px_as_at_400_percent_zoom(app_url: str, browser: Any) -> None:
    """WCAG 1.4.10: at 320 CSS px (a 1280 px screen at 400%) nothing is cut off or needs
    scrolling sideways, on every step."""
    page = _open_session(browser, app_url, {"width": 320, "height": 640})
    found = {}
    for index in range(len(STEP_READY)):
        _go_to_step(page, index)
        page.wait_for_timeout(300)  # the page settles after the step is drawn
        beyond = page.evaluate(BEYOND_THE_EDGE, 320)
        if beyond:
            found[f"step {index + 1}"] = beyond
    page.close()
    assert found == {}, found
