"""Words and choices that live in ``data/``: the app's own words, its steps, what the handout
shows and the choices of the sham exercise.

The rule is that sentences people read live in the knowledge base, not in code: there they
have a schema, the validator checks them and the readability gate scores the patient-facing
ones. The code only looks them up, by id:

- :func:`ui_text`: one text of ``ui_text.csv``, with its ``{fills}`` put in;
- :func:`session_steps`: the step titles of the session app (``session_steps.csv``);
- :func:`handout_items`: the attributes, outcomes or questions the handout shows
  (``handout_items.csv``);
- :func:`sham_choices` and :func:`sham_answer`: the choices of the sham exercise and the
  letter of the right one (``sham_choices.csv``).

Examples
--------
>>> ui_text("sure.score", score=3)
'SURE score: 3 of 4.'
>>> handout_items("outcome")
('new_fracture', 'leakage_any')
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

from kypho_aid._values import fill_names
from kypho_aid.datasets import Stamp, data_key, load_dataset
from kypho_aid.exceptions import TextFillError, UnknownTextError, UnknownTopicError
from kypho_aid.model import LIST_SEPARATOR

__all__ = [
    "HANDOUT_SECTIONS",
    "fill",
    "fill_names",
    "handout_items",
    "session_steps",
    "sham_answer",
    "sham_choices",
    "text_table",
    "ui_text",
    "ui_texts",
]

#: The sections of ``handout_items.csv``.
HANDOUT_SECTIONS = ("attribute", "grid", "outcome", "question")


#: Every text of ``ui_text.csv`` by id, with the names it fills.
TextTable = Mapping[str, tuple[str, frozenset[str]]]


@functools.lru_cache(maxsize=8)
def _texts(data_dir: str | None, stamp: Stamp) -> TextTable:
    """Every text of ``ui_text.csv`` by id, with the names it fills; read once per version
    of the data (``stamp``), as the app asks for texts on every step it builds."""
    table = load_dataset("ui_text", data_dir=data_dir)
    return MappingProxyType(
        {
            str(row.text_id): (
                str(row.text),
                frozenset(str(row.fills).split(LIST_SEPARATOR))
                if isinstance(row.fills, str)
                else frozenset(),
            )
            for row in table.itertuples(index=False)
        }
    )


def text_table(*, data_dir: str | Path | None = None) -> TextTable:
    """Every text of ``ui_text.csv`` at this version of the data, for a caller that fills
    many of them (a table of findings) and looks at the data folder once; fill them with
    :func:`fill`."""
    return _texts(*data_key(data_dir))


def fill(texts: TextTable, text_id: str, /, **fills: object) -> str:
    """The text ``text_id`` of ``texts`` (:func:`text_table`) with its fills put in, checked
    as :func:`ui_text` checks them.

    Examples
    --------
    >>> fill(text_table(), "sure.score", score=3)
    'SURE score: 3 of 4.'
    """
    if text_id not in texts:
        raise UnknownTextError(f"no text {text_id!r} in ui_text.csv; add a row for it")
    text, expected = texts[text_id]
    missing, unknown = expected - set(fills), set(fills) - expected
    if missing or unknown:
        parts = [f"needs {', '.join(sorted(missing))}" if missing else ""]
        parts.append(f"does not use {', '.join(sorted(unknown))}" if unknown else "")
        raise TextFillError(f"text {text_id!r} {' and '.join(p for p in parts if p)}")
    return text.format_map({name: str(value) for name, value in fills.items()})


def ui_text(text_id: str, /, *, data_dir: str | Path | None = None, **fills: object) -> str:
    """One of the app's own texts, looked up by id, with its fills put in.

    Parameters
    ----------
    text_id : str
        A ``text_id`` of ``ui_text.csv``, such as ``"quiz.right"``.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.
    **fills
        A value for every name the text lists in ``fills`` (shown with ``str()``), and no other.

    Returns
    -------
    str
        Plain text (not HTML: the caller escapes it where it builds HTML).

    Raises
    ------
    UnknownTextError
        If ``text_id`` is not in ``ui_text.csv``.
    TextFillError
        If a fill is missing or not one the text uses.

    Examples
    --------
    >>> ui_text("quiz.wrong", answer="Vertebroplasty")
    'Not quite: the answer is Vertebroplasty.'
    """
    return fill(_texts(*data_key(data_dir)), text_id, **fills)


def ui_texts(
    prefix: str, names: Iterable[str] | None = None, *, data_dir: str | Path | None = None
) -> dict[str, str]:
    """The texts ``prefix.name`` of ``ui_text.csv`` by ``name``: a template's or a picture's
    fixed words, looked up once. Without ``names``, every text of ``prefix`` that has no
    fills (``ui_texts("drawing")``: the labels drawn in the procedure pictures)."""
    texts = _texts(*data_key(data_dir))  # one look at the data folder for the whole group
    if names is None:
        start = f"{prefix}."
        names = [k.removeprefix(start) for k, (_, fills) in texts.items() if k.startswith(start)]
        names = [name for name in names if not texts[start + name][1]]
    return {name: fill(texts, f"{prefix}.{name}") for name in names}


def session_steps(*, data_dir: str | Path | None = None) -> tuple[str, ...]:
    """The titles of the session app's steps, in order (``session_steps.csv``)."""
    steps = load_dataset("session_steps", data_dir=data_dir).sort_values("step_number")
    return tuple(steps["title"].astype(str))


def handout_items(section: str, *, data_dir: str | Path | None = None) -> tuple[str, ...]:
    """The ids the handout shows in one section, in order (``handout_items.csv``).

    Parameters
    ----------
    section : {"attribute", "grid", "outcome", "question"}
        Comparison attributes shown side by side (``attribute_id``), option-grid questions
        shown side by side by their short answers (``question_id``), outcomes shown in numbers
        (``outcome``) or FAQ questions to ask the care team (``question_id``).
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Raises
    ------
    UnknownTopicError
        If ``section`` is not one of :data:`HANDOUT_SECTIONS`.
    """
    if section not in HANDOUT_SECTIONS:
        raise UnknownTopicError(
            f"unknown handout section {section!r}; use one of {', '.join(HANDOUT_SECTIONS)}"
        )
    items = load_dataset("handout_items", data_dir=data_dir)
    chosen = items[items["section"] == section].sort_values("order")
    return tuple(chosen["item_id"].astype(str))


def sham_choices(*, data_dir: str | Path | None = None) -> Mapping[str, tuple[str, str]]:
    """The choices of the sham exercise by letter, each with why it is not the reason.

    Returns
    -------
    Mapping
        Read-only, letter -> (choice, why it is not the reason); the right choice's reason
        is ``""``. In the order of ``sham_choices.csv``.
    """
    rows = load_dataset("sham_choices", data_dir=data_dir)
    return MappingProxyType(
        {
            str(letter): (str(text), why if isinstance(why, str) else "")
            for letter, text, why in zip(rows["letter"], rows["text"], rows["why_not"], strict=True)
        }
    )


def sham_answer(*, data_dir: str | Path | None = None) -> str:
    """The letter of the right choice of the sham exercise (the validator checks there is one)."""
    rows = load_dataset("sham_choices", data_dir=data_dir)
    return str(rows.loc[rows["right"].astype(bool), "letter"].iloc[0])
