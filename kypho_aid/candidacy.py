"""Screening a person's profile against the sourced candidacy rules, without recommending.

A :class:`PatientProfile` holds what is known about one person; any field may be ``None``
(not known yet). :func:`screen` checks it against ``data/screening_rules.csv``, the
machine-checkable form of the rules in ``candidacy.csv``, and returns one row per option with
a status, the plain reasons and the sources behind them. A red flag (a new nerve problem, a
possible infection) makes every option ``urgent_assessment``, non-surgical care included.
:func:`screening_sentences` words that result neutrally, and :func:`screening_context` gives
what guideline groups say about each option, to show beside it. The result only says what the
rules found; it never says which option to choose, and a doctor checks more than these rules
can.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import pandas as pd

from kypho_aid._values import display_value
from kypho_aid.datasets import load_dataset, option_labels
from kypho_aid.exceptions import DataValidationError, KyphoAidError
from kypho_aid.model import LIST_SEPARATOR, Option, Problem

__all__ = [
    "CAUSES",
    "CONSERVATIVE_CARE",
    "EXAMPLE_PROFILE",
    "PROFILE_FIELDS",
    "RULE_STATUSES",
    "STATUSES",
    "WEEKS_PER_MONTH",
    "PatientProfile",
    "ProfileError",
    "ProfileField",
    "screen",
    "screen_details",
    "screening_context",
    "screening_rule_problems",
    "screening_sentences",
]

#: What caused the fracture, as a profile records it.
CAUSES = ("osteoporosis", "cancer", "trauma", "other")
#: How care without a procedure is going.
CONSERVATIVE_CARE = ("improving", "not_improving", "not_tried")
#: Screening statuses from least to most serious; the most serious found for an option wins.
#: ``urgent_assessment`` (a red flag: be checked urgently, whatever the option) tops
#: ``not_suitable`` (an absolute contraindication), which tops ``caution``.
STATUSES = (
    "no_contraindication_found",
    "more_information_needed",
    "caution",
    "not_suitable",
    "urgent_assessment",
)
#: Statuses a screening rule can give when it is met, most serious first.
RULE_STATUSES = ("urgent_assessment", "not_suitable", "caution")
#: Weeks in an average month (365.25 days / 12 / 7), to compare a fracture age in weeks with
#: a rule that states months.
WEEKS_PER_MONTH = 365.25 / 12 / 7

_STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES), ordered=True)
_OPTION_DTYPE = pd.CategoricalDtype([o.value for o in Option], ordered=False)
_NUMERIC_TESTS = frozenset({"lt", "le", "gt", "ge"})
_BOOLEAN_TESTS = frozenset({"is_true", "is_false"})
_RULES_FILE = "screening_rules.csv"
_DETAIL_COLUMNS = [
    "screen_id",
    "rule_id",
    "applies_to",
    "field",
    "status",
    "outcome",
    "missing",
    "reason",
    "source_ids",
]


class ProfileError(KyphoAidError, ValueError):
    """Raised when a profile value is of the wrong type, out of range or not an allowed choice.

    Attributes
    ----------
    field : str
        The profile field (or, from :meth:`PatientProfile.from_mapping`, the unknown key) at fault.
    """

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field

    def __reduce__(self) -> tuple[type[ProfileError], tuple[str, str]]:
        return type(self), (str(self), self.field)


class _NotAMappingError(ProfileError, TypeError):
    """:meth:`PatientProfile.from_mapping` was given something that is not a mapping.

    A :class:`ProfileError` (``field`` is ``"mapping"``) that is also the TypeError it
    always was, so callers catching either keep working.
    """


@dataclass(frozen=True)
class ProfileField:
    """What one :class:`PatientProfile` field may hold, and how to ask about it.

    ``kind`` is ``number`` (a real number), ``integer`` (a whole number), ``boolean`` or
    ``choice`` (one of ``choices``). ``question`` names, in plain words, what to find out
    when the value is not known yet.
    """

    name: str
    kind: Literal["number", "integer", "boolean", "choice"]
    question: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    unit_factors: Mapping[str, float] | None = None

    @property
    def allowed(self) -> str:
        """The allowed values in words, as error messages show them."""
        if self.kind == "number":
            return f"a number of weeks from {self.minimum:g} to {self.maximum:g}"
        if self.kind == "integer":
            return f"a whole number from {self.minimum:g} to {self.maximum:g}"
        if self.kind == "boolean":
            return "True or False"
        return f"one of {', '.join(self.choices)}"


def _ask(
    kind: Literal["number", "integer", "boolean", "choice"],
    question: str,
    example: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[str, ...] = (),
    unit_factors: Mapping[str, float] | None = None,
) -> Any:
    """One :class:`PatientProfile` field, not known (None) by default, that carries what it
    may hold, the question to ask about it and its value in :data:`EXAMPLE_PROFILE`."""
    spec = ProfileField("", kind, question, minimum, maximum, choices, unit_factors)
    return dataclasses.field(default=None, metadata={"spec": spec, "example": example})


def _check_value(spec: ProfileField, value: object) -> object:
    """Return ``value`` as the field stores it, or raise :class:`ProfileError`."""
    if value is None:
        return None
    problem = ProfileError(
        f"{spec.name} must be {spec.allowed}, got {display_value(value)}", spec.name
    )
    if spec.kind == "boolean":
        if not isinstance(value, bool):
            raise problem
        return value
    if spec.kind == "choice":
        if not isinstance(value, str) or value not in spec.choices:
            raise problem
        return value
    # bool is a subclass of int, and numpy numbers are not int or float: check the number ABCs
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise problem
    if spec.kind == "integer":
        if not isinstance(value, numbers.Integral):
            raise problem
        number: float = int(value)
    else:
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            raise problem from None
        if not math.isfinite(number):
            raise problem
    if spec.minimum is not None and number < spec.minimum:
        raise problem
    if spec.maximum is not None and number > spec.maximum:
        raise problem
    return number


@dataclass(frozen=True)
class PatientProfile:
    """What is known about one person, for screening; ``None`` means not known yet.

    Every value is checked when the profile is made. Nothing is converted from text: a pain
    score is an ``int`` (not ``"5"``, not ``True``), a fracture age a finite number.

    Parameters
    ----------
    fracture_age_weeks : float, optional
        Weeks since the bone broke, from 0 to 520.
    pain_score : int, optional
        Back pain from 0 (none) to 10 (worst), on a numeric rating or visual analogue scale.
    cause : {"osteoporosis", "cancer", "trauma", "other"}, optional
        What caused the fracture.
    mri_oedema : bool, optional
        MRI shows bone marrow oedema (a recent, unhealed fracture).
    levels : int, optional
        Number of fractured vertebrae that would be treated at once, 1 to 10.
    neurological_deficit : bool, optional
        New nerve or spinal-cord signs (weakness, numbness, bladder or bowel change): a red flag.
    retropulsion_or_posterior_wall : bool, optional
        Bone fragments pushed back toward the canal, or a broken posterior wall (a burst fracture).
    infection : bool, optional
        An active or suspected infection, in the spine or elsewhere (a red flag).
    blood_thinners : bool, optional
        Takes medicine that thins the blood (anticoagulant or antiplatelet); the care team
        says whether to stop it.
    uncorrectable_bleeding : bool, optional
        A bleeding disorder (coagulopathy) that cannot be corrected before a procedure.
    cement_or_contrast_allergy : bool, optional
        A known reaction to bone cement or contrast dye.
    pregnant : bool, optional
        Pregnant, or may be.
    conservative_care : {"improving", "not_improving", "not_tried"}, optional
        How care without a procedure (rest, pain medicine, a brace) is going.
    hospitalised : bool, optional
        In hospital now.
    pain_matches_fracture : bool, optional
        Examination and imaging place the pain at the fractured vertebra.
    vertebra_plana : bool, optional
        The vertebra is collapsed flat.
    upper_spine_level : bool, optional
        The fracture is at T1–T4 or in the cervical spine.
    life_expectancy_under_3_months : bool, optional
        Life expectancy is under 3 months.

    Raises
    ------
    ProfileError
        If a value has the wrong type, is out of range, is NaN or infinite, or is not one of
        the allowed choices; ``.field`` names the field.

    Examples
    --------
    >>> PatientProfile(pain_score=7, infection=False).pain_score
    7
    >>> PatientProfile(pain_score=11)
    Traceback (most recent call last):
    ...
    kypho_aid.candidacy.ProfileError: pain_score must be a whole number from 0 to 10, got 11
    """

    fracture_age_weeks: float | None = _ask(
        "number",
        "how many weeks ago the bone broke",
        3.0,
        minimum=0,
        maximum=520,
        unit_factors={"weeks": 1.0, "months": WEEKS_PER_MONTH},
    )
    pain_score: int | None = _ask(
        "integer",
        "the pain score from 0 (no pain) to 10 (worst pain)",
        7,
        minimum=0,
        maximum=10,
        unit_factors={"points": 1.0},
    )
    cause: str | None = _ask(
        "choice",
        "what caused the break (thin bones, cancer, an injury or something else)",
        "osteoporosis",
        choices=CAUSES,
    )
    mri_oedema: bool | None = _ask("boolean", "whether an MRI scan shows the break is recent", True)
    levels: int | None = _ask(
        "integer",
        "how many broken bones would be treated at once",
        1,
        minimum=1,
        maximum=10,
        unit_factors={"fractures": 1.0},
    )
    neurological_deficit: bool | None = _ask(
        "boolean",
        "whether there is new weakness or numbness, or a change in bladder or bowel control",
        False,
    )
    retropulsion_or_posterior_wall: bool | None = _ask(
        "boolean",
        "whether the back wall of the bone is broken or bits of bone are pushed back",
        False,
    )
    infection: bool | None = _ask(
        "boolean", "whether there may be germs in the spine or body (an infection)", False
    )
    blood_thinners: bool | None = _ask(
        "boolean", "whether you take medicine that thins the blood", False
    )
    uncorrectable_bleeding: bool | None = _ask(
        "boolean", "whether the blood clots poorly in a way that cannot be fixed first", False
    )
    cement_or_contrast_allergy: bool | None = _ask(
        "boolean", "whether there was ever a bad reaction to cement or X-ray dye", False
    )
    pregnant: bool | None = _ask("boolean", "whether you are or may be pregnant", False)
    conservative_care: str | None = _ask(
        "choice",
        "how care without cement (rest, pain medicine, a brace) is going",
        "not_improving",
        choices=CONSERVATIVE_CARE,
    )
    hospitalised: bool | None = _ask("boolean", "whether you are in the hospital", False)
    pain_matches_fracture: bool | None = _ask(
        "boolean", "whether an exam and scans show the pain comes from the break", True
    )
    vertebra_plana: bool | None = _ask("boolean", "whether the bone is crushed flat", False)
    upper_spine_level: bool | None = _ask(
        "boolean", "whether the break is in the neck or the top of the back", False
    )
    life_expectancy_under_3_months: bool | None = _ask(
        "boolean", "whether life is expected to be shorter than 3 months", False
    )

    def __post_init__(self) -> None:
        for spec in PROFILE_FIELDS.values():
            value = getattr(self, spec.name)
            checked = _check_value(spec, value)
            if checked is not value:  # a numpy number becomes a plain int or float
                object.__setattr__(self, spec.name, checked)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> PatientProfile:
        """Build a profile from a mapping such as a form's values.

        Parameters
        ----------
        mapping : Mapping
            Field names to values; a field left out is not known yet.

        Raises
        ------
        ProfileError
            If a key is not a profile field, or a value is not allowed; ``.field`` names it.
            If ``mapping`` is not a mapping, the error (``.field`` is ``"mapping"``) is also a
            TypeError.
        """
        if not isinstance(mapping, Mapping):
            raise _NotAMappingError(
                f"from_mapping takes a mapping of field names to values, not {type(mapping).__name__}",
                "mapping",
            )
        for key in mapping:
            if key not in PROFILE_FIELDS:
                raise ProfileError(
                    f"{display_value(key)} is not a profile field; use any of: {', '.join(PROFILE_FIELDS)}",
                    key if isinstance(key, str) else display_value(key),
                )
        return cls(**mapping)

    @property
    def unknown_fields(self) -> tuple[str, ...]:
        """Names of the fields that are not known yet, in field order."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is None)


#: Every profile field in order, with its allowed values and the question to ask about it
#: (made from the fields of :class:`PatientProfile`, which carry them).
PROFILE_FIELDS: Mapping[str, ProfileField] = MappingProxyType(
    {f.name: replace(f.metadata["spec"], name=f.name) for f in fields(PatientProfile)}
)
#: A person for whom every field is known and no screening rule is met: a recent, painful
#: osteoporotic break at one level, at home, with nothing against any option.
EXAMPLE_PROFILE: Mapping[str, object] = MappingProxyType(
    {f.name: f.metadata["example"] for f in fields(PatientProfile)}
)


# --- the rules --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """One row of ``screening_rules.csv``, parsed and checked against the profile fields."""

    screen_id: str
    rule_id: str
    applies_to: tuple[str, ...]
    field: str
    test: str
    value: float | str | None
    when_field: str | None
    when_values: tuple[object, ...]
    status: str
    reason: str
    source_ids: tuple[str, ...]


class _RuleError(ValueError):
    """A screening rule cell that does not fit the profile field it tests; ``column`` names it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _text(value: object) -> str | None:
    """The cell's text, or None for an empty cell."""
    return value if isinstance(value, str) and value else None


def _items(value: object) -> tuple[str, ...]:
    """A list cell's items, whether read as text (``a;b``) or already split (a tuple)."""
    if isinstance(value, tuple):
        return tuple(str(item) for item in value)
    text = _text(value)
    return tuple(text.split(LIST_SEPARATOR)) if text else ()


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _choice_value(spec: ProfileField, text: str) -> object:
    """A rule's text as a value of ``spec``: true/false for a boolean field, else a choice."""
    if spec.kind == "boolean" and text in ("true", "false"):
        return text == "true"
    if spec.kind == "choice" and text in spec.choices:
        return text
    raise ValueError(
        f"{text!r} is not a value of {spec.name}; use "
        + ("true or false" if spec.kind == "boolean" else ", ".join(spec.choices))
    )


def _field_spec(record: Mapping[str, Any], column: str) -> ProfileField | None:
    """The profile field a column names, None for an empty cell; raise if it is not one."""
    name = _text(record.get(column))
    if name is None:
        return None
    if name not in PROFILE_FIELDS:
        raise _RuleError(
            column, f"{name!r} is not a profile field; use any of: {', '.join(PROFILE_FIELDS)}"
        )
    return PROFILE_FIELDS[name]


def _comparison(spec: ProfileField, record: Mapping[str, Any]) -> float | str | None:
    """The value a rule's test compares with, checked against the field's kind and units."""
    test, text, unit = (
        _text(record.get("test")),
        _text(record.get("value")),
        _text(record.get("unit")),
    )
    if test in _NUMERIC_TESTS:
        factors = spec.unit_factors or {}
        if not factors:
            raise _RuleError(
                "test", f"test {test} needs a number field; {spec.name} is {spec.allowed}"
            )
        if text is None or not _is_number(text):
            raise _RuleError("value", f"test {test} on {spec.name} needs a number as value")
        if unit is None or unit not in factors:
            raise _RuleError(
                "unit", f"test {test} on {spec.name} needs a unit of {', '.join(factors)}"
            )
        return float(text) * factors[unit]
    if test in _BOOLEAN_TESTS:
        if spec.kind != "boolean":
            raise _RuleError(
                "test", f"test {test} needs a true/false field; {spec.name} is {spec.allowed}"
            )
    elif test == "equals":
        if spec.kind != "choice":
            raise _RuleError(
                "test", f"test equals needs a choice field; {spec.name} is {spec.allowed}"
            )
        if text not in spec.choices:
            raise _RuleError("value", f"test equals needs a value of {spec.name}: {spec.allowed}")
        return text
    else:
        raise _RuleError(
            "test",
            f"unknown test {test!r}; use {', '.join(sorted(_NUMERIC_TESTS | _BOOLEAN_TESTS))} or equals",
        )
    if text is not None:
        raise _RuleError("value", f"test {test} takes no value")
    if unit is not None:
        raise _RuleError("unit", f"test {test} takes no unit")
    return None


def _parse_rule(record: Mapping[str, Any]) -> _Rule:
    """Parse one row; raise :class:`_RuleError` naming the column that does not fit."""
    spec = _field_spec(record, "field")
    if spec is None:
        raise _RuleError("field", "a rule needs the profile field it tests")
    value = _comparison(spec, record)
    when_spec = _field_spec(record, "when_field")
    when_values: tuple[object, ...] = ()
    if when_spec is not None:
        items = _items(record.get("when_values"))
        if not items:
            raise _RuleError("when_values", f"when_field {when_spec.name} needs when_values")
        try:
            when_values = tuple(_choice_value(when_spec, item) for item in items)
        except ValueError as err:
            raise _RuleError("when_values", str(err)) from None
    elif _items(record.get("when_values")):
        raise _RuleError("when_values", "when_values needs a when_field")
    status = _text(record.get("status"))
    if status not in RULE_STATUSES:
        raise _RuleError("status", f"status {status!r} is not one of {', '.join(RULE_STATUSES)}")
    return _Rule(
        screen_id=str(record["screen_id"]),
        rule_id=str(record["rule_id"]),
        applies_to=_items(record.get("applies_to")),
        field=spec.name,
        test=str(record["test"]),
        value=value,
        when_field=None if when_spec is None else when_spec.name,
        when_values=when_values,
        status=status,
        reason=" ".join(str(record["reason"]).split()),
        source_ids=_items(record.get("source_ids")),
    )


def screening_rule_problems(tables: Mapping[str, Any]) -> list[Problem]:
    """Check that every screening rule fits the profile field it tests, as :func:`screen` reads it.

    The validator runs this so that ``validate()`` and :func:`screen` reject the same rules
    (a choice a field does not have, a unit for a field without numbers, a when value that
    is not true, false or a choice).

    Parameters
    ----------
    tables : Mapping
        Table name to the parsed table (:class:`kypho_aid.validation.ParsedTable`).

    Returns
    -------
    list of Problem
        One per rule that does not fit, naming ``screening_rules.csv``, the row and the column.
    """
    table = tables.get("screening_rules")
    if table is None:
        return []
    problems = []
    for row in table.rows:
        try:
            _parse_rule(row.values)
        except _RuleError as err:
            problems.append(Problem(table.shown, row.line_of(err.column), err.column, str(err)))
    return problems


def _load_rules(data_dir: str | Path | None) -> tuple[_Rule, ...]:
    """Read and parse every screening rule, or raise DataValidationError naming each bad row."""
    frame = load_dataset("screening_rules", data_dir=data_dir)
    rules: list[_Rule] = []
    problems: list[Problem] = []
    for line, record in enumerate(frame.to_dict("records"), start=2):
        try:
            rules.append(_parse_rule({str(k): v for k, v in record.items()}))
        except _RuleError as err:
            problems.append(Problem(_RULES_FILE, line, err.column, str(err)))
    if problems:
        raise DataValidationError(problems)
    return tuple(rules)


def _met(rule: _Rule, value: object) -> bool:
    """Whether a known profile value meets the rule's test."""
    if rule.test == "is_true":
        return value is True
    if rule.test == "is_false":
        return value is False
    if rule.test == "equals":
        return value == rule.value
    if not isinstance(value, int | float) or not isinstance(rule.value, float):
        return False  # a profile and a parsed rule never get here; a number test needs numbers
    return {
        "lt": value < rule.value,
        "le": value <= rule.value,
        "gt": value > rule.value,
        "ge": value >= rule.value,
    }[rule.test]


def _evaluate(rule: _Rule, profile: PatientProfile) -> tuple[str, tuple[str, ...]]:
    """Return the outcome (met, not_met, not_applicable, unknown) and the fields still unknown.

    A rule with a ``when_field`` that is not known yet is still worth asking about only if its
    own test is met or unknown; a known value that does not meet the test settles it.
    """
    missing: tuple[str, ...] = ()
    if rule.when_field is not None:
        when = getattr(profile, rule.when_field)
        if when is None:
            missing = (rule.when_field,)
        elif when not in rule.when_values:
            return "not_applicable", ()
    value = getattr(profile, rule.field)
    if value is None:
        return "unknown", (*missing, rule.field)
    if not _met(rule, value):
        return "not_met", ()
    return ("unknown", missing) if missing else ("met", ())


def _require_profile(profile: object) -> PatientProfile:
    if not isinstance(profile, PatientProfile):
        raise TypeError(
            f"screen takes a PatientProfile, not {type(profile).__name__}; "
            "build one with PatientProfile(...) or PatientProfile.from_mapping(...)"
        )
    return profile


def screen_details(profile: PatientProfile, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Return how each screening rule came out for ``profile``, one row per rule.

    Parameters
    ----------
    profile : PatientProfile
        What is known about the person.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        Columns ``screen_id``, ``rule_id``, ``applies_to`` (tuple), ``field``, ``status`` (what
        the rule means when met), ``outcome`` (``met``, ``not_met``, ``not_applicable`` when its
        ``when_field`` rules it out, or ``unknown``), ``missing`` (tuple of the fields to find
        out), ``reason`` and ``source_ids`` (tuple), in the order of ``screening_rules.csv``.

    Raises
    ------
    TypeError
        If ``profile`` is not a :class:`PatientProfile`.
    DataValidationError
        If a screening rule does not fit the profile fields.
    """
    profile = _require_profile(profile)
    rows = []
    for rule in _load_rules(data_dir):
        outcome, missing = _evaluate(rule, profile)
        rows.append(
            {
                "screen_id": rule.screen_id,
                "rule_id": rule.rule_id,
                "applies_to": rule.applies_to,
                "field": rule.field,
                "status": rule.status,
                "outcome": outcome,
                "missing": missing,
                "reason": rule.reason,
                "source_ids": rule.source_ids,
            }
        )
    return pd.DataFrame(rows, columns=_DETAIL_COLUMNS)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _find_out(name: str) -> str:
    """The reason shown for a field that is not known yet."""
    return f"Not known yet: {PROFILE_FIELDS[name].question}."


def screen(profile: PatientProfile, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Check a profile against the screening rules and sum up the result for each option.

    A met rule flags the options it applies to as ``urgent_assessment`` (a red flag, such as
    a new nerve problem or a possible infection, for every option, non-surgical care
    included), ``not_suitable`` or ``caution``. A rule whose field (or whose ``when_field``)
    is not known yet makes the option ``more_information_needed`` and adds a reason naming
    what to find out. The most serious status wins, in the order of :data:`STATUSES` read
    backwards: urgent_assessment, not_suitable, caution, more_information_needed,
    no_contraindication_found. The result says what the rules found; it is not advice.

    Parameters
    ----------
    profile : PatientProfile
        What is known about the person.
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        One row per option, in the order kyphoplasty, vertebroplasty, non_surgical. Columns:

        - ``option_id`` and ``option_label``;
        - ``status`` (ordered categorical, least to most serious as in :data:`STATUSES`);
        - ``reasons``: tuple of plain sentences, urgent_assessment ones first, then
          not_suitable, then caution ones, then one "Not known yet: …" per field to find out;
        - ``reason_statuses``: tuple, for each reason, the status it stands for;
        - ``screen_ids``, ``rule_ids``, ``source_ids``: tuples for the rules that were met;
        - ``to_find_out``: tuple of the profile fields whose values would settle a rule;
        - ``pending_screen_ids``: tuple of the rules waiting on those fields.

    Raises
    ------
    TypeError
        If ``profile`` is not a :class:`PatientProfile`.
    DataValidationError
        If a screening rule does not fit the profile fields.

    See Also
    --------
    screen_details : how each rule came out.
    screening_sentences : the result in neutral sentences.
    screening_context : what guideline groups say about each option.

    Examples
    --------
    >>> result = screen(PatientProfile(uncorrectable_bleeding=True))
    >>> result.set_index("option_id").loc["vertebroplasty", "status"]
    'not_suitable'
    >>> screen(PatientProfile(infection=True))["status"].tolist()
    ['urgent_assessment', 'urgent_assessment', 'urgent_assessment']
    """
    details = screen_details(profile, data_dir=data_dir)
    labels = option_labels(data_dir=data_dir)
    rows = []
    for option in Option:
        mine = details[[option.value in options for options in details["applies_to"]]]
        met = mine[mine["outcome"] == "met"]
        worst_first = pd.concat([met[met["status"] == status] for status in RULE_STATUSES])
        unknown = mine[mine["outcome"] == "unknown"]
        to_find_out = _unique(
            name for name in PROFILE_FIELDS for missing in unknown["missing"] if name in missing
        )
        if len(met):
            status = max(met["status"], key=STATUSES.index)
        elif to_find_out:
            status = "more_information_needed"
        else:
            status = "no_contraindication_found"
        found = [*worst_first["reason"], *(_find_out(name) for name in to_find_out)]
        kinds = [*worst_first["status"], *(["more_information_needed"] * len(to_find_out))]
        reasons = dict(zip(found, kinds, strict=True))  # the same reason twice is shown once
        rows.append(
            {
                "option_id": option.value,
                "option_label": str(labels[option.value]),
                "status": status,
                "reasons": tuple(reasons),
                "reason_statuses": tuple(reasons.values()),
                "screen_ids": tuple(worst_first["screen_id"]),
                "rule_ids": _unique(worst_first["rule_id"]),
                "source_ids": _unique(s for ids in worst_first["source_ids"] for s in ids),
                "to_find_out": to_find_out,
                "pending_screen_ids": tuple(unknown["screen_id"]),
            }
        )
    result = pd.DataFrame(rows)
    result["option_id"] = result["option_id"].astype(_OPTION_DTYPE)
    result["status"] = result["status"].astype(_STATUS_DTYPE)
    return result


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def screening_sentences(result: pd.DataFrame) -> list[str]:
    """Word the result of :func:`screen` as one neutral paragraph per option.

    The wording states what the rules found and what is not known yet, a red flag first. It
    never says which option to choose, and each paragraph ends by saying a doctor will check
    more.

    Parameters
    ----------
    result : pandas.DataFrame
        The table :func:`screen` returns.

    Returns
    -------
    list of str
        One paragraph per row of ``result``, in its order.

    Examples
    --------
    >>> known = PatientProfile(cause="osteoporosis", neurological_deficit=False, infection=False)
    >>> screening_sentences(screen(known))[2]
    'No reason found in these rules not to consider non-surgical care. Your doctor will check more.'
    """
    sentences = []
    for record in result.to_dict("records"):
        label = _lower_first(str(record["option_label"]))
        by_status: dict[str, list[str]] = {status: [] for status in STATUSES}
        for reason, status in zip(record["reasons"], record["reason_statuses"], strict=True):
            by_status[str(status)].append(str(reason))
        parts = []
        if by_status["urgent_assessment"]:
            reasons = " ".join(by_status["urgent_assessment"])
            parts.append(
                f"These rules found a warning sign to have checked the same day, whatever the choice: {reasons}"
            )
        if by_status["not_suitable"]:
            reasons = " ".join(by_status["not_suitable"])
            lead = "They also found" if parts else "These rules found"
            parts.append(f"{lead} a reason that {label} is not usually done: {reasons}")
        if by_status["caution"]:
            lead = (
                "Some points also need care:" if parts else f"Some points need care with {label}:"
            )
            parts.append(f"{lead} {' '.join(by_status['caution'])}")
        questions = [PROFILE_FIELDS[name].question for name in record["to_find_out"]]
        if questions:
            lead = "Still to find out." if parts else f"More needs to be known to check {label}."
            # one short sentence per open question keeps the paragraph easy to read
            parts.append(" ".join([lead, *(f"{q[0].upper()}{q[1:]}." for q in questions)]))
        if not parts:
            parts.append(f"No reason found in these rules not to consider {label}.")
        sentences.append(" ".join([*parts, "Your doctor will check more."]))
    return sentences


#: Columns of :func:`screening_context`.
_CONTEXT_COLUMNS = ["rule_id", "option_id", "option_label", "text", "source_ids", "funding"]


def screening_context(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Return what guideline groups say about each option, to show beside a screening result.

    These are the ``guideline_position`` rows of ``candidacy.csv`` (for example the AAOS 2010
    positions on vertebroplasty and kyphoplasty and the ASBMR 2019 task force). They are the
    same for everyone: context for the talk with the care team, not a finding about the
    person, and never a recommendation by this aid.

    Parameters
    ----------
    data_dir : str or Path, optional
        Knowledge-base folder; defaults to :func:`kypho_aid.data_dir`.

    Returns
    -------
    pandas.DataFrame
        One row per position and option, in option order then file order. Columns
        ``rule_id``, ``option_id``, ``option_label``, ``text`` (plain language),
        ``source_ids`` (tuple) and ``funding`` (who paid, where the source says; else empty).

    Examples
    --------
    >>> context = screening_context()
    >>> sorted(set(context["option_id"]))
    ['kyphoplasty', 'vertebroplasty']
    """
    rules = load_dataset("candidacy", data_dir=data_dir)
    positions = rules[rules["kind"] == "guideline_position"]
    labels = option_labels(data_dir=data_dir)
    rows = [
        {
            "rule_id": str(record["rule_id"]),
            "option_id": option.value,
            "option_label": str(labels[option.value]),
            "text": " ".join(str(record["plain"]).split()),
            "source_ids": _items(record["source_ids"]),
            "funding": _text(record.get("funding")) or "",
        }
        for option in Option
        for record in positions.to_dict("records")
        if option.value in _items(record["applies_to"])
    ]
    return pd.DataFrame(rows, columns=_CONTEXT_COLUMNS)
