"""Words and choices read from data/ (issue 12): the app's own texts, its steps, the handout's
items and the sham exercise's choices; their checks; and the deprecated constants."""

from __future__ import annotations

import ast
import importlib
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

import kypho_aid
from kypho_aid import (
    decision,
    exercises,
    findings,
    handout,
    outcomes,
    procedure,
    readability,
)
from kypho_aid.exceptions import KyphoAidError, TextFillError, UnknownTextError, UnknownTopicError
from kypho_aid.texts import (
    fill_names,
    handout_items,
    session_steps,
    sham_answer,
    sham_choices,
    ui_text,
)

from .conftest import ROOT

UI_TEXT = kypho_aid.load_dataset("ui_text")
#: The module: the package's own name compare is the function of that name.
compare = importlib.import_module("kypho_aid.compare")


def _problems(folder: Path, name: str) -> list[str]:
    return [
        f"{p.row}:{p.column}: {p.message}" for p in kypho_aid.validate(folder) if name in p.file
    ]


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- lookups ------------------------------------------------------------------------------


def test_ui_text_returns_the_row_text() -> None:
    assert ui_text("quiz.right") == "That's right."
    assert ui_text("app.back") == "← Back"


def test_ui_text_puts_in_its_fills() -> None:
    assert ui_text("sure.score", score=2) == "SURE score: 2 of 4."
    text = ui_text("app.version", version="0.2.0", reviewed_on="2026-01-31")
    assert text == "Content version 0.2.0, reviewed 2026-01-31."


def test_ui_text_keeps_braces_in_fill_values_as_they_are() -> None:
    assert ui_text("quiz.wrong", answer="{score}") == "Not quite: the answer is {score}."


def test_a_missing_id_names_the_id() -> None:
    with pytest.raises(UnknownTextError, match=r"'app\.nowhere'.*ui_text\.csv"):
        ui_text("app.nowhere")
    assert issubclass(UnknownTextError, KyphoAidError)


def test_a_missing_or_unknown_fill_is_named() -> None:
    with pytest.raises(TextFillError, match=r"'sure\.score' needs score"):
        ui_text("sure.score")
    with pytest.raises(TextFillError, match=r"does not use colour"):
        ui_text("quiz.right", colour="red")
    with pytest.raises(TextFillError, match=r"needs answer and does not use score"):
        ui_text("quiz.wrong", score=1)


def test_every_text_can_be_filled() -> None:
    for text_id, fills in zip(UI_TEXT["text_id"], UI_TEXT["fills"], strict=True):
        names = str(fills).split(";") if isinstance(fills, str) else []
        text = ui_text(str(text_id), **{name: f"<{name}>" for name in names})
        assert "{" not in text and all(f"<{n}>" in text for n in names), text_id


def test_fill_names_reads_names_in_order_and_refuses_broken_braces() -> None:
    assert fill_names("{b} then {a} then {b}") == ("b", "a")
    assert fill_names("no fills") == ()
    for broken in ("{a", "a}", "{a:>3}", "{0}", "{a.b}"):
        with pytest.raises(ValueError):
            fill_names(broken)


def test_texts_follow_a_data_copy(data_copy: Path) -> None:
    _edit(data_copy, "ui_text.csv", "That's right.", "Yes: that is it.")
    _edit(data_copy, "session_steps.csv", "The decision", "Your decision")
    _edit(data_copy, "handout_items.csv", "outcome,leakage_any,2\n", "")
    assert ui_text("quiz.right", data_dir=data_copy) == "Yes: that is it."
    assert session_steps(data_dir=data_copy)[0] == "Your decision"
    assert handout_items("outcome", data_dir=data_copy) == ("new_fracture",)


def test_session_steps_are_in_step_order() -> None:
    steps = kypho_aid.load_dataset("session_steps").sort_values("step_number")
    assert session_steps() == tuple(steps["title"])
    assert len(session_steps()) == 7 and session_steps()[-1] == "My summary"


def test_handout_items_by_section_in_order() -> None:
    items = kypho_aid.load_dataset("handout_items")
    for section in ("attribute", "grid", "outcome", "question"):
        rows = items[items["section"] == section].sort_values("order")
        assert handout_items(section) == tuple(rows["item_id"].astype(str))
        assert handout_items(section)  # every section shows something
    assert handout_items("grid") == ("F07",)  # each option's main risks, beside its benefit
    with pytest.raises(UnknownTopicError, match="attribute, grid, outcome, question"):
        handout_items("figure")


def test_sham_choices_have_one_right_answer_without_a_reason_against() -> None:
    choices = sham_choices()
    assert list(choices) == ["a", "b", "c", "d"]
    assert sham_answer() == "b"
    assert choices["b"][1] == ""
    assert all(why for letter, (_, why) in choices.items() if letter != "b")
    with pytest.raises(TypeError):
        choices["e"] = ("x", "y")  # type: ignore[index]


# --- the widgets and the handout read them ---------------------------------------------------


def test_the_session_app_shows_the_steps_and_texts_from_data(data_copy: Path) -> None:
    pytest.importorskip("ipywidgets")
    from kypho_aid.widgets import SessionApp

    _edit(data_copy, "session_steps.csv", "Risks and benefits", "Good and bad points")
    _edit(data_copy, "ui_text.csv", "Next →", "Go on →")
    app = SessionApp(data_dir=data_copy)
    labels = [label for label, _ in app.step.options]
    assert labels[2] == "3. Good and bad points"
    assert app.next.description == "Go on →"
    app._move(10)
    assert app.step.value == len(labels) - 1


def test_widget_messages_are_the_data_texts_escaped() -> None:
    pytest.importorskip("ipywidgets")
    from kypho_aid.widgets import KnowledgeCheck, SureCheck

    sure = SureCheck()
    assert "SURE score: 0 of 4." in sure.result.value
    quiz = KnowledgeCheck()
    row = kypho_aid.load_dataset("quiz").iloc[0]
    key, answer = str(row["question_id"]), str(row["answer"])
    wrong = next(c for c in quiz.questions[key].options if c != answer)
    quiz.questions[key].value = answer
    right = escape("That's right.")  # escaped as the template does
    assert quiz.feedback[key].value.startswith(f"<p>{right} ")
    quiz.questions[key].value = wrong
    assert quiz.feedback[key].value.startswith(f"<p>Not quite: the answer is {answer}. ")


def test_session_steps_name_still_works_and_reads_data() -> None:
    pytest.importorskip("ipywidgets")
    from kypho_aid import widgets

    assert session_steps() == widgets.SESSION_STEPS
    with pytest.raises(AttributeError, match="NO_SUCH"):
        _ = widgets.NO_SUCH


def test_the_handout_shows_the_questions_from_data(data_copy: Path) -> None:
    _edit(data_copy, "handout_items.csv", "question,F08,1", "question,F02,1")
    faq = kypho_aid.load_dataset("faq", data_dir=data_copy).set_index("question_id")
    document = handout.build_handout(data_dir=data_copy)
    section = document[document.index('id="questions"') :]
    first = re.search(r"<li>([^<]*)</li>", section)
    assert first is not None
    assert first.group(1) == escape(str(faq.loc["F02", "question"].iloc[0]))


# --- deprecated constants --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "name", "replacement", "expected"),
    [
        (handout, "HANDOUT_ATTRIBUTES", "handout_items('attribute')", handout_items("attribute")),
        (handout, "HANDOUT_OUTCOMES", "handout_items('outcome')", handout_items("outcome")),
        (handout, "HANDOUT_QUESTIONS", "handout_items('question')", handout_items("question")),
        (exercises, "SHAM_CHOICES", "sham_choices()", sham_choices()),
        (exercises, "SHAM_ANSWER", "sham_answer()", "b"),
        (handout, "TITLE", "ui_text('handout.title')", ui_text("handout.title")),
        (handout.document, "TITLE", "ui_text('handout.title')", ui_text("handout.title")),
        (outcomes, "DESIGN_WORDS", "design_words()", outcomes.design_words()),
        (procedure, "ELEMENT_WORDS", "element_words()", procedure.element_words()),
        (findings, "CERTAINTY_WORDS", "certainty_words()", findings.certainty_words()),
        (
            findings,
            "CANNOT_SHOW_CAUSE",
            "ui_text('finding.cannot_show_cause')",
            ui_text("finding.cannot_show_cause"),
        ),
        (decision, "RATING_LABELS", "rating_labels()", decision.rating_labels()),
        (compare, "NOT_STATED", "ui_text('compare.not_stated')", ui_text("compare.not_stated")),
    ],
)
def test_old_constants_warn_and_name_their_replacement(
    module: object, name: str, replacement: str, expected: object
) -> None:
    with pytest.warns(DeprecationWarning, match=re.escape(replacement)):
        value = getattr(module, name)
    assert value == expected


def test_old_constants_keep_their_values() -> None:
    """The values the code held before issue 12, now read from data/."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        # the handout's attributes now come from data/handout_items.csv (issue 13 cut them to
        # one row, beside the grid's risks row); the old name still answers with them
        assert handout.HANDOUT_ATTRIBUTES == handout_items("attribute") == ("sham_benefit",)
        assert exercises.SHAM_ANSWER == "b"
        # the handout's title now comes from data/ui_text.csv (handout.title)
        assert handout.TITLE == "Your decision: treating a painful spine fracture"
        assert exercises.SHAM_CHOICES["a"][0].startswith("It makes the trial bigger")


def test_unknown_names_still_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="HANDOUT_FIGURES"):
        _ = handout.HANDOUT_FIGURES
    with pytest.raises(AttributeError, match="SHAM_LETTERS"):
        _ = exercises.SHAM_LETTERS


def test_the_old_names_are_no_longer_used_in_the_project() -> None:
    old = re.compile(
        r"\b(HANDOUT_(ATTRIBUTES|OUTCOMES|QUESTIONS)|SHAM_(CHOICES|ANSWER)|DESIGN_WORDS"
        r"|ELEMENT_WORDS|CERTAINTY_WORDS|CANNOT_SHOW_CAUSE|RATING_LABELS|NOT_STATED)\b"
    )
    places = [*ROOT.glob("kypho_aid/**/*.py"), *ROOT.glob("notebooks/src/*.py")]
    places += [p for p in ROOT.glob("tests/*.py") if p.name != "test_ui_text.py"]
    users = []
    for path in places:
        # a use is code that names the old constant (imports it, reads it), not the string
        # its module's __getattr__ compares a name with, nor a comment
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else node.name
                if isinstance(node, ast.alias)
                else None
            )
            if named is not None and old.fullmatch(named):
                users.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}: {named}")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    users += [f"README.md: {found.group(0)}" for found in old.finditer(readme)]
    assert users == []


# --- the checks --------------------------------------------------------------------------------


def test_the_real_tables_pass_their_checks() -> None:
    assert kypho_aid.validate() == []


def test_a_fill_not_listed_and_a_fill_not_used_are_reported(data_copy: Path) -> None:
    _edit(
        data_copy, "ui_text.csv", "SURE score: {score} of 4.,score", "SURE score: {n} of 4.,score"
    )
    assert sorted(_problems(data_copy, "ui_text")) == [
        "13:fills: fills lists score but the text has no {score}; use it or remove it",
        "13:fills: the text fills in n but fills does not list it; add it to fills",
    ]


def test_a_broken_brace_is_reported(data_copy: Path) -> None:
    _edit(data_copy, "ui_text.csv", "That's right.", "That's {right.")
    (problem,) = _problems(data_copy, "ui_text")
    assert problem.startswith("15:text: expected '}' before end of string")


def test_handout_items_are_checked_against_their_sections_table(data_copy: Path) -> None:
    _edit(data_copy, "handout_items.csv", "outcome,new_fracture,1", "outcome,what_it_is,1")
    _edit(data_copy, "handout_items.csv", "question,F11,3", "question,F99,3")
    _edit(data_copy, "handout_items.csv", "grid,F07,1", "grid,F98,1")
    assert _problems(data_copy, "handout_items") == [
        "3:item_id: unknown question_id 'F98' for section grid: it is not in faq.csv",
        "4:item_id: unknown outcome 'what_it_is' for section outcome: it is not in "
        "outcome_definitions.csv",
        "8:item_id: unknown question_id 'F99' for section question: it is not in faq.csv",
    ]


def test_a_handout_item_listed_twice_in_one_place_is_reported(data_copy: Path) -> None:
    _edit(data_copy, "handout_items.csv", "question,F11,3", "question,F11,2")
    (problem,) = _problems(data_copy, "handout_items")
    assert problem == "8:section+order: duplicate key 'question, 2' (first used on row 7)"


def test_sham_choices_need_exactly_one_right(data_copy: Path) -> None:
    _edit(data_copy, "sham_choices.csv", "instead.,false,", "instead.,true,")
    assert _problems(data_copy, "sham_choices") == [
        "4:right: a second choice is marked right (the first is on row 3); mark exactly one"
    ]


def test_the_right_sham_choice_needs_a_source(data_copy: Path) -> None:
    _edit(
        data_copy,
        "sham_choices.csv",
        ',true,,COCH2018,"Abstract, Authors\' conclusions"',
        ",true,,,",
    )
    assert _problems(data_copy, "sham_choices") == ["3:source_ids: required when right is True"]


@pytest.mark.parametrize(
    "case",
    [
        "ui-text-fill-not-listed",
        "ui-text-fill-not-used",
        "ui-text-unclosed-brace",
        "session-steps-duplicate-id",
        "handout-item-unknown-attribute",
        "handout-item-unknown-outcome",
        "handout-item-in-wrong-section",
        "sham-two-right",
        "sham-none-right",
        "sham-wrong-choice-without-why",
    ],
)
def test_the_corpus_has_a_case_for_each_new_check(case: str) -> None:
    """The cases themselves run in test_validation; here: they exist and give the whole line."""
    expected = (ROOT / "tests" / "broken_data" / case / "expected.txt").read_text(encoding="utf-8")
    assert re.match(r"[a-z_]+\.csv:\d+:[a-z_]+: .+", expected.splitlines()[0])


# --- the readability gate --------------------------------------------------------------------


def test_the_gate_scores_the_apps_patient_sentences() -> None:
    texts = readability.patient_texts().set_index("source")
    scored = str(texts.loc["ui_text.patient", "text"])
    assert "Contact your care team today, whatever you choose." in scored
    assert "SURE score: it of 4." in scored  # a fill reads as one short word
    assert "Fairest test first" not in scored  # a label, not a sentence
    report = readability.readability_report().set_index("source")
    assert report.loc["ui_text.patient", "smog"] <= readability.GRADE_LIMIT


def test_a_hard_app_sentence_fails_the_gate(data_copy: Path) -> None:
    hard = (
        "Comprehensive individualised multidisciplinary consideration necessitates "
        "collaborative deliberation regarding interventional alternatives."
    )
    # SMOG scores a source's sentences together (each distinct sentence once), so a few hard
    # ones among many easy ones pass: make every patient sentence without fills hard (a fixed
    # count went stale each time texts were added); the fills keep their rows valid
    path = data_copy / "ui_text.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    plain = (
        (table["audience"] == "patient") & (table["kind"] == "sentence") & (table["fills"] == "")
    )
    assert plain.sum() >= 20
    table.loc[plain, "text"] = [hard.replace(".", f" {n}.") for n in range(int(plain.sum()))]
    table.to_csv(path, index=False)
    report = readability.readability_report(data_copy).set_index("source")
    assert report.loc["ui_text.patient", "smog"] > readability.GRADE_LIMIT
    assert report.loc["ui_text.patient", "verdict"] != "ok"
    # and the real sentences pass the same gate
    real = readability.readability_report().set_index("source")
    assert real.loc["ui_text.patient", "verdict"] == "ok"


# --- no words people read in the rendering code --------------------------------------------

#: The modules that build what a person sees or reads (the facts told in words, the screens,
#: the pictures, the exercises); what they show comes from data/ (ui_text.csv and the tables).
_RENDERING = sorted(
    [
        *(ROOT / "kypho_aid").glob("export.py"),
        *(ROOT / "kypho_aid").glob("templating.py"),
        *(ROOT / "kypho_aid" / "widgets").glob("*.py"),
        *(ROOT / "kypho_aid" / "handout").glob("*.py"),
        *(ROOT / "kypho_aid" / "note").glob("*.py"),
        *(ROOT / "kypho_aid" / "plotting").glob("*.py"),
        *(ROOT / "kypho_aid" / "exercises").glob("*.py"),
        *(
            ROOT / "kypho_aid" / f"{name}.py"
            for name in (
                "findings",
                "wording",
                "outcomes",
                "procedure",
                "decision",
                "compare",
                "candidacy",
                "intake",
                "profile",
            )
        ),
    ]
)

#: Two words with a space between them: the shape of text a person reads.
_PHRASE = re.compile(r"[A-Za-z]{2,} +[A-Za-z]{2,}")

#: (module, literal) -> why it may stay in code.
_ALLOWED_PHRASES = {
    ("deliberation", "row wrap"): "a CSS flex-flow value",
    ("charts", "offset points"): "matplotlib's name for a coordinate system",
    ("document", "not answered"): "the state of a SURE answer, kept beside yes and no; the "
    "handout's template prints the question, not this word",
    ("inputs", "consideration to rating (0 to 4)"): "what a wrong argument should have been, "
    "for the programmer who passed it (InputError)",
    ("inputs", "S, U, R, E to True or False"): "the same, for SURE answers",
    ("output", "install it with `apt-get install chromium` (Debian) or set KYPHO_AID_CHROMIUM"): (
        "how to install chromium, for the person running the command"
    ),
    ("output", "the chromium argument"): "names an argument in an error message",
    ("fhir", "at the top level"): "part of an error message about a FHIR item's place",
    ("fhir", "in the group "): "the same",
    ("templating", '{} <span class="kypho-aid-cite">[{}</span>'): "the cite-mark filter's "
    "markup: a tag and its class, no words",
    ("decision", "consideration to rating"): "what a wrong argument should have been, for the "
    "programmer who passed it (InputError)",
    ("decision", "trade-off to answer"): "the same",
    ("decision", "S, U, R, E to yes or no"): "the same",
    ("decision", "a SURE item"): "the same",
    ("compare", "^([A-Za-z][\\w'’ -]*?) [A-Z]{1,3}(?: et al\\.?)?$"): "a regular expression "
    "that finds an author's name in a source's authors",
    ("compare", "et al"): "the citation convention the short citation searches for",
    ("compare", " et al."): "and adds, as every reference list does",
    ("intake", "out of 10"): "words a person may type after a pain score, read, not shown",
    ("profile", "True or False"): "the allowed values in a ProfileError, which names the field "
    "by its id for the programmer who passed it",
    ("profile", "one of "): "the same",
    ("profile", " must be "): "the same",
    ("profile", "a number of weeks from "): "the same",
    ("profile", "a whole number from "): "the same",
}


def _phrases(source: str) -> list[tuple[int, str]]:
    """String literals shaped like text a person reads, leaving out docstrings and the
    arguments of raise and warnings.warn (messages for programmers)."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skip.add(id(body[0].value))
        called = isinstance(node, ast.Call) and (
            getattr(node.func, "attr", None) == "warn"
            or getattr(node.func, "id", None) in {"warn_deprecated", "deprecated_names"}
        )
        if isinstance(node, ast.Raise) or called:
            skip.update(id(inner) for inner in ast.walk(node))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and _PHRASE.search(node.value)
    ]


def test_the_rendering_code_holds_no_words_people_read() -> None:
    assert len(_RENDERING) >= 15
    found = {
        (path.stem, text): f"{path.relative_to(ROOT)}:{line}"
        for path in _RENDERING
        for line, text in _phrases(path.read_text(encoding="utf-8"))
    }
    assert {key: where for key, where in found.items() if key not in _ALLOWED_PHRASES} == {}
    # an allowance whose text is gone is stale
    assert set(_ALLOWED_PHRASES) <= set(found)


def test_the_phrase_finder_sees_words_and_skips_messages_for_programmers() -> None:
    source = (
        '"""A docstring of many words."""\n'
        'label = "Your summary is ready"\n'
        'key = "app.summary_ready"\n'
        'raise ValueError("a message for the programmer")\n'
        'warnings.warn("another message", stacklevel=2)\n'
        'title = f"Step {n}: {label} of the procedure"\n'
    )
    assert {text for _, text in _phrases(source)} == {"Your summary is ready", " of the procedure"}


#: Texts that read the same on purpose: the same words in two places that may part ways.
_SAME_WORDS_ON_PURPOSE = {
    frozenset({"app.notes_heading", "handout.notes_heading"}): "a heading on screen and in print",
    frozenset({"design.open_rct", "design.unblinded_rct"}): "two codes for the same design",
    frozenset({"finding.versus", "finding.figure_means"}): "a comparison's name and a figure",
}


def test_no_text_is_written_twice() -> None:
    """One idea, one row: the exercises and the findings once held the same sentences twice."""
    twice = UI_TEXT[UI_TEXT["text"].duplicated(keep=False)]
    groups = {frozenset(g["text_id"]) for _, g in twice.groupby("text", sort=True)}
    assert groups == set(_SAME_WORDS_ON_PURPOSE)
