"""Interactive views for notebooks and the app: thin ipywidgets shells over pure functions.

The only module that imports ipywidgets. A widget builds its controls, wires them with
``observe`` and on every change calls one pure function (here :func:`kypho_aid.outcomes.risk_view`)
and one drawing function; it computes nothing itself and never calls ``display``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

import traitlets
from markupsafe import Markup

# ipywidgets 8 ships neither type hints nor a py.typed marker, and no stub package exists, so
# ``w`` is Any to mypy: the import and each ``class ...(w.VBox)`` (subclassing Any) carry a
# narrow ignore. Everything else here is checked strictly.
try:
    import ipywidgets as w  # type: ignore[import-untyped]
except ImportError as err:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "kypho_aid.widgets needs ipywidgets: pip install 'kypho-aid[widgets]'"
    ) from err

from kypho_aid.candidacy import (
    PROFILE_FIELDS,
    screen,
    screening_context,
)
from kypho_aid.compare import (
    SourceNumbering,
    bibliography,
    compare,
    option_grid,
    short_citation,
)
from kypho_aid.datasets import content_info, load_dataset, option_labels
from kypho_aid.decision import (
    SKIP,
    check_answer,
    sure_result,
    tradeoff_lineup,
    tradeoff_ratings,
    values_table,
)
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.export import (
    about_html,
    option_grid_html,
    outcome_tile_html,
    overview_html,
    risk_view_html,
    step_view_html,
)
from kypho_aid.findings import pairwise_panels
from kypho_aid.handout import build_handout
from kypho_aid.intake import form_layout, read_form, status_badges
from kypho_aid.note import build_note, build_note_fhir
from kypho_aid.outcomes import VIEWS, RiskView, outcome_tiles, risk_view
from kypho_aid.procedure import DRAWN_OPTIONS, procedure_steps, step_view
from kypho_aid.style import APP_CSS, DOWNLOAD_LINK_STYLE, STEP_IMAGE_WIDTH_PX, TILE_COLUMNS
from kypho_aid.templating import render_macro
from kypho_aid.texts import session_steps, ui_text

__all__ = [
    "CandidacyCheck",
    "KnowledgeCheck",
    "OutcomeTiles",
    "RiskExplorer",
    "SessionApp",
    "StepExplorer",
    "SureCheck",
    "ValuesRater",
]


#: Class of a control whose question is written beside it: its own label (the control's
#: accessible name) is kept for screen readers only (see kypho_aid.style.APP_CSS).
LABELLED = "kypho-labelled"


def _html(piece: str, /, **arguments: Any) -> str:
    """One piece of HTML from ``templates/widgets.html.j2``: its macro ``piece``, text escaped."""
    return render_macro("widgets.html.j2", piece, **arguments)


def _trusted(value: str) -> Markup:
    """Mark a value as safe to write into an attribute unescaped: the one place widgets do.

    Only for values made from the package's own constants (:mod:`kypho_aid.style`) and base64
    data URIs (letters, digits, ``+/=`` and the fixed ``data:...;base64,`` prefix), which hold
    nothing a person typed and nothing escaping would change.
    """
    return Markup(value)  # trusted: see the docstring (constants and base64 only)


class OptionChecks(w.HBox):  # type: ignore[misc]
    """A tick box per option: each is picked or not on its own (a multiple-select list drops
    the others on a plain click). ``value`` is the tuple of ticked option ids, in order;
    ``options`` the (label, id) pairs, as on an ipywidgets selection."""

    value = traitlets.Tuple()

    def __init__(
        self, options: list[tuple[str, str]], *, value: tuple[str, ...], description: str
    ) -> None:
        self.options = options
        self.boxes = {
            option_id: w.Checkbox(value=option_id in value, description=label, indent=False)
            for label, option_id in options
        }
        legend = w.HTML(_html("bold", words=description))
        super().__init__([legend, *self.boxes.values()])
        self.value = tuple(option_id for _, option_id in options if option_id in value)
        for box in self.boxes.values():
            box.observe(self._ticked, names="value")
        self.observe(self._set, names="value")

    def _ticked(self, change: dict[str, Any]) -> None:
        self.value = tuple(option_id for option_id, box in self.boxes.items() if box.value)

    def _set(self, change: dict[str, Any]) -> None:
        for option_id, box in self.boxes.items():
            box.value = option_id in change["new"]


class OutcomeTiles(w.GridBox):  # type: ignore[misc]
    """The outcomes at a glance (MAGIC-style tiles): one tile per outcome from its fairest
    test, each with a button to talk about it first.

    ``chosen`` is the outcome last chosen (None until one is); ``on_choose`` callbacks get it.
    """

    def __init__(self, *, data_dir: str | Path | None = None) -> None:
        self.tiles = outcome_tiles(data_dir=data_dir)
        self.chosen: str | None = None
        self._callbacks: list[Callable[[str], None]] = []
        self.buttons: dict[str, w.Button] = {}
        children = []
        for tile in self.tiles:
            button = w.Button(
                description=ui_text("tile.talk", data_dir=data_dir),
                tooltip=tile.label,
            )
            button.add_class(f"kypho-tile-{tile.outcome}")
            button.on_click(lambda _, outcome=tile.outcome: self._choose(outcome))
            self.buttons[tile.outcome] = button
            box = w.VBox([w.HTML(outcome_tile_html(tile, data_dir=data_dir)), button])
            box.add_class("kypho-tile-box")
            children.append(box)
        super().__init__(
            children, layout=w.Layout(grid_template_columns=TILE_COLUMNS, grid_gap="0.8rem")
        )
        self.add_class("kypho-tiles")

    def on_choose(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(outcome)`` whenever a tile's button is pressed."""
        self._callbacks.append(callback)

    def _choose(self, outcome: str) -> None:
        self.chosen = outcome
        for callback in self._callbacks:
            callback(outcome)


def _data_uri(media_type: str, text: str) -> str:
    """``text`` as a data: address (UTF-8, base64) the browser saves, prints or opens."""
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"data:{media_type};charset=utf-8;base64,{encoded}"


class RiskExplorer(w.VBox):  # type: ignore[misc]
    """Choose an outcome, options and a view (icons, numbers, words); the output redraws in place.

    Attributes
    ----------
    outcome, options, comparison, view : ipywidgets controls
        ``comparison`` is the fairest test first (the default) or one named comparison.
    chart : ipywidgets.HTML
        The icon array or comparison chart, an ``<img>`` whose alt text is the chart's short
        description (ipywidgets' Image has no alt text); hidden in views without a chart.
    png : bytes
        That chart as PNG (empty in views without a chart).
    description : ipywidgets.HTML
        The alt text and the long description of the chart, in words.
    summary : ipywidgets.HTML
        The numbers (a table) or the words (sentences), with certainty and design.
    value : RiskView
        What is shown now.
    """

    def __init__(
        self,
        *,
        outcome: str = "new_fracture",
        options: tuple[str, ...] | None = None,
        view: str = "icons",
        comparison: str | None = None,
        data_dir: str | Path | None = None,
    ) -> None:
        self._data_dir = data_dir
        definitions = load_dataset("outcome_definitions", data_dir=data_dir)
        option_rows = load_dataset("options", data_dir=data_dir)
        option_ids = tuple(option_rows["option_id"].astype(str))
        self.outcome = w.Dropdown(
            options=list(
                zip(definitions["label"], definitions["outcome"].astype(str), strict=True)
            ),
            value=outcome,
            description=ui_text("risk.outcome", data_dir=data_dir),
        )
        self.options = OptionChecks(
            list(zip(option_rows["label"].astype(str), option_ids, strict=True)),
            value=options or option_ids,
            description=ui_text("risk.options", data_dir=data_dir),
        )
        panels = pairwise_panels(outcome, data_dir=data_dir)
        self.comparison = w.Dropdown(
            options=[
                (ui_text("risk.fairest_first", data_dir=data_dir), ""),
                *zip(panels["comparison_label"], panels["comparison"].astype(str), strict=True),
            ],
            value=comparison or "",
            description=ui_text("risk.compare", data_dir=data_dir),
        )
        self.view = w.ToggleButtons(
            options=[(v.capitalize(), v) for v in VIEWS],
            value=view,
            description=ui_text("risk.show", data_dir=data_dir),
        )
        self.chart = w.HTML(layout=w.Layout(max_width="100%"))
        self.png = b""
        self.description = w.HTML()
        self.summary = w.HTML()
        for control, name in (
            (self.outcome, "outcome"),
            (self.options, "options"),
            (self.comparison, "comparison"),
            (self.view, "view"),
        ):
            control.add_class(f"kypho-risk-{name}")
        self.summary.add_class("kypho-risk-summary")
        self.chart.add_class("kypho-risk-chart")
        super().__init__(
            [
                w.HBox([self.outcome, self.options]),
                self.comparison,
                self.view,
                self.chart,
                self.description,
                self.summary,
            ]
        )
        self.value: RiskView = self._render()
        for control in (self.outcome, self.options, self.comparison, self.view):
            control.observe(self._render, names="value")

    def _render(self, change: dict[str, Any] | None = None) -> RiskView:
        chosen = self.options.value or (self.options.options[0][1],)
        view = risk_view(
            self.outcome.value,
            chosen,
            self.view.value,
            comparison=self.comparison.value or None,
            data_dir=self._data_dir,
        )
        self.value = view
        if view.chart is not None and view.text is not None:
            from kypho_aid.plotting import render_png  # matplotlib only once a chart is shown

            self.png = render_png(view)
            encoded = base64.b64encode(self.png).decode("ascii")
            self.chart.value = _html(
                "chart_image",
                src=_trusted(f"data:image/png;base64,{encoded}"),
                alt=view.text.alt,
            )
            self.chart.layout.display = None
            self.description.value = _html(
                "chart_text",
                shows=ui_text("risk.chart_shows", data_dir=self._data_dir),
                alt=view.text.alt,
                long=view.text.long,
            )
        else:
            self.png = b""
            self.chart.value = ""
            self.chart.layout.display = "none"
            self.description.value = ""
        self.summary.value = risk_view_html(view)
        return view


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
            toggle = w.ToggleButtons(
                options=self._scale(str(item.left_label), str(item.right_label)),
                value=None,
                description=str(item.question),
                style={"button_width": "auto"},
            )
            toggle.add_class(f"kypho-tradeoff-{item.tradeoff_id}")
            toggle.add_class(LABELLED)
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
            sides = [
                (
                    str(label),
                    [
                        (
                            cast(str, r.option_label),
                            cast(str, r.short),
                            ", ".join(map(str, numbering.cite(r.source_ids))),
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
            toggle = w.ToggleButtons(
                options=[(yes, True), (no, False)],
                value=None,
                description=str(item.question),
                style={"button_width": "5rem"},
            )
            toggle.add_class(f"kypho-sure-{item.item_id}")
            toggle.add_class(LABELLED)
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


def __getattr__(name: str) -> tuple[str, ...]:
    # SESSION_STEPS: the steps of a shared-decision session, in order, read from
    # data/session_steps.csv when first asked for (see kypho_aid.texts.session_steps).
    if name != "SESSION_STEPS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return session_steps()


class SessionApp(w.VBox):  # type: ignore[misc]
    """The shared-decision session: seven steps from the condition to a summary to take home.

    Everything the patient enters stays in this object's widgets; nothing is written to disk.
    The last step, "My summary", is made whenever it is opened after an answer changed (and at
    once if an answer changes while it is shown): the one-page handout as a data: address the
    browser prints or saves, and the note for the medical record as text (``note_text``) and
    as FHIR (``note_fhir``, a data: address to save). The browser saves, prints or copies them
    only when the person asks: the kernel never writes them anywhere.

    The app's box carries classes the page's script reads (the Voilà template ``kypho``):
    each step's page is ``kypho-page-N`` (from 1), ``progress`` says "Step N of 7" and the
    box gains ``kypho-answered`` once the patient has answered anything, so that leaving the
    page asks first. The script keeps the step in the address (``#step-N``) and moves focus
    to the new step's heading; the kernel knows nothing of either.
    """

    def __init__(self, *, data_dir: str | Path | None = None) -> None:

        self._data_dir = data_dir
        info = content_info(data_dir=data_dir)
        options = load_dataset("options", data_dir=data_dir)
        version = ui_text(
            "app.version",
            version=info.version,
            reviewed_on=info.reviewed_on.isoformat(),
            data_dir=data_dir,
        )
        # One disclaimer, compact, at the top of the first step and again on the summary; the
        # content version and review date in a small footer under every step.
        self._disclaimer = _html("disclaimer", words=info.disclaimer)
        self.footer = w.HTML(_html("session_footer", version=version))
        self.footer.add_class("kypho-footer")
        self.progress = w.HTML()
        self.progress.add_class("kypho-progress")
        self.answered = False
        self.risks: RiskExplorer | None = None
        self.tiles: OutcomeTiles | None = None
        self.candidacy: CandidacyCheck | None = None
        self.values: ValuesRater | None = None
        self.sure: SureCheck | None = None
        self.quiz: KnowledgeCheck | None = None
        self.procedure: StepExplorer | None = None
        self.leaning = w.ToggleButtons(
            options=[
                *zip(options["label"], options["option_id"].astype(str), strict=True),
                (ui_text("app.not_sure_yet", data_dir=data_dir), "unsure"),
            ],
            value=None,
            description=ui_text("app.leaning", data_dir=data_dir),
        )
        self.leaning.add_class("kypho-leaning")
        self.leaning.observe(self._mark_answered, names="value")
        self.notes = w.Textarea(
            placeholder=ui_text("app.notes_placeholder", data_dir=data_dir),
            layout=w.Layout(width="40rem", height="6rem"),
        )
        self.notes.add_class("kypho-notes")
        self.notes.observe(self._mark_answered, names="value")
        # The summary step: the handout's Print button and Save link, and the note for the
        # record; made by _prepare when the step is opened (see the class docstring).
        self.download = w.HTML()
        self.download.add_class("kypho-download")
        self.record_note = w.HTML()
        self.record_note.add_class("kypho-record-note")
        self.note_text = ""
        self.note_fhir: dict[str, Any] = {}
        self._stale = True  # an answer changed since the summary was made
        # Steps are built when first opened, so the first screen appears quickly.
        self._builders: list[Callable[[], w.Widget]] = [
            lambda: w.VBox([w.HTML(self._disclaimer), w.HTML(overview_html(data_dir=data_dir))]),
            self._build_compare,
            self._build_risks,
            self._build_candidacy,
            self._build_values,
            self._build_ready,
            self._build_summary,
        ]
        self._built = [False] * len(self._builders)
        pages = [w.VBox() for _ in self._builders]
        for number, page in enumerate(pages, start=1):
            page.add_class(f"kypho-page-{number}")
        self.stack = w.Stack(children=pages, selected_index=0)
        self._steps = session_steps(data_dir=data_dir)
        self.step = w.ToggleButtons(
            options=[(f"{i + 1}. {t}", i) for i, t in enumerate(self._steps)], value=0
        )
        self.step.add_class("kypho-steps")
        self.back = w.Button(description=ui_text("app.back", data_dir=data_dir))
        self.next = w.Button(description=ui_text("app.next", data_dir=data_dir))
        self.back.add_class("kypho-back")
        self.next.add_class("kypho-next")
        self.back.on_click(lambda _: self._move(-1))
        self.next.on_click(lambda _: self._move(1))
        moves = w.HBox([self.back, self.next])
        moves.add_class("kypho-moves")
        w.link((self.step, "value"), (self.stack, "selected_index"))
        self.about = w.Accordion(
            children=[w.HTML()],
            titles=(ui_text("app.about", data_dir=data_dir),),
            selected_index=None,
        )
        self.about.add_class("kypho-about")
        self.about.observe(self._open_about, names="selected_index")
        self.stylesheet = w.HTML(
            _html("stylesheet", css=_trusted(APP_CSS)), layout=w.Layout(display="none")
        )
        self.stylesheet.add_class("kypho-stylesheet")
        super().__init__(
            [
                self.progress,
                self.step,
                self.stack,
                moves,
                self.about,
                self.footer,
                self.stylesheet,
            ]
        )
        self.add_class("kypho-session")
        self._open(0)
        self.step.observe(lambda change: self._open(change["new"]), names="value")

    def _mark_answered(self, change: dict[str, Any] | None = None) -> None:
        """Note that the patient has answered something: leaving the page now asks first, and
        the summary is made again (now, if it is on screen)."""
        if not self.answered:
            self.answered = True
            self.add_class("kypho-answered")
        self._stale = True
        if self.step.value == len(self._steps) - 1:
            self._prepare()

    def _watch(self, controls: Any) -> None:
        """Mark the session answered when any of these controls changes."""
        for control in controls:
            control.observe(self._mark_answered, names="value")

    def _text(self, text_id: str) -> str:
        """One text of ``ui_text.csv`` (plain text: the template escapes it)."""
        return ui_text(text_id, data_dir=self._data_dir)

    def _heading(self, level: int, title_id: str, intro_id: str | None = None) -> str:
        """A heading (and a paragraph under it) from texts of ``ui_text.csv``."""
        intro = None if intro_id is None else self._text(intro_id)
        return _html("heading", level=level, title=self._text(title_id), intro=intro)

    def _step_title(self, index: int) -> str:
        """The title of step ``index`` (from 0) as the step's heading, for a step whose content
        has none of its own: headings then go down one level at a time."""
        return _html("heading", level=2, title=self._steps[index])

    def _open_about(self, change: dict[str, Any]) -> None:

        if change["new"] is not None and not self.about.children[0].value:
            self.about.children[0].value = about_html(data_dir=self._data_dir)

    def _open(self, index: int) -> None:
        """Show step ``index`` (from 0): its progress line and moves; build it when first shown."""
        total = len(self._steps)
        self.progress.value = _html(
            "progress",
            words=ui_text(
                "app.progress",
                number=index + 1,
                total=total,
                title=self._steps[index],
                data_dir=self._data_dir,
            ),
            number=index + 1,
            total=total,
        )
        self.back.disabled = index == 0
        self.next.disabled = index == total - 1
        if not self._built[index]:
            self._built[index] = True
            self.stack.children[index].children = (self._builders[index](),)
        if index == total - 1 and self._stale:
            self._prepare()

    def _build_compare(self) -> w.Widget:

        self.procedure = StepExplorer(data_dir=self._data_dir)
        return w.VBox(
            [
                w.HTML(self._step_title(1)),
                w.HTML(
                    option_grid_html(
                        option_grid(data_dir=self._data_dir),
                        detail=compare(data_dir=self._data_dir),
                        data_dir=self._data_dir,
                    )
                ),
                w.HTML(self._heading(3, "app.steps_heading", "app.steps_hint")),
                self.procedure,
            ]
        )

    def _build_risks(self) -> w.Widget:
        self.risks = RiskExplorer(data_dir=self._data_dir)
        self.tiles = OutcomeTiles(data_dir=self._data_dir)
        explorer = self.risks

        def talk_about(outcome: str) -> None:
            explorer.outcome.value = outcome

        self.tiles.on_choose(talk_about)
        return w.VBox(
            [
                w.HTML(self._step_title(2)),
                w.HTML(self._heading(3, "tile.heading", "tile.intro")),
                self.tiles,
                self.risks,
            ]
        )

    def _build_candidacy(self) -> w.Widget:
        self.candidacy = CandidacyCheck(data_dir=self._data_dir)
        self._watch(self.candidacy.fields.values())
        intro = w.HTML(self._heading(2, "app.candidacy_heading", "app.candidacy_intro"))
        return w.VBox([intro, self.candidacy])

    def _build_values(self) -> w.Widget:
        self.values = ValuesRater(data_dir=self._data_dir)
        self._watch(self.values.sliders.values())
        lean = w.HTML(self._heading(3, "app.leaning_question"))
        heading = w.HTML(self._heading(2, "app.values_heading"))
        return w.VBox([heading, self.values, lean, self.leaning])

    def _build_ready(self) -> w.Widget:
        self.sure = SureCheck(data_dir=self._data_dir)
        self.quiz = KnowledgeCheck(data_dir=self._data_dir)
        self._watch([*self.sure.answers.values(), *self.quiz.questions.values()])
        return w.VBox(
            [
                w.HTML(self._heading(2, "app.ready_heading")),
                self.sure,
                w.HTML(self._heading(3, "app.quiz_heading")),
                self.quiz,
                w.HTML(self._heading(3, "app.notes_heading")),
                self.notes,
            ]
        )

    def _build_summary(self) -> w.Widget:
        return w.VBox(
            [
                w.HTML(self._heading(2, "app.summary_heading", "app.summary_intro")),
                w.HTML(self._disclaimer),
                self.download,
                w.HTML(self._heading(3, "app.note_heading", "app.note_intro")),
                self.record_note,
            ]
        )

    def _move(self, delta: int) -> None:
        self.step.value = min(max(self.step.value + delta, 0), len(self._steps) - 1)

    def answers(self) -> dict[str, Any]:
        """The session's answers, as :func:`kypho_aid.handout.build_handout` and
        :func:`kypho_aid.note.build_note` take them: ``ratings`` (None before the values step
        is opened), ``leaning``, ``sure_answers`` (those answered) and ``notes``."""

        sure = self.sure.answers.items() if self.sure is not None else ()
        return {
            "ratings": self.values.value if self.values is not None else None,
            "leaning": self.leaning.value,
            "sure_answers": {k: t.value for k, t in sure if t.value is not None},
            "notes": self.notes.value,
        }

    def summary_html(self) -> str:
        """The one-page summary of this session, as a self-contained HTML document."""

        return build_handout(
            **self.answers(),
            screening=self.candidacy.value if self.candidacy is not None else None,
            data_dir=self._data_dir,
        )

    def _prepare(self, button: Any = None) -> None:
        """Make the summary step's handout, note and FHIR resource from the answers now."""

        # The note's date and time: this computer's clock and time zone (the clinic's).
        authored = dt.datetime.now().astimezone().replace(microsecond=0)
        answers = self.answers()
        try:
            document = self.summary_html()
            note = build_note(**answers, authored=authored, data_dir=self._data_dir)
            fhir = build_note_fhir(**answers, authored=authored, data_dir=self._data_dir)
        except KyphoAidError as err:
            self.download.value = _html("error", words=str(err))
            self.record_note.value = ""
            self.note_text, self.note_fhir = "", {}
            return
        self._stale = False
        self.note_text, self.note_fhir = note, fhir
        self.download.value = _html(
            "summary_actions",
            ready=self._text("app.summary_ready"),
            print_label=self._text("app.print_summary"),
            style=_trusted(DOWNLOAD_LINK_STYLE),
            href=_trusted(_data_uri("text/html", document)),
            save=self._text("app.save_link"),
            print_hint=self._text("app.print_hint"),
        )
        self.record_note.value = _html(
            "record_note",
            label=self._text("app.note_heading"),
            note=note,
            copy=self._text("app.copy_note"),
            copied=self._text("app.note_copied"),
            not_copied=self._text("app.note_not_copied"),
            style=_trusted(DOWNLOAD_LINK_STYLE),
            href=_trusted(
                _data_uri("application/fhir+json", json.dumps(fhir, indent=2, ensure_ascii=False))
            ),
            save=self._text("app.save_fhir"),
        )


class StepExplorer(w.VBox):  # type: ignore[misc]
    """Walk through a procedure step by step: pick the procedure, move the slider, see the drawing.

    A thin view over :func:`kypho_aid.procedure.step_view` and
    :func:`kypho_aid.plotting.render_step_png`. ``.value`` is the :class:`StepView` shown,
    ``.png`` the drawing; the drawing is an ``<img>`` with the step's alt text, so screen
    readers announce it.
    """

    def __init__(
        self,
        *,
        option: str = "kyphoplasty",
        step: int = 1,
        data_dir: str | Path | None = None,
    ) -> None:

        self._data_dir = data_dir
        labels = option_labels(data_dir=data_dir)
        first = step_view(option, step, data_dir=data_dir)  # checks option and step
        self.option = w.ToggleButtons(
            options=[(labels[o], o) for o in DRAWN_OPTIONS],
            value=option,
            description=ui_text("steps.procedure", data_dir=data_dir),
        )
        self.step = w.IntSlider(
            value=step,
            min=1,
            max=len(procedure_steps(option, data_dir=data_dir)),
            description=ui_text("steps.step", data_dir=data_dir),
            continuous_update=False,
        )
        self.drawing = w.HTML(layout=w.Layout(flex="0 0 auto", max_width="100%"))
        self.png = b""
        self.words = w.HTML()
        for control, name in (
            (self.option, "option"),
            (self.step, "step"),
            (self.drawing, "drawing"),
            (self.words, "words"),
        ):
            control.add_class(f"kypho-steps-{name}")
        super().__init__([self.option, self.step, w.HBox([self.drawing, self.words])])
        self.value = first
        self._render()
        self.option.observe(self._switch, names="value")
        self.step.observe(self._render, names="value")

    def _switch(self, change: dict[str, Any] | None = None) -> None:

        total = len(procedure_steps(self.option.value, data_dir=self._data_dir))
        with self.step.hold_trait_notifications():
            self.step.value = min(self.step.value, total)
            self.step.max = total
        self._render()

    def _render(self, change: dict[str, Any] | None = None) -> None:
        from kypho_aid.plotting import render_step_png  # matplotlib only once a drawing is shown

        self.value = step_view(self.option.value, self.step.value, data_dir=self._data_dir)
        self.png = render_step_png(self.value)
        encoded = base64.b64encode(self.png).decode("ascii")
        self.drawing.value = _html(
            "step_drawing",
            src=_trusted(f"data:image/png;base64,{encoded}"),
            alt=self.value.text.alt,
            width=STEP_IMAGE_WIDTH_PX,
        )
        self.words.value = step_view_html(self.value)
