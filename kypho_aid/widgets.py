"""Interactive views for notebooks and the app: thin ipywidgets shells over pure functions.

The only module that imports ipywidgets. A widget builds its controls, wires them with
``observe`` and on every change calls one pure function (here :func:`kypho_aid.outcomes.risk_view`)
and one drawing function; it computes nothing itself and never calls ``display``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

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
    PatientProfile,
    ProfileError,
    screen,
    screening_context,
    screening_sentences,
)
from kypho_aid.compare import compare, option_grid
from kypho_aid.datasets import content_info, load_dataset, option_labels
from kypho_aid.decision import RATING_LABELS, check_answer, sure_result, values_table
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.export import (
    about_html,
    option_grid_html,
    overview_html,
    risk_view_html,
    step_view_html,
)
from kypho_aid.findings import pairwise_panels
from kypho_aid.handout import build_handout
from kypho_aid.note import build_note, build_note_fhir
from kypho_aid.outcomes import VIEWS, RiskView, risk_view
from kypho_aid.procedure import DRAWN_OPTIONS, procedure_steps, step_view
from kypho_aid.style import APP_CSS, DOWNLOAD_LINK_STYLE, STEP_IMAGE_WIDTH_PX
from kypho_aid.templating import render_macro
from kypho_aid.texts import session_steps, ui_text

__all__ = [
    "CandidacyCheck",
    "KnowledgeCheck",
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
        self.options = w.SelectMultiple(
            options=list(zip(option_rows["label"], option_ids, strict=True)),
            value=options or option_ids,
            description=ui_text("risk.options", data_dir=data_dir),
            rows=len(option_ids),
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
    """Rate how much each consideration matters; see how each option lines up, facts and sources shown.

    ``.value`` is the ratings dict; ``.table`` the :func:`kypho_aid.decision.values_table` shown.
    """

    def __init__(self, *, data_dir: str | Path | None = None) -> None:

        self._data_dir = data_dir
        considerations = load_dataset("considerations", data_dir=data_dir).sort_values("order")
        self.sliders: dict[str, w.SelectionSlider] = {}
        rows = []
        for item in considerations.itertuples(index=False):
            slider = w.SelectionSlider(
                options=[("not rated", -1), *[(label, i) for i, label in enumerate(RATING_LABELS)]],
                value=-1,
                description=str(item.question),
                continuous_update=False,
                layout=w.Layout(width="22rem"),
            )
            slider.add_class(f"kypho-rate-{item.consideration_id}")
            slider.add_class(LABELLED)
            self.sliders[str(item.consideration_id)] = slider
            rows.append(
                w.HBox(
                    [
                        w.HTML(
                            _html("bold", words=str(item.question)),
                            layout=w.Layout(width="26rem"),
                        ),
                        slider,
                    ]
                )
            )
        self.lineup = w.HTML()
        self.lineup.add_class("kypho-values-lineup")
        super().__init__([*rows, self.lineup])
        self.value: dict[str, int] = {}
        self._render()
        for slider in self.sliders.values():
            slider.observe(self._render, names="value")

    def _render(self, change: dict[str, Any] | None = None) -> None:

        self.value = {key: s.value for key, s in self.sliders.items() if s.value >= 0}
        self.table = values_table(self.value, data_dir=self._data_dir)
        rated = self.table[self.table["rating_label"] != "not rated"]
        if rated.empty:
            empty = ui_text("values.empty", data_dir=self._data_dir)
            self.lineup.value = _html("paragraph", words=empty)
            return
        groups = [
            (
                str(label),
                str(group.iloc[0]["rating_label"]),
                [(cast(str, r.option_label), cast(str, r.facts)) for r in group.itertuples()],
            )
            for label, group in rated.groupby("label", sort=False)
        ]
        intro = ui_text("values.intro", data_dir=self._data_dir)
        self.lineup.value = _html("values_lineup", intro=intro, groups=groups)


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

    Every field may stay "not known". Bad values show an error naming the field instead of a
    result. ``.value`` is the screening table (or None while the form has an error). A red
    flag (status ``urgent_assessment``) is announced first, as an alert; what guideline groups
    say about each option (:func:`kypho_aid.candidacy.screening_context`) follows the result.
    """

    def __init__(self, *, data_dir: str | Path | None = None) -> None:

        self._data_dir = data_dir
        self._context = self._context_items(screening_context(data_dir=data_dir), data_dir)
        self.fields: dict[str, w.Widget] = {}
        rows = []
        yes, no, unknown = (
            ui_text(f"answer.{a}", data_dir=data_dir) for a in ("yes", "no", "not_known")
        )
        for name, spec in PROFILE_FIELDS.items():
            question = spec.question[0].upper() + spec.question[1:]
            if spec.kind == "boolean":
                # "" stands for not known, so that its button shows as chosen (None would
                # leave every button unselected)
                control: w.Widget = w.ToggleButtons(
                    options=[(unknown, ""), (yes, True), (no, False)],
                    value="",
                    style={"button_width": "6rem"},
                )
            elif spec.kind == "choice":
                # "" stands for not known: a Dropdown shows None as a blank box
                control = w.Dropdown(
                    options=[(unknown, ""), *[(c.replace("_", " "), c) for c in spec.choices]],
                    value="",
                )
            else:
                control = w.Text(
                    placeholder=ui_text("candidacy.placeholder", data_dir=data_dir),
                    layout=w.Layout(width="8rem"),
                )
            control.description = question  # its accessible name; the label is hidden
            control.add_class(f"kypho-profile-{name}")
            control.add_class(LABELLED)
            self.fields[name] = control
            rows.append(
                w.HBox(
                    [w.HTML(_html("text", words=question), layout=w.Layout(width="28rem")), control]
                )
            )
        self.result = w.HTML()
        self.result.add_class("kypho-candidacy-result")
        super().__init__([w.VBox(rows), self.result])
        self.value: Any = None
        self._render()
        for control in self.fields.values():
            control.observe(self._render, names="value")

    def profile_values(self) -> dict[str, Any]:
        """The form as a mapping for ``PatientProfile.from_mapping``; numbers are parsed here."""

        values: dict[str, Any] = {}
        for name, control in self.fields.items():
            raw = control.value
            if isinstance(control, w.Text):
                text = raw.strip()
                if not text:
                    continue
                try:
                    number = float(text)
                except ValueError:
                    raise ProfileError(f"{name} must be a number, got {text!r}", name) from None
                raw = int(number) if number.is_integer() and "." not in text else number
            if raw is not None and raw != "":
                values[name] = raw
        return values

    def _render(self, change: dict[str, Any] | None = None) -> None:

        try:
            profile = PatientProfile.from_mapping(self.profile_values())
        except ProfileError as err:
            self.value = None
            check = ui_text("candidacy.check_answer", problem=err, data_dir=self._data_dir)
            self.result.value = _html("error", words=check)
            return
        self.value = screen(profile, data_dir=self._data_dir)
        urgent = (self.value["status"] == "urgent_assessment").any()
        warning = (
            (self._text("candidacy.warning"), self._text("candidacy.contact_today"))
            if urgent
            else None
        )
        self.result.value = _html(
            "screening_result",
            warning=warning,
            sentences=screening_sentences(self.value),
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
        return w.VBox([w.HTML(self._step_title(2)), self.risks])

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
