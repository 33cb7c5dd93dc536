"""The shared-decision session: seven steps from the decision to a summary to take home."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kypho_aid.compare import (
    compare,
    option_grid,
)
from kypho_aid.datasets import content_info, load_dataset
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.export import (
    about_html,
    option_grid_html,
    overview_html,
)
from kypho_aid.handout import build_handout
from kypho_aid.note import build_note, build_note_fhir
from kypho_aid.style import APP_CSS, DOWNLOAD_LINK_STYLE
from kypho_aid.texts import session_steps, ui_text
from kypho_aid.widgets._common import _data_uri, _html, _trusted, w
from kypho_aid.widgets.deliberation import CandidacyCheck, KnowledgeCheck, SureCheck, ValuesRater
from kypho_aid.widgets.explorers import OutcomeTiles, RiskExplorer, StepExplorer


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
            layout=w.Layout(width="100%", height="6rem"),  # at most 40rem: style.APP_CSS
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
        self.step.observe(self._change_step, names="value")

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

    def _change_step(self, change: dict[str, Any]) -> None:
        """The person moved from step ``old`` to step ``new``: mark the one left as done."""
        self.step.add_class(f"kypho-done-{change['old'] + 1}")  # been there and left
        self._open(change["new"])

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
