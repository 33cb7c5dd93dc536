"""The risk explorer: a thin view whose output follows its controls."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import matplotlib

matplotlib.use("Agg")

from kypho_aid.candidacy import PROFILE_FIELDS, screen
from kypho_aid.export import risk_view_html
from kypho_aid.profile import WEEKS_PER_MONTH
from kypho_aid.texts import ui_text
from kypho_aid.widgets import RiskExplorer


def test_explorer_shows_the_pure_functions_result() -> None:
    explorer = RiskExplorer(outcome="new_fracture")
    assert explorer.value.outcome == "new_fracture"
    assert explorer.summary.value == risk_view_html(explorer.value)
    assert explorer.value.chart == "icons"
    assert explorer.png.startswith(b"\x89PNG") and "alt=" in explorer.chart.value
    assert "What the chart shows" in explorer.description.value


def test_the_comparison_control_leads_with_the_fairest_test_or_the_one_named() -> None:
    from kypho_aid.findings import lead_finding, pick_lead, summary_of_findings

    explorer = RiskExplorer(outcome="new_fracture")
    assert explorer.comparison.value == "" and explorer.comparison.label == "Fairest test first"
    lead = lead_finding("new_fracture")
    drawn = pick_lead(summary_of_findings("new_fracture"))
    assert lead is not None and drawn is not None and explorer.value.finding is not None
    # the table leads with the fairest test; the picture with the fairest one it can show
    assert explorer.value.figures.iloc[0]["finding_id"] == lead["finding_id"]
    assert explorer.value.finding["finding_id"] == drawn["finding_id"]
    assert lead["design"] == "sham_controlled_rct" and drawn["design"] == "open_rct"
    explorer.comparison.value = "kp_vs_vp"
    assert explorer.value.finding is not None
    assert explorer.value.finding["comparison"] == "kp_vs_vp"
    assert set(explorer.value.figures["comparison"]) == {"kp_vs_vp"}


def test_changing_controls_redraws_in_place() -> None:
    explorer = RiskExplorer(outcome="new_fracture")
    explorer.view.value = "words"
    assert explorer.value.view == "words" and explorer.chart.layout.display == "none"
    assert explorer.summary.value.count("<p>") == len(explorer.value.figures)
    explorer.options.value = ("non_surgical",)
    assert explorer.value.options == ("non_surgical",)
    explorer.outcome.value = "cement_embolism"
    assert explorer.value.outcome == "cement_embolism"


def test_an_empty_selection_falls_back_to_one_option() -> None:
    explorer = RiskExplorer()
    explorer.options.value = ()
    assert len(explorer.value.options) == 1


def test_values_rater_shows_the_line_up_for_answered_trade_offs_only() -> None:
    from kypho_aid.decision import tradeoff_ratings
    from kypho_aid.widgets import ValuesRater

    rater = ValuesRater()
    assert "Answer a question" in rater.lineup.value and rater.value == {}
    toggle = rater.choices["leaks_or_height"]
    assert toggle.value is None
    assert [value for _, value in toggle.options] == [
        "left_much",
        "left",
        "same",
        "right",
        "right_much",
        "skip",
    ]
    assert toggle.options[0][0] == "Much more: no risk of cement leaks"
    assert toggle.description.startswith("Which matters more to you")  # its accessible name
    toggle.value = "left_much"
    assert rater.answers == {"leaks_or_height": "left_much"}
    assert (
        rater.value
        == tradeoff_ratings(rater.answers)
        == {
            "avoid_leakage": 4,
            "restore_height": 0,
        }
    )
    shown = rater.lineup.value
    assert "no risk of cement leaks matters much more" in shown
    assert "Avoiding cement leaks" in shown and "Bone height and posture" in shown
    assert "does not add these up" in shown and "kypho-source" in shown
    # only what was answered: no other trade-off's question, no full comparison text
    assert "less pain soon" not in shown and "Quick pain relief" not in shown
    assert "How sure we can be" not in shown
    # the side leaned to is shown; the other (and the sources) wait behind their names
    leaned, _, other = shown.partition("<details class='kypho-values-other'>")
    assert "<h4>Avoiding cement leaks" in leaned
    assert other.startswith("<summary>Bone height and posture</summary>")
    assert "<details class='kypho-values-sources'>" in shown and "<details open" not in shown
    toggle.value = "same"  # both the same: both sides shown
    assert "kypho-values-other" not in rater.lineup.value
    toggle.value = "left_much"
    # the session app watches .sliders: the same toggles under their old name
    assert rater.sliders is rater.choices
    toggle.value = "skip"
    assert rater.value == {} and "Answer a question" in rater.lineup.value


def test_sure_check_and_knowledge_check_respond() -> None:
    from kypho_aid.widgets import KnowledgeCheck, SureCheck

    sure = SureCheck()
    for key, toggle in sure.answers.items():
        toggle.value = key != "R"
    assert sure.value.score == 3 and "Decisional conflict flagged" in sure.result.value
    quiz = KnowledgeCheck()
    quiz.questions["K01"].value = "Vertebroplasty"
    assert "Not quite" in quiz.feedback["K01"].value and quiz.value == {"K01": False}


def test_candidacy_check_explains_bad_answers_beside_their_field_and_keeps_screening() -> None:
    from kypho_aid.intake import read_form, status_badges
    from kypho_aid.widgets import CandidacyCheck

    check = CandidacyCheck()
    check.fields["infection"].value = True
    check.fields["pain_score"].value = "11"
    # the message sits under the pain question, in plain words; the result stays on screen
    assert "from 0 to 10 points" in check.messages["pain_score"].value
    assert "role='alert'" in check.messages["pain_score"].value
    assert check.messages["fracture_age_weeks"].value == ""
    assert "pain_score" not in check.messages["pain_score"].value
    assert check.errors.keys() == {"pain_score"}
    assert ui_text("intake.not_read") in check.result.value
    statuses = dict(
        zip(check.value["option_id"].astype(str), check.value["status"].astype(str), strict=True)
    )
    # a possible infection is a red flag: urgent for every option, non-surgical care included
    assert set(statuses.values()) == {"urgent_assessment"}
    assert "role='alert'><strong>A warning sign was found." in check.result.value
    assert "AAOS_VP" in check.result.value and "ASBMR2019" in check.result.value
    # a unit is understood; the badge for each option shows its status in words
    check.fields["pain_score"].value = "8"
    check.fields["fracture_age_weeks"].value = "2 months"
    assert check.errors == {} and check.messages["pain_score"].value == ""
    assert ui_text("intake.not_read") not in check.result.value
    check.fields["infection"].value = False
    check.fields["uncorrectable_bleeding"].value = True
    expected = status_badges(check.value)
    for badge in expected:
        assert f"kypho-status-{badge.status}" in check.result.value
        assert html.escape(badge.words, quote=True) in check.result.value
    statuses = {b.option_id: b.status for b in expected}
    assert statuses["vertebroplasty"] == "not_suitable"
    assert "A warning sign was found" not in check.result.value
    # the widget screens exactly what the pure reader reads
    reading = read_form(check.answers())
    assert reading.profile.fracture_age_weeks == round(2 * WEEKS_PER_MONTH, 2)
    assert screen(reading.profile).equals(check.value)


def test_candidacy_form_asks_warning_signs_first_and_keeps_clinician_questions_closed() -> None:
    from kypho_aid.widgets import CandidacyCheck

    check = CandidacyCheck()
    order = list(check.fields)
    assert order[:2] == ["neurological_deficit", "infection"]
    assert set(order) == set(PROFILE_FIELDS)
    closed = [c for c in check.children if "kypho-clinician-questions" in c._dom_classes]
    assert len(closed) == 1 and closed[0].selected_index is None
    inside = {
        f
        for box in closed[0].children
        for row in box.children
        for f, control in check.fields.items()
        if control in row.children[0].children
    }
    assert inside == {"pregnant", "life_expectancy_under_3_months"}
    assert check.fields["pregnant"].description.startswith("Could the patient be pregnant?")


def _files_changed_since(roots: list, since: float) -> list[str]:  # type: ignore[type-arg]
    import os
    from pathlib import Path

    changed = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in {".venv", ".git", "test-results", "__pycache__"}]
            changed += [
                str(Path(folder) / f) for f in files if (Path(folder) / f).stat().st_mtime > since
            ]
    return changed


def test_a_full_session_writes_no_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import base64
    import json
    import time

    from kypho_aid.widgets import SessionApp

    from .conftest import ROOT

    monkeypatch.chdir(tmp_path)
    start = time.time()
    app = SessionApp()
    for step in range(7):
        app.step.value = step
    app.candidacy.fields["pain_score"].value = "7"
    app.values.sliders["relief_or_no_procedure"].value = "left_much"
    app.leaning.value = "unsure"
    for toggle in app.sure.answers.values():
        toggle.value = True
    app.notes.value = "my secret note <b>bold</b>"
    app.step.value = 6  # the summary, note and FHIR resource are made again on opening
    assert "data:text/html;charset=utf-8;base64," in app.download.value
    encoded = app.download.value.split("base64,", 1)[1].split("'", 1)[0]
    summary = base64.b64decode(encoded).decode("utf-8")
    assert "my secret note &lt;b&gt;bold&lt;/b&gt;" in summary
    assert "my secret note <b>bold</b>" in app.note_text
    assert "my secret note &lt;b&gt;bold&lt;/b&gt;" in app.record_note.value
    assert "my secret note <b>bold</b>" in json.dumps(_fhir_in_link(app), ensure_ascii=False)
    assert list(tmp_path.iterdir()) == []
    assert _files_changed_since([ROOT], start) == []


def test_the_session_has_an_about_panel_built_when_opened() -> None:
    from kypho_aid.widgets import SessionApp

    app = SessionApp()
    assert app.about.children[0].value == ""
    app.about.selected_index = 0
    about = app.about.children[0].value
    assert "No one paid" in about and "Found a mistake?" in about and "reviewed" in about


def test_the_session_shows_progress_one_disclaimer_and_notes_an_answer() -> None:
    from kypho_aid.datasets import content_info
    from kypho_aid.widgets import SessionApp

    app = SessionApp()
    disclaimer = content_info().disclaimer
    assert "Step 1 of 7: The decision" in app.progress.value
    assert "<progress max='7' value='1' aria-hidden='true'>" in app.progress.value
    assert app.back.disabled and not app.next.disabled
    assert "Content version" in app.footer.value and disclaimer not in app.footer.value
    first = app.stack.children[0].children[0]
    assert disclaimer in first.children[0].value
    assert all(f"kypho-page-{n}" in p._dom_classes for n, p in enumerate(app.stack.children, 1))
    app.step.value = 3
    assert "Step 4 of 7: Is it for me?" in app.progress.value
    assert not app.answered and "kypho-answered" not in app._dom_classes
    app.candidacy.fields["pain_score"].value = "7"
    assert app.answered and "kypho-answered" in app._dom_classes
    app.step.value = 6
    assert app.next.disabled and not app.back.disabled
    assert any(
        disclaimer in child.value for child in app.stack.children[6].children[0].children[:2]
    )


# --- the summary step: the one-page summary, the note for the record, its FHIR resource -----


def _fhir_in_link(app: Any) -> Any:
    """The JSON behind the summary step's "Save FHIR" link (a base64 data: address)."""
    import base64
    import html
    import json
    import re

    found = re.search(r"class='kypho-fhir-link'[^>]* href='([^']*)'", app.record_note.value)
    assert found, app.record_note.value
    head, _, encoded = html.unescape(found.group(1)).partition(",")
    assert head == "data:application/fhir+json;charset=utf-8;base64"
    return json.loads(base64.b64decode(encoded).decode("utf-8"))


#: The ratings the answered session's two trade-offs stand for (decision.tradeoff_ratings).
RATED = {"quick_relief": 4, "avoid_procedure": 0, "avoid_leakage": 1, "restore_height": 3}


def _answered_session() -> Any:
    """A session with answers on every step, its summary step open."""
    from kypho_aid.widgets import SessionApp

    app = SessionApp()
    for step in range(7):
        app.step.value = step
    app.values.sliders["relief_or_no_procedure"].value = "left_much"
    app.values.sliders["leaks_or_height"].value = "right"
    app.leaning.value = "vertebroplasty"
    for key, toggle in app.sure.answers.items():
        toggle.value = key != "R"
    app.notes.value = "Can I drive after it?\nWho do I call at night? <i>x</i>"
    return app


def test_the_summary_step_shows_the_note_of_the_sessions_answers() -> None:
    import html
    import re

    from kypho_aid.note import build_note

    app = _answered_session()
    authored = dt.datetime.fromisoformat(app.note_fhir["authored"])
    assert authored.utcoffset() is not None
    expected = build_note(
        options=["kyphoplasty", "vertebroplasty", "non_surgical"],
        ratings=RATED,
        leaning="vertebroplasty",
        sure_answers={"S": True, "U": True, "R": False, "E": True},
        notes="Can I drive after it?\nWho do I call at night? <i>x</i>",
        authored=authored,
    )
    assert app.note_text == expected
    shown = re.search(r"<textarea[^>]*>\n(.*)</textarea>", app.record_note.value, re.S)
    assert shown and html.unescape(shown.group(1)) == expected
    assert "&lt;i&gt;x&lt;/i&gt;" in app.record_note.value and "<i>" not in app.record_note.value
    # the words of the step come from ui_text.csv; Print and Copy wait for the page's script
    assert "<button type='button' class='kypho-print-summary' hidden>Print the summary" in (
        app.download.value
    )
    assert "class='kypho-copy-note' data-copied='Copied." in app.record_note.value
    assert "role='status' aria-live='polite'" in app.record_note.value


def test_the_fhir_link_reads_back_to_the_sessions_answers() -> None:
    from kypho_aid.note import read_note_fhir

    app = _answered_session()
    resource = _fhir_in_link(app)
    assert resource == app.note_fhir and resource["resourceType"] == "QuestionnaireResponse"
    back = read_note_fhir(resource)
    assert back["options"] == ("kyphoplasty", "vertebroplasty", "non_surgical")
    assert back["ratings"] == app.values.value == RATED
    assert back["leaning"] == app.leaning.value
    assert back["sure_answers"] == {"S": True, "U": True, "R": False, "E": True}
    assert back["notes"] == app.notes.value
    assert back["authored"].isoformat() == resource["authored"]


def test_the_summary_follows_the_answers_when_opened_or_changed() -> None:
    from kypho_aid.widgets import SessionApp

    app = SessionApp()
    app.step.value = 6  # nothing answered yet: the summary and note are made all the same
    assert "Patient's leaning: not recorded." in app.note_text
    assert "kypho-download-link" in app.download.value
    app.step.value = 5
    app.notes.value = "first question"
    made = app.record_note.value
    assert "first question" not in made  # not made again while the step is not shown
    app.step.value = 6
    assert "first question" in app.note_text and "first question" in app.record_note.value
    app.leaning.value = "unsure"  # an answer changed while the summary is shown
    assert "Patient's leaning: not decided." in app.note_text
    (leaning,) = (i for i in _fhir_in_link(app)["item"] if i["linkId"] == "leaning")
    assert leaning["answer"][0]["valueCoding"]["code"] == "unsure"


def test_steps_the_person_has_left_are_marked_done_in_the_step_list() -> None:
    from kypho_aid.style import APP_CSS
    from kypho_aid.widgets import SessionApp

    app = SessionApp()

    def done() -> list[str]:
        return sorted(c for c in app.step._dom_classes if c.startswith("kypho-done-"))

    assert done() == []  # the first step is on screen, none left yet
    app.next.click()
    assert done() == ["kypho-done-1"]
    app.step.value = 4
    app.back.click()
    assert done() == ["kypho-done-1", "kypho-done-2", "kypho-done-5"]  # step 4 is on screen
    for n in (1, 2, 5):  # and the stylesheet marks the n-th step button of each
        assert (
            f".kypho-steps.kypho-done-{n} .widget-toggle-button:nth-of-type({n})::after" in APP_CSS
        )
