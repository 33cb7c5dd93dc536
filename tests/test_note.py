"""The note for the medical record (issue 13): plain text to paste, FHIR R4 to import, and
the way back from FHIR to the session's inputs."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kypho_aid
from kypho_aid.decision import InputError, rating_labels
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.findings import DRAWABLE_DESIGNS, lead_finding
from kypho_aid.handout import MAX_NOTES_CHARS, clean_notes
from kypho_aid.note import (
    FHIR_VALUE_TYPES,
    QUESTIONNAIRE,
    build_note,
    build_note_fhir,
    read_note_fhir,
    session_inputs,
)
from kypho_aid.templating import render, render_text, wrapped
from kypho_aid.texts import handout_items, ui_text

WHEN = dt.datetime(2026, 5, 4, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
SESSION: dict[str, Any] = {
    "options": ("kyphoplasty", "vertebroplasty", "non_surgical"),
    "ratings": {"avoid_new_break": 4, "quick_relief": 2, "cost": 0},
    "leaning": "vertebroplasty",
    "sure_answers": {"S": True, "U": False, "R": True, "E": True},
    "notes": "Can I drive afterwards?\nWhat if it breaks again & hurts <more>?",
    "authored": WHEN,
}
#: Control characters, bidirectional overrides and isolates, a line separator, a web address.
HOSTILE = (
    "Ask about\x00 the\x1b[31m cement\u202e evil\u202c \u2066x\u2069 "
    "https://evil.example/x now\u2028{{ 7*7 }} {% if 1 %}y{% endif %}\x85end"
)


@pytest.fixture(scope="module")
def note() -> str:
    return build_note(**SESSION)


@pytest.fixture(scope="module")
def resource() -> dict[str, Any]:
    return build_note_fhir(**SESSION)


def _items(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from _items(item.get("item", []))
        for answer in item.get("answer", []):
            yield from _items(answer.get("item", []))


def _by_id(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in _items(resource["item"])}


# --- the plain-text note --------------------------------------------------------------------


def test_the_note_names_the_options_discussed(note: str) -> None:
    assert "Options discussed: Balloon kyphoplasty; Vertebroplasty; Non-surgical care." in note
    only_two = build_note(options=["non_surgical", "vertebroplasty"], authored=WHEN)
    assert "Options discussed: Vertebroplasty; Non-surgical care." in only_two


def test_the_figures_are_the_librarys_with_their_certainty(note: str) -> None:
    """Each figure the handout shows, as the summary of findings words it, never typed here."""
    flat = " ".join(note.split())
    outcomes = handout_items("outcome")
    assert outcomes
    for outcome in outcomes:
        finding = lead_finding(outcome)
        assert finding is not None
        certainty = str(finding["certainty"]).replace("_", " ")
        assert f"{finding['comparison_label']} ({finding['study']}, {finding['timepoint']})" in flat
        assert f": {finding['figure']}. Certainty: {certainty}." in flat
        if finding["design"] not in DRAWABLE_DESIGNS:
            assert f"{finding['figure']}. Certainty: {certainty}. Not randomised" in flat


def test_only_rated_priorities_are_listed_with_the_rating(note: str) -> None:
    assert f"- Avoiding another break: 4 of 4, {rating_labels()[4]}" in note
    assert f"- Quick pain relief: 2 of 4, {rating_labels()[2]}" in note
    assert f"- Cost: 0 of 4, {rating_labels()[0]}" in note  # rated, even if it does not matter
    assert "Bone height and posture" not in note and "not rated" not in note
    assert note.index("Avoiding another break") < note.index("Quick pain relief")
    assert "- None rated." in build_note(authored=WHEN)


def test_the_sure_score_leaning_and_questions(note: str) -> None:
    flat = " ".join(note.split())
    assert "SURE score: 3 of 4. Decisional conflict flagged." in flat
    assert "Understand information no" in flat and "Sure of myself yes" in flat
    assert "Patient's leaning: Vertebroplasty." in note
    assert "  Can I drive afterwards?\n  What if it breaks again & hurts <more>?\n" in note


def test_not_decided_not_recorded_and_nothing_done() -> None:
    unsure = build_note(leaning="unsure", sure_answers={"S": True}, authored=WHEN)
    assert "Patient's leaning: not decided." in unsure
    assert "SURE score: 1 of 4. Answers:" in unsure and "conflict" not in unsure
    assert "Encouragement not answered." in " ".join(unsure.split())
    empty = build_note(authored=WHEN)
    assert "Patient's leaning: not recorded." in empty
    assert "SURE test not done." in empty
    assert "Patient's questions and notes:\n  None recorded.\n" in empty


def test_the_date_version_and_review_date(note: str) -> None:
    info = kypho_aid.content_info()
    assert note.splitlines()[:2] == ["Shared decision-making note", "Date: 2026-05-04"]
    flat = " ".join(note.split())
    assert f"content version {info.version}, reviewed {info.reviewed_on.isoformat()}" in flat
    assert f"next review due by {info.next_review_due.isoformat()}" in flat


def test_the_note_never_recommends_an_option(note: str) -> None:
    lowered = note.lower()
    assert "did not recommend an option" in lowered
    assert not any(w in lowered for w in ("we recommend", "best option", "you should"))


def test_every_fixed_word_comes_from_ui_text(data_copy: Path) -> None:
    path = data_copy / "ui_text.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Shared decision-making note,", "SDM note,")
    text = text.replace("None rated.,", "Nothing rated.,")
    path.write_text(text, encoding="utf-8")
    changed = build_note(authored=WHEN, data_dir=data_copy)
    assert changed.startswith("SDM note\n") and "- Nothing rated." in changed


def test_every_line_fits_80_columns() -> None:
    long_word = "x" * 200
    notes = f"{long_word}\n" + "a long line of words about the procedure " * 6
    text = build_note(
        ratings={c: 4 for c in kypho_aid.load_dataset("considerations")["consideration_id"]},
        sure_answers={"S": False, "U": False, "R": False, "E": False},
        notes=notes,
        authored=WHEN,
    )
    lines = text.split("\n")
    assert max(len(line) for line in lines) <= 80
    assert text.endswith(".\n") and "\r" not in text
    assert "".join(line.strip() for line in lines).count("x") >= 200  # broken, not lost


def test_the_note_is_plain_text_never_escaped_nor_evaluated(note: str) -> None:
    assert "&amp;" not in note and "&lt;" not in note and "<more>" in note
    text = build_note(notes="{{ 7*7 }} {% if 1 %}y{% endif %} & <b>", authored=WHEN)
    assert "{{ 7*7 }} {% if 1 %}y{% endif %} & <b>" in text and "49" not in text


def test_hostile_notes_are_neutralised_as_the_handout_does() -> None:
    text = build_note(notes=HOSTILE, authored=WHEN)
    bad = [c for c in text if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F]
    assert bad == []
    assert not any(c in text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "\u2028" not in text and "\u2029" not in text
    assert "evil.example" not in text and "[web address left out]" in text
    assert "Web addresses were left out" in text
    cleaned, _ = clean_notes(HOSTILE)
    assert session_inputs(notes=HOSTILE, authored=WHEN)["notes"] == cleaned


def test_long_notes_are_cut_once_and_say_so() -> None:
    cut = session_inputs(notes="word " * MAX_NOTES_CHARS, authored=WHEN)["notes"]
    assert cut.endswith(" …") and len(cut) <= MAX_NOTES_CHARS + 2
    assert clean_notes(cut) == (cut, [])  # cleaning twice changes nothing
    assert "long notes were cut" in build_note(notes="word " * MAX_NOTES_CHARS, authored=WHEN)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"options": ["surgery"]}, "options"),
        ({"options": "kyphoplasty"}, "options"),
        ({"options": []}, "options"),
        ({"options": ["kyphoplasty", "kyphoplasty"]}, "options"),
        ({"options": ["kyphoplasty"], "leaning": "vertebroplasty"}, "leaning"),
        ({"ratings": {"cost": 7}}, "cost"),
        ({"ratings": {"nothing": 1}}, "nothing"),
        ({"sure_answers": {"S": "yes"}}, "S"),
        ({"notes": 3}, "notes"),
        ({"authored": dt.datetime(2026, 5, 4, 10, 30)}, "authored"),  # no time zone
        ({"authored": "2026-05-04"}, "authored"),
    ],
)
def test_bad_inputs_name_the_field(given: dict[str, Any], field: str) -> None:
    for build in (build_note, build_note_fhir):
        with pytest.raises(InputError) as raised:
            build(**{"authored": WHEN, **given})
        assert raised.value.field == field


def test_the_note_is_exported_at_the_top_level() -> None:
    for name in ("build_note", "build_note_fhir", "read_note_fhir", "SessionInputs"):
        assert name in kypho_aid.__all__ and getattr(kypho_aid, name) is not None
    assert kypho_aid.build_note is build_note


# --- the plain-text template environment ------------------------------------------------------


def test_text_and_html_templates_stay_apart() -> None:
    with pytest.raises(ValueError, match="render_text"):
        render("note.txt.j2")
    with pytest.raises(ValueError, match="not plain text"):
        render_text("about.html.j2", parts=[])


def test_wrapped_keeps_lines_and_indents() -> None:
    assert wrapped("a b\n\nc", "- ") == "- a b\n\n  c"
    assert all(len(line) <= 80 for line in wrapped("word " * 50, "  ").split("\n"))


# --- FHIR R4 QuestionnaireResponse -----------------------------------------------------------


def test_the_resource_is_a_completed_questionnaire_response(resource: dict[str, Any]) -> None:
    info = kypho_aid.content_info()
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["status"] == "completed"
    assert resource["questionnaire"] == f"{QUESTIONNAIRE}|{info.version}"
    assert resource["questionnaire"].startswith("urn:kypho-aid:questionnaire:shared-decision|")
    assert dt.datetime.fromisoformat(resource["authored"]) == WHEN
    assert resource["authored"] == "2026-05-04T10:30:00+02:00"
    assert json.loads(json.dumps(resource)) == resource  # plain JSON types only


def test_link_ids_are_unique_and_each_answer_holds_one_allowed_value(
    resource: dict[str, Any],
) -> None:
    items = list(_items(resource["item"]))
    link_ids = [item["linkId"] for item in items]
    assert len(link_ids) == len(set(link_ids))
    for item in items:
        assert isinstance(item["linkId"], str) and item["linkId"]
        assert isinstance(item["text"], str) and item["text"]
        assert not ("answer" in item and "item" in item), item["linkId"]  # FHIR rule qrs-1
        assert "answer" in item or item.get("item"), item["linkId"]
        for answer in item.get("answer", []):
            values = [key for key in answer if key.startswith("value")]
            assert len(values) == 1, item["linkId"]
            assert values[0] in FHIR_VALUE_TYPES
            value = answer[values[0]]
            if values[0] == "valueCoding":
                assert set(value) == {"system", "code", "display"}
                assert value["system"].startswith("urn:kypho-aid:")
            elif values[0] == "valueInteger":
                assert type(value) is int
            elif values[0] == "valueBoolean":
                assert type(value) is bool
            elif values[0] == "valueDate":
                dt.date.fromisoformat(value)
            else:
                assert isinstance(value, str)


def test_the_resource_holds_what_the_note_says(resource: dict[str, Any], note: str) -> None:
    items = _by_id(resource)
    assert [a["valueCoding"]["code"] for a in items["options"]["answer"]] == list(
        SESSION["options"]
    )
    assert {
        k: items[f"priorities.{k}"]["answer"][0]["valueInteger"] for k in SESSION["ratings"]
    } == (SESSION["ratings"])
    assert "priorities.restore_height" not in items  # not rated, not sent
    assert items["sure.U"]["answer"] == [{"valueBoolean": False}]
    assert items["sure.score"]["answer"] == [{"valueInteger": 3}]
    assert items["leaning"]["answer"][0]["valueCoding"]["code"] == "vertebroplasty"
    assert items["notes"]["answer"] == [{"valueString": SESSION["notes"]}]
    info = kypho_aid.content_info()
    assert items["content_reviewed_on"]["answer"] == [{"valueDate": info.reviewed_on.isoformat()}]
    flat = " ".join(note.split())
    for outcome in handout_items("outcome"):
        finding = lead_finding(outcome)
        assert finding is not None
        figure = items[f"figures.{finding['finding_id']}.figure"]["answer"][0]["valueString"]
        assert figure in flat
        coding = items[f"figures.{finding['finding_id']}.certainty"]["answer"][0]["valueCoding"]
        assert coding["code"] == finding["certainty"]


def test_export_then_import_round_trips_exactly(resource: dict[str, Any]) -> None:
    back = read_note_fhir(json.dumps(resource))
    assert back == SESSION
    assert back == read_note_fhir(resource)
    assert build_note_fhir(**back) == resource
    assert build_note(**back) == build_note(**SESSION)


@pytest.mark.parametrize(
    "session",
    [
        {"authored": WHEN},
        {"options": ["non_surgical"], "leaning": "unsure", "authored": WHEN},
        {"sure_answers": {"E": False}, "ratings": {"cost": 3}, "authored": WHEN},
        {"notes": HOSTILE, "authored": WHEN.replace(microsecond=123456)},
        {"notes": "word " * MAX_NOTES_CHARS, "authored": WHEN},
    ],
)
def test_round_trips_for_other_sessions(session: dict[str, Any]) -> None:
    resource = build_note_fhir(**session)
    back = read_note_fhir(json.dumps(resource, ensure_ascii=False).encode("utf-8"))
    assert back == session_inputs(**session)
    assert build_note_fhir(**back) == resource


def _broken(resource: dict[str, Any], link_id: str | None = None, **changes: Any) -> dict[str, Any]:
    copied = copy.deepcopy(resource)
    target = copied if link_id is None else _by_id(copied)[link_id]
    for key, value in changes.items():
        if value is None:
            del target[key]
        else:
            target[key] = value
    return copied


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"resourceType": "Patient"}, "resourceType", "QuestionnaireResponse"),
        ({"status": "in-progress"}, "status", "completed"),
        ({"questionnaire": "urn:other|1"}, "questionnaire", "shared-decision"),
        ({"authored": "2026-05-04"}, "authored", "time zone"),
        ({"authored": "2026-05-04T10:30:00"}, "authored", "time zone"),
        ({"authored": "yesterday"}, "authored", "ISO 8601"),
        ({"item": {"linkId": "options"}}, "item", "list of items"),
    ],
)
def test_a_malformed_resource_names_the_field(
    resource: dict[str, Any], change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InputError, match=message) as raised:
        read_note_fhir(_broken(resource, **change))
    assert raised.value.field == field
    assert isinstance(raised.value, KyphoAidError)


@pytest.mark.parametrize(
    ("link_id", "change", "field", "message"),
    [
        (
            "priorities.cost",
            {"answer": [{"valueString": "0"}]},
            "item priorities.cost",
            "valueInteger",
        ),
        (
            "priorities.cost",
            {"answer": [{"valueInteger": True}]},
            "item priorities.cost",
            "wrong kind",
        ),
        (
            "priorities.cost",
            {"answer": [{"valueInteger": 0, "valueString": "0"}]},
            "item priorities.cost",
            "exactly one",
        ),
        (
            "priorities.cost",
            {"answer": [{"valueDecimal": 0.5}]},
            "item priorities.cost",
            "not a value type",
        ),
        ("priorities.cost", {"answer": []}, "item priorities.cost", "one or more"),
        ("priorities.cost", {"answer": [{"valueInteger": 9}]}, "cost", "0 to 4"),
        ("priorities.cost", {"linkId": "priorities.colour"}, "colour", "not a consideration"),
        (
            "priorities.cost",
            {"linkId": "priorities.quick_relief"},
            "item priorities.quick_relief",
            "used twice",
        ),
        ("priorities.cost", {"linkId": "notes"}, "item notes", "belongs at the top level"),
        ("priorities.cost", {"linkId": "sure.S"}, "item sure.S", "belongs in the group sure"),
        ("priorities.cost", {"linkId": "weather"}, "item weather", "not an item"),
        ("priorities.cost", {"linkId": None}, "item priorities[2].linkId", "needs a linkId"),
        (
            "sure.S",
            {"answer": [{"valueBoolean": True}, {"valueBoolean": False}]},
            "item sure.S",
            "one answer",
        ),
        (
            "leaning",
            {"answer": [{"valueCoding": {"system": "urn:kypho-aid:option", "code": "x"}}]},
            "item leaning",
            "urn:kypho-aid:leaning",
        ),
        (
            "leaning",
            {"answer": [{"valueCoding": {"system": "urn:kypho-aid:leaning", "code": "x"}}]},
            "leaning",
            "not an option",
        ),
        (
            "options",
            {"answer": [{"valueCoding": {"system": "urn:kypho-aid:option", "code": "x"}}]},
            "options",
            "not an option",
        ),
        (
            "content_reviewed_on",
            {"answer": [{"valueDate": "01/12/2026"}]},
            "item content_reviewed_on",
            "not a date",
        ),
        ("figures", {"answer": [{"valueString": "x"}]}, "item figures", "not both"),
    ],
)
def test_a_malformed_item_names_it(
    resource: dict[str, Any], link_id: str, change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InputError, match=message) as raised:
        read_note_fhir(_broken(resource, link_id, **change))
    assert raised.value.field == field


def test_a_resource_without_options_or_not_json_is_refused(resource: dict[str, Any]) -> None:
    without = copy.deepcopy(resource)
    without["item"] = [i for i in without["item"] if i["linkId"] != "options"]
    with pytest.raises(InputError, match="options discussed"):
        read_note_fhir(without)
    with pytest.raises(InputError, match="not JSON") as raised:
        read_note_fhir("{not json")
    assert raised.value.field == "resource"
    with pytest.raises(InputError, match="JSON object"):
        read_note_fhir("[1, 2]")


def test_ui_text_has_every_note_text() -> None:
    ids = set(kypho_aid.load_dataset("ui_text")["text_id"].astype(str))
    note_ids = {i for i in ids if i.startswith("note.")}
    package = Path(kypho_aid.__file__).parent / "note"
    source = "\n".join(f.read_text(encoding="utf-8") for f in sorted(package.glob("*.py")))
    assert {i for i in note_ids if f'"{i}"' not in source} == set()  # none left unused
    assert ui_text("note.title") == "Shared decision-making note"
