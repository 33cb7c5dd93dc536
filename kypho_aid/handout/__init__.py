"""The summary handout: one printed page, A4 or US Letter, to take to the care team.

:func:`build_handout` gathers what a person did in the aid (how much each consideration
matters to them, which way they lean, the SURE check, their own notes) and the key facts
from the knowledge base (the options side by side, a few outcomes in numbers out of the same
denominator, questions to ask, warning signs, sources) into one self-contained HTML page:
inline CSS only, no image, no link and no web address anywhere in it, so it opens and prints
the same offline. Its one piece of script is the Print button's ``onclick`` (hidden when
printed), so the app can open the page in a new tab and print it straight away.

The page fits one sheet of A4 and of Letter with body text at 12 pt and nothing under 11 pt
(``style.HANDOUT_CSS``): it holds the options side by side in a few short rows, the outcomes
in numbers with how sure the evidence is, the person's own answers, questions to ask, warning
signs and short source titles. The rest stays in the aid; the page says to ask the care team
for more, never to look something up where the reader cannot. :func:`write_handout` saves it without ever replacing a file by
accident, and :func:`handout_pdf` prints it to PDF with headless chromium.

Like the rest of the aid, the handout never adds the ratings up, ranks the options or says
which one to choose.

Three modules: ``inputs`` (the answers checked, every text made safe to print), ``document``
(the page) and ``output`` (files and PDF). Every name still imports from here.
"""

from __future__ import annotations

import functools

from kypho_aid._values import deprecated_names
from kypho_aid.handout.document import build_handout
from kypho_aid.handout.inputs import MAX_NOTES_CHARS, UNSURE, clean_notes
from kypho_aid.handout.output import (
    CHROMIUM_ARGS,
    count_pdf_pages,
    find_chromium,
    handout_pdf,
    write_handout,
)
from kypho_aid.texts import handout_items, ui_text

__all__ = [
    "CHROMIUM_ARGS",
    "MAX_NOTES_CHARS",
    "UNSURE",
    "build_handout",
    "clean_notes",
    "count_pdf_pages",
    "find_chromium",
    "handout_items",
    "handout_pdf",
    "write_handout",
]

# What the handout shows (attributes side by side, outcomes in numbers, questions to ask)
# lives in data/handout_items.csv: see :func:`kypho_aid.texts.handout_items`; its title is
# ui_text("handout.title") in data/ui_text.csv. The old constants, by name and section, and
# TITLE still work with a DeprecationWarning.
_DEPRECATED_ITEMS = {
    "HANDOUT_ATTRIBUTES": "attribute",
    "HANDOUT_OUTCOMES": "outcome",
    "HANDOUT_QUESTIONS": "question",
}


__getattr__ = deprecated_names(
    __name__,
    {
        "TITLE": (
            "ui_text('handout.title'), which reads data/ui_text.csv",
            lambda: ui_text("handout.title"),
        ),
        **{
            name: (
                f"handout_items({section!r}), which reads data/handout_items.csv",
                functools.partial(handout_items, section),
            )
            for name, section in _DEPRECATED_ITEMS.items()
        },
    },
)
