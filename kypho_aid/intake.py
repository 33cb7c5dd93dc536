"""Reading the candidacy form as people fill it in: typed answers with units, checked field by field.

A clinician types "6 weeks", "2 months", "7/10" or "2 bones"; :func:`parse_answer` reads
each into the number the profile stores, and says in plain words (from ``ui_text.csv``)
what to type instead when it cannot. :func:`read_form` reads the whole form at once: every
answer it can read goes into the profile, every one it cannot is reported beside its own
field and counts as not known, so the screening result stays on screen while one answer
is being fixed. :func:`status_badges` gives each option's screening status as a short label
with its reasons, for a badge. Nothing here decides; :func:`kypho_aid.candidacy.screen` only
reports what the sourced rules found.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from kypho_aid.datasets import Stamp, data_key, load_dataset
from kypho_aid.profile import EXAMPLE_PROFILE, PROFILE_FIELDS, PatientProfile, ProfileError
from kypho_aid.texts import ui_text

__all__ = [
    "Badge",
    "FormGroup",
    "FormReading",
    "field_questions",
    "form_layout",
    "parse_answer",
    "read_form",
    "status_badges",
]

#: Words people write for each unit a profile field counts in (the keys of its
#: ``unit_factors``), singular: a trailing "s" is dropped before looking a word up.
UNIT_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "weeks": ("week", "wk", "w"),
        "months": ("month", "mo", "mth", "m"),
        "points": ("point", "pt", "/10", "out of 10"),
        "fractures": ("fracture", "bone", "level", "vertebra", "vertebrae"),
    }
)
#: A number (group 1), then what unit was written after it, if any (group 2).
_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(.*?)\.?$")


def _unit_of(spec_units: Mapping[str, float], written: str) -> str | None:
    """The unit (a key of ``spec_units``) that ``written`` names, or None."""
    word = " ".join(written.split())
    for unit in spec_units:
        for alias in (unit, *UNIT_WORDS.get(unit, ())):
            if word in (alias, f"{alias}s", alias.removesuffix("s")):
                return unit
    return None


def _example(name: str) -> str:
    spec = PROFILE_FIELDS[name]
    units = list(spec.unit_factors or ())
    value = EXAMPLE_PROFILE[name]
    number = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{number} {units[0]}" if units and units[0] not in ("points", "fractures") else number


def parse_answer(name: str, text: str, *, data_dir: str | Path | None = None) -> float | int | None:
    """Read what was typed for the number field ``name``; None when the box is empty.

    Takes a number with or without a unit the field knows ("6", "6 weeks", "2 months",
    "10 days"; "7/10"; "2 bones"), and a decimal comma ("1,5 months").

    Raises
    ------
    ProfileError
        With a plain-language message on what to type instead; ``.field`` is ``name``.
    KeyError
        If ``name`` is not a number field of the profile.
    """
    spec = PROFILE_FIELDS[name]
    if spec.kind not in ("number", "integer"):
        raise KeyError(f"{name} is not a number field of the profile")
    written = " ".join(str(text).lower().split())
    if not written:
        return None
    factors = dict(spec.unit_factors or {"": 1.0})
    match = _NUMBER.match(written)
    if match is None:
        raise ProfileError(
            ui_text("intake.not_a_number", example=_example(name), data_dir=data_dir), name
        )
    unit_text = match[2]
    unit = _unit_of(factors, unit_text) if unit_text else next(iter(factors))
    if unit is None:
        units = " or ".join(u for u in factors if u)
        raise ProfileError(
            ui_text("intake.unit", units=units, example=_example(name), data_dir=data_dir), name
        )
    number = float(match[1].replace(",", "."))
    value = number * factors[unit]
    if spec.kind == "integer":
        if not value.is_integer():
            raise ProfileError(
                ui_text("intake.whole_number", example=_example(name), data_dir=data_dir), name
            )
        value_out: float | int = int(value)
    else:
        value_out = round(value, 2)
    low, high = spec.minimum, spec.maximum
    if (low is not None and value_out < low) or (high is not None and value_out > high):
        unit_name = next(iter(factors))
        raise ProfileError(
            ui_text(
                "intake.range",
                low=f"{low:g}",
                high=f"{high:g}",
                unit=unit_name,
                data_dir=data_dir,
            ),
            name,
        )
    return value_out


@dataclass(frozen=True)
class FormReading:
    """A form read field by field: the profile of every readable answer, and the rest.

    ``errors`` maps each field that could not be read to a plain message for beside it; such
    a field counts as not known in ``profile``.
    """

    profile: PatientProfile
    errors: Mapping[str, str]


def read_form(answers: Mapping[str, object], *, data_dir: str | Path | None = None) -> FormReading:
    """Read a candidacy form: text for number fields, a value or None/"" for the others.

    Raises
    ------
    ProfileError
        If a key is not a profile field (a programming error, not a typing one).
    """
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, raw in answers.items():
        if name not in PROFILE_FIELDS:
            PatientProfile.from_mapping({name: raw})  # raises, naming the key
        spec = PROFILE_FIELDS[name]
        try:
            if spec.kind in ("number", "integer") and isinstance(raw, str):
                value: object = parse_answer(name, raw, data_dir=data_dir)
            else:
                value = None if raw == "" else raw
            if value is not None:
                PatientProfile.from_mapping({name: value})  # the field's own check
                values[name] = value
        except ProfileError as err:
            errors[name] = str(err)
    return FormReading(PatientProfile.from_mapping(values), MappingProxyType(errors))


@dataclass(frozen=True)
class Badge:
    """One option's screening status as a short label (``words``), with the reasons."""

    option_id: str
    option_label: str
    status: str
    words: str
    reasons: tuple[str, ...]


def status_badges(result: pd.DataFrame, *, data_dir: str | Path | None = None) -> list[Badge]:
    """A badge per row of :func:`kypho_aid.candidacy.screen`: status label and reasons."""
    badges = []
    for record in result.to_dict("records"):
        status = str(record["status"])
        badges.append(
            Badge(
                option_id=str(record["option_id"]),
                option_label=str(record["option_label"]),
                status=status,
                words=ui_text(f"status.{status}", data_dir=data_dir),
                reasons=tuple(str(reason) for reason in record["reasons"]),
            )
        )
    return badges


@dataclass(frozen=True)
class FormGroup:
    """One part of the candidacy form: its heading and its questions as (field, question)."""

    group: str
    heading: str
    questions: tuple[tuple[str, str], ...]
    closed: bool


def field_questions(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """What to find out about each profile field, in plain words and lower case, by field
    (``question`` in ``profile_questions.csv``).

    Examples
    --------
    >>> field_questions()["fracture_age_weeks"]
    'how many weeks ago the bone broke'
    """
    return dict(_field_questions(*data_key(data_dir)))


@functools.lru_cache(maxsize=8)
def _field_questions(data_dir: str | None, stamp: Stamp) -> Mapping[str, str]:
    """:func:`field_questions`, read once per version of the data (``stamp``): screening names
    each field not known yet."""
    table = load_dataset("profile_questions", data_dir=data_dir)
    return MappingProxyType(
        dict(zip(table["field"].astype(str), table["question"].astype(str), strict=True))
    )


def form_layout(*, data_dir: str | Path | None = None) -> list[FormGroup]:
    """The candidacy form's groups in order (``profile_questions.csv``): warning signs first,
    and last, closed, the questions for the clinician in the clinician's own words."""
    table = load_dataset("profile_questions", data_dir=data_dir).sort_values(["group", "order"])
    groups = []
    for group, rows in table.groupby("group", observed=True, sort=True):
        questions = []
        for row in rows.to_dict("records"):
            field = str(row["field"])
            own = str(row["question"])
            asked = row["clinician_question"]
            question = str(asked) if isinstance(asked, str) and asked else own[0].upper() + own[1:]
            questions.append((field, question))
        groups.append(
            FormGroup(
                group=str(group),
                heading=ui_text(f"candidacy.group_{group}", data_dir=data_dir),
                questions=tuple(questions),
                closed=str(group) == "clinician",
            )
        )
    return groups
