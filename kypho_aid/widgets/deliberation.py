"""Deliberation: the widgets where a person answers (values as trade-offs, the SURE test, the
knowledge check, the candidacy form); each reads its answers with a pure function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from kypho_aid.candidacy import (
    PROFILE_FIELDS,
    screen,
    screening_context,
)
from kypho_aid.compare import (
    SourceNumbering,
    bibliography,
    short_citation,
)
from kypho_aid.datasets import load_dataset
from kypho_aid.decision import (
    SKIP,
    check_answer,
    sure_result,
    tradeoff_lineup,
    tradeoff_ratings,
    values_table,
)
from kypho_aid.intake import form_layout, read_form, status_badges
from kypho_aid.texts import ui_text
from kypho_aid.widgets._common import LABELLED, _html, w


def _answer_toggle(
    options: Sequence[tuple[str, object]], question: str, css_class: str, width: str
) -> Any:
    """Buttons for one question, none chosen yet, named by the question (which the row also
    shows: the label is for screen readers only)."""
    toggle = w.ToggleButtons(
        options=options, value=None, description=question, style={"button_width": width}
    )
    toggle.add_class(css_class)
    toggle.add_class(LABELLED)
    return toggle


class ValuesRater(w.VBox):  # type: ignore[misc]
    """Weigh trade-offs between what the options offer; see what each option offers on each.

    One question per trade-off of ``data/tradeoffs.csv``, answered on a five-point scale of
    toggle buttons (much more the one side, a bit more, both the same, a bit more the other,
    much more the other) or skipped. The line-up shows the answered trade-offs only: which
    side the person leans to, then a short line per option for each side with its sources'
    numbers (:func:`kypho_aid.decision.tradeoff_lineup`); no total, no ranking of options.

    ``.answers`` is the trade-off answers, ``.value`` the ratings they give the considerations
    (:func:`kypho_aid.decision.tradeoff_ratings`, what the handout and the note read) and
    ``.table`` the :func:`kypho_aid.decision.values_table` of those ratings. ``.choices`` holds
    the toggle buttons by trade-off id; ``.sliders`` is the same dict under its old name, the
    one the session app watches.
    """

    def __init__(self, *, data_dir: str | Path | None = None) -> None:

        self._data_dir = data_dir
        tradeoffs = load_dataset("tradeoffs", data_dir=data_dir).sort_values("order")
        self._questions = dict(
            zip(
                tradeoffs["tradeoff_id"].astype(str), tradeoffs["question"].astype(str), strict=True
            )
        )
        self.choices: dict[str, w.ToggleButtons] = {}
        rows = []
        for item in tradeoffs.itertuples(index=False):
            toggle = _answer_toggle(
                self._scale(str(item.left_label), str(item.right_label)),
                str(item.question),
                f"kypho-tradeoff-{item.tradeoff_id}",
                "auto",
            )
            self.choices[str(item.tradeoff_id)] = toggle
            rows.append(w.VBox([w.HTML(_html("bold", words=str(item.question))), toggle]))
        self.sliders = self.choices
        self.lineup = w.HTML()
        self.lineup.add_class("kypho-values-lineup")
        super().__init__([*rows, self.lineup])
        self.answers: dict[str, str] = {}
        self.value: dict[str, int] = {}
        self._render()
        for toggle in self.choices.values():
            toggle.observe(self._render, names="value")

    def _scale(self, left: str, right: str) -> list[tuple[str, str]]:
        """The buttons of one trade-off, left to right, then Skip: (words, answer)."""

        def text(text_id: str, side: str | None = None) -> str:
            fills = {} if side is None else {"side": side}
            return ui_text(text_id, data_dir=self._data_dir, **fills)

        return [
            (text("values.much_more", left), "left_much"),
            (text("values.more", left), "left"),
            (text("values.same"), "same"),
            (text("values.more", right), "right"),
            (text("values.much_more", right), "right_much"),
            (text("values.skip"), SKIP),
        ]

    def _lean(self, answer: str, sides: Any) -> str:
        """The sentence saying which side the person leans to, and how much."""
        if answer == "same":
            return ui_text("values.lean_same", data_dir=self._data_dir)
        text_id = "values.lean_much" if answer.endswith("_much") else "values.lean"
        return ui_text(text_id, side=str(sides.iloc[0]["side_label"]), data_dir=self._data_dir)

    def _render(self, change: dict[str, Any] | None = None) -> None:

        self.answers = {
            key: t.value for key, t in self.choices.items() if t.value not in (None, SKIP)
        }
        self.value = tradeoff_ratings(self.answers, data_dir=self._data_dir)
        self.table = values_table(self.value, data_dir=self._data_dir)
        lineup = tradeoff_lineup(self.answers, data_dir=self._data_dir)
        if lineup.empty:
            empty = ui_text("values.empty", data_dir=self._data_dir)
            self.lineup.value = _html("paragraph", words=empty)
            return
        numbering = SourceNumbering(lineup["source_ids"])
        groups = []
        for tradeoff_id, rows in lineup.groupby("tradeoff_id", sort=False):
            # the side the person leans to is shown; the other waits behind its name
            sides = [
                (
                    str(label),
                    bool(side["leaned"].iloc[0]),
                    [
                        (
                            cast(str, r.option_label),
                            cast(str, r.short),
                            numbering.mark(r.source_ids),
                        )
                        for r in side.itertuples()
                    ],
                )
                for label, side in rows.groupby("label", sort=False)
            ]
            answer = str(rows.iloc[0]["answer"])
            groups.append((self._questions[str(tradeoff_id)], self._lean(answer, rows), sides))
        cited = bibliography(numbering.order, data_dir=self._data_dir, cite=short_citation)
        self.lineup.value = _html(
            "values_lineup",
            intro=ui_text("values.intro", data_dir=self._data_dir),
            groups=groups,
            sources_title=ui_text("values.sources", data_dir=self._data_dir),
            sources=list(zip(cited["number"], cited["citation"], strict=True)),
        )


class SureCheck(w.VBox):  # type: ignore[misc]
    """The four SURE questions, yes or no; shows the score and the decisional-conflict flag."""

    def __init__(self, *, data_dir: str | Path | None = None) -> None:
        self._data_dir = data_dir
        items = load_dataset("sure_items", data_dir=data_dir)
        self.answers: dict[str, w.ToggleButtons] = {}
        rows = []
        yes, no = ui_text("answer.yes", data_dir=data_dir), ui_text("answer.no", data_dir=data_dir)
        for item in items.itertuples(index=False):
            toggle = _answer_toggle(
                [(yes, True), (no, False)], str(item.question), f"kypho-sure-{item.item_id}", "5rem"
            )
            self.answers[str(item.item_id)] = toggle
            rows.append(
                w.HBox(
                    [
                        w.HTML(
                            _html("text", words=str(item.question)), layout=w.Layout(width="28rem")
                        ),
                        toggle,
                    ]
                )
            )
        self.result = w.HTML()
        self.result.add_class("kypho-sure-result")
        super().__init__([*rows, self.result])
        self._render()
        for toggle in self.answers.values():
            toggle.observe(self._render, names="value")

    def _render(self, change: dict[str, Any] | None = None) -> None:

        given = {key: t.value for key, t in self.answers.items() if t.value is not None}
        self.value = sure_result(given, data_dir=self._data_dir)
        conflict = ui_text("sure.conflict", data_dir=self._data_dir)
        self.result.value = _html(
            "sure_result",
            score=ui_text("sure.score", score=self.value.score, data_dir=self._data_dir),
            conflict=conflict if self.value.conflict else "",
            message=self.value.message,
        )


class KnowledgeCheck(w.VBox):  # type: ignore[misc]
    """A short teach-back quiz: pick an answer, see whether it is right and why, with sources."""

    def __init__(self, *, data_dir: str | Path | None = None) -> None:
        self._data_dir = data_dir
        quiz = load_dataset("quiz", data_dir=data_dir)
        self.questions: dict[str, w.RadioButtons] = {}
        self.feedback: dict[str, w.HTML] = {}
        rows = []
        for item in quiz.itertuples(index=False):
            choice = w.RadioButtons(
                options=str(item.choices).split(";"), value=None, layout=w.Layout(width="auto")
            )
            choice.add_class(f"kypho-quiz-{item.question_id}")
            feedback = w.HTML()
            feedback.add_class(f"kypho-quiz-feedback-{item.question_id}")
            self.questions[str(item.question_id)] = choice
            self.feedback[str(item.question_id)] = feedback
            choice.observe(self._render, names="value")
            rows.append(w.VBox([w.HTML(_html("bold", words=str(item.question))), choice, feedback]))
        super().__init__(rows)

    @property
    def value(self) -> dict[str, bool]:
        """Which answered questions were right."""

        return {
            key: check_answer(key, radio.value, data_dir=self._data_dir).correct
            for key, radio in self.questions.items()
            if radio.value is not None
        }

    def _render(self, change: dict[str, Any] | None = None) -> None:

        for key, radio in self.questions.items():
            if radio.value is None:
                self.feedback[key].value = ""
                continue
            result = check_answer(key, radio.value, data_dir=self._data_dir)
            verdict = (
                ui_text("quiz.right", data_dir=self._data_dir)
                if result.correct
                else ui_text("quiz.wrong", answer=result.answer, data_dir=self._data_dir)
            )
            self.feedback[key].value = _html("paragraph", words=f"{verdict} {result.explanation}")


class CandidacyCheck(w.VBox):  # type: ignore[misc]
    """The candidacy check: a form for the patient profile, screened against the rules in data/.

    Questions come in groups (:func:`kypho_aid.intake.form_layout`): warning signs first, and
    the clinician's questions last, closed. Every field may stay "not known". Numbers may be
    typed with their unit ("6 weeks", "2 months"); an answer that cannot be read is explained
    beside its own field and counts as not known, so the result stays on screen. ``.value`` is
    the screening table of the answers that could be read; ``.errors`` maps each field that
    could not be read to its message. A red flag (status ``urgent_assessment``) is announced
    first, as an alert; each option then gets a status badge with its reasons, and what
    guideline groups say (:func:`kypho_aid.candidacy.screening_context`) follows, closed.
    """

    def __init__(self, *, data_dir: str | Path | None = None) -> None:

        self._data_dir = data_dir
        self._context = self._context_items(screening_context(data_dir=data_dir), data_dir)
        self.fields: dict[str, w.Widget] = {}
        self.messages: dict[str, w.HTML] = {}
        yes, no, unknown = (
            ui_text(f"answer.{a}", data_dir=data_dir) for a in ("yes", "no", "not_known")
        )
        sections: list[w.Widget] = []
        closed: list[tuple[str, w.Widget]] = []
        layout = form_layout(data_dir=data_dir)
        self._questions = {name: question for g in layout for name, question in g.questions}
        for group in layout:
            rows: list[w.Widget] = []
            for name, question in group.questions:
                control = self._control(name, question, (yes, no, unknown))
                message = w.HTML()
                message.add_class(f"kypho-error-{name}")
                self.fields[name] = control
                self.messages[name] = message
                rows.append(
                    w.VBox(
                        [
                            w.HBox(
                                [w.HTML(_html("text", words=question)), control],
                                layout=w.Layout(flex_flow="row wrap", align_items="center"),
                            ),
                            message,
                        ]
                    )
                )
                rows[-1].add_class("kypho-question")
            if group.closed:
                closed.append((group.heading, w.VBox(rows)))
            else:
                sections.append(w.HTML(_html("heading", level=3, title=group.heading)))
                sections.extend(rows)
        if closed:
            more = w.Accordion(children=[box for _, box in closed], titles=[t for t, _ in closed])
            more.selected_index = None
            more.add_class("kypho-clinician-questions")
            sections.append(more)
        self.result = w.HTML()
        self.result.add_class("kypho-candidacy-result")
        super().__init__([*sections, self.result])
        self.value: Any = None
        self.errors: Mapping[str, str] = {}
        self._render()
        for control in self.fields.values():
            control.observe(self._render, names="value")

    def _control(self, name: str, question: str, answers: tuple[str, str, str]) -> w.Widget:
        """The control for one profile field, named by its question."""
        yes, no, unknown = answers
        spec = PROFILE_FIELDS[name]
        if spec.kind == "boolean":
            # "" stands for not known, so that its button shows as chosen (None would select
            # no button at all); read_form reads "" as not known
            control: w.Widget = w.ToggleButtons(
                options=[(unknown, ""), (yes, True), (no, False)], value=""
            )
        elif spec.kind == "choice":
            # "" stands for not known: a Dropdown shows None as a blank box
            control = w.Dropdown(
                options=[(unknown, ""), *[(c.replace("_", " "), c) for c in spec.choices]],
                value="",
            )
        else:
            control = w.Text(placeholder=ui_text("candidacy.placeholder", data_dir=self._data_dir))
        control.description = question
        control.add_class(f"kypho-profile-{name}")
        control.add_class(LABELLED)
        return control

    def answers(self) -> dict[str, object]:
        """The form as typed: text for number fields, the chosen value for the others."""
        return {name: control.value for name, control in self.fields.items()}

    def _render(self, change: dict[str, Any] | None = None) -> None:

        reading = read_form(self.answers(), data_dir=self._data_dir)
        self.errors = reading.errors
        for name, message in self.messages.items():
            problem = reading.errors.get(name)
            message.value = "" if problem is None else _html("error", words=problem)
        self.value = screen(reading.profile, data_dir=self._data_dir)
        urgent = (self.value["status"] == "urgent_assessment").any()
        warning = (
            (self._text("candidacy.warning"), self._text("candidacy.contact_today"))
            if urgent
            else None
        )
        open_fields = {name for fields in self.value["to_find_out"] for name in fields}
        badges = [
            (
                badge.option_label,
                badge.status,
                badge.words,
                [
                    r
                    for r, s in zip(badge.reasons, statuses, strict=True)
                    if s != "more_information_needed"
                ],
                ui_text("candidacy.open_count", count=len(to_find_out), data_dir=self._data_dir)
                if to_find_out
                else "",
            )
            for badge, statuses, to_find_out in zip(
                status_badges(self.value, data_dir=self._data_dir),
                self.value["reason_statuses"],
                self.value["to_find_out"],
                strict=True,
            )
        ]
        # what is still to find out, once for all the options, in the form's order
        open_questions = [q for name, q in self._questions.items() if name in open_fields]
        self.result.value = _html(
            "screening_result",
            warning=warning,
            unread=self._text("intake.not_read") if reading.errors else None,
            heading=self._text("candidacy.found"),
            badges=badges,
            to_find_out=self._text("candidacy.to_find_out"),
            open_questions=open_questions,
            note=self._text("candidacy.rules_note"),
            groups_title=self._text("candidacy.groups_say"),
            groups_note=self._text("candidacy.groups_note"),
            groups=self._context,
        )

    def _text(self, text_id: str) -> str:
        """One text of ``ui_text.csv`` (plain text: the template escapes it)."""
        return ui_text(text_id, data_dir=self._data_dir)

    @staticmethod
    def _context_items(context: Any, data_dir: str | Path | None) -> list[tuple[str, ...]]:
        """What guideline groups say about each option, cited (same for everyone): option,
        what it says, its sources and who paid ("" when not stated)."""
        return [
            (
                str(row.option_label),
                str(row.text),
                ", ".join(row.source_ids),
                ui_text("candidacy.paid_by", funding=row.funding, data_dir=data_dir)
                if row.funding
                else "",
            )
            for row in context.itertuples(index=False)
        ]
