"""Reading the candidacy form: units, plain-language errors beside the field, status badges."""

from __future__ import annotations

from pathlib import Path

import pytest

from kypho_aid.candidacy import STATUSES, screen
from kypho_aid.intake import parse_answer, read_form, status_badges
from kypho_aid.profile import EXAMPLE_PROFILE, WEEKS_PER_MONTH, PatientProfile, ProfileError
from kypho_aid.texts import ui_text


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("fracture_age_weeks", "6", 6.0),
        ("fracture_age_weeks", "6 weeks", 6.0),
        ("fracture_age_weeks", " 6  Weeks. ", 6.0),
        ("fracture_age_weeks", "6wk", 6.0),
        ("fracture_age_weeks", "1 week", 1.0),
        ("fracture_age_weeks", "2 months", round(2 * WEEKS_PER_MONTH, 2)),
        ("fracture_age_weeks", "1,5 months", round(1.5 * WEEKS_PER_MONTH, 2)),
        ("fracture_age_weeks", "2.5", 2.5),
        ("pain_score", "7", 7),
        ("pain_score", "7/10", 7),
        ("pain_score", "7 out of 10", 7),
        ("levels", "2 bones", 2),
        ("levels", "1 fracture", 1),
        ("levels", "3 levels", 3),
        ("fracture_age_weeks", "", None),
        ("fracture_age_weeks", "   ", None),
    ],
)
def test_typed_answers_are_read_with_their_units(name: str, text: str, expected: object) -> None:
    value = parse_answer(name, text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("name", "text", "text_id", "says"),
    [
        ("fracture_age_weeks", "six", "intake.not_a_number", "such as 3 weeks"),
        ("fracture_age_weeks", "-2", "intake.not_a_number", "such as 3 weeks"),
        ("fracture_age_weeks", "6 years", "intake.unit", "weeks or months"),
        ("fracture_age_weeks", "600 weeks", "intake.range", "from 0 to 520 weeks"),
        ("fracture_age_weeks", "13 years", "intake.unit", "weeks or months"),
        ("pain_score", "7.5", "intake.whole_number", "such as 7"),
        ("pain_score", "11", "intake.range", "from 0 to 10 points"),
        ("levels", "0", "intake.range", "from 1 to 10 fractures"),
        ("levels", "2 kg", "intake.unit", "fractures"),
        ("pain_score", "=cmd|' /C calc'!A0", "intake.not_a_number", "such as 7"),
    ],
)
def test_what_cannot_be_read_gets_plain_words_naming_the_field(
    name: str, text: str, text_id: str, says: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_answer(name, text)
    assert caught.value.field == name
    message = str(caught.value)
    assert says in message
    assert name not in message  # plain words, not the field's code name
    first_words = ui_text(text_id, **_fills(text_id)).split("{")[0].split()[:2]
    assert message.split()[:2] == first_words


def _fills(text_id: str) -> dict[str, str]:
    names = {
        "intake.not_a_number": ("example",),
        "intake.unit": ("units", "example"),
        "intake.whole_number": ("example",),
        "intake.range": ("low", "high", "unit"),
    }[text_id]
    return dict.fromkeys(names, "x")


def test_only_number_fields_are_parsed() -> None:
    with pytest.raises(KeyError, match="infection is not a number field"):
        parse_answer("infection", "yes")


def test_a_form_keeps_every_readable_answer_and_reports_the_rest_beside_their_fields() -> None:
    reading = read_form(
        {
            "fracture_age_weeks": "6 weeks",
            "pain_score": "eleven",
            "levels": "2 months",
            "infection": False,
            "cause": "osteoporosis",
            "pregnant": None,
            "conservative_care": "",
        }
    )
    assert reading.profile == PatientProfile(
        fracture_age_weeks=6.0, infection=False, cause="osteoporosis"
    )
    assert set(reading.errors) == {"pain_score", "levels"}
    assert "such as 7" in reading.errors["pain_score"]
    assert "fractures" in reading.errors["levels"]


def test_the_screening_result_stays_while_an_answer_is_being_fixed() -> None:
    reading = read_form({"infection": True, "pain_score": "a lot"})
    result = screen(reading.profile)
    assert result["status"].astype(str).tolist() == ["urgent_assessment"] * 3
    assert list(reading.errors) == ["pain_score"]


def test_an_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(ProfileError, match="not a profile field") as caught:
        read_form({"shoe_size": "9"})
    assert caught.value.field == "shoe_size"


def test_each_option_gets_a_badge_with_its_status_words_and_reasons() -> None:
    result = screen(PatientProfile(uncorrectable_bleeding=True, infection=False))
    badges = status_badges(result)
    assert [b.option_id for b in badges] == ["kyphoplasty", "vertebroplasty", "non_surgical"]
    by_option = {b.option_id: b for b in badges}
    procedure = by_option["vertebroplasty"]
    assert procedure.status == "not_suitable"
    assert procedure.words == ui_text("status.not_suitable")
    assert any(
        "bleed" in reason.lower() or "clot" in reason.lower() for reason in procedure.reasons
    )
    assert by_option["non_surgical"].status != "not_suitable"


def test_every_status_has_its_own_distinct_badge_words() -> None:
    words = [ui_text(f"status.{status}") for status in STATUSES]
    assert len(set(words)) == len(STATUSES)
    assert all(len(w.split()) <= 6 for w in words)


def test_the_questions_come_from_data_and_the_old_attribute_warns(data_copy: Path) -> None:
    from kypho_aid.candidacy import screen, screening_sentences
    from kypho_aid.intake import field_questions, form_layout
    from kypho_aid.profile import PROFILE_FIELDS, PatientProfile

    path = data_copy / "profile_questions.csv"
    text = path.read_text(encoding="utf-8")
    old = "how many weeks ago the bone broke"
    path.write_text(text.replace(old, "when the bone broke"), encoding="utf-8")
    assert field_questions(data_dir=data_copy)["fracture_age_weeks"] == "when the bone broke"
    asked = {f: q for group in form_layout(data_dir=data_copy) for f, q in group.questions}
    assert asked["fracture_age_weeks"] == "When the bone broke"
    unknown = PatientProfile(**{**EXAMPLE_PROFILE, "fracture_age_weeks": None})
    said = " ".join(screening_sentences(screen(unknown, data_dir=data_copy), data_dir=data_copy))
    assert "When the bone broke." in said and old not in said.lower()
    with pytest.warns(DeprecationWarning, match=r"field_questions\(\)"):
        assert PROFILE_FIELDS["fracture_age_weeks"].question == old
