"""The patient profile and the grammar of screening rules: the one gate both pass.

A :class:`PatientProfile` holds what is known about one person, each field declared once with
its kind and limits (the words that ask about it are in ``data/profile_questions.csv``). :func:`parse_rule` reads one row of ``screening_rules.csv``
against those fields; the validator (:func:`screening_rule_problems`) and
:func:`kypho_aid.candidacy.screen` both use it, so they accept and reject the same rules.
This module belongs to the knowledge base: it reads no data set and draws no conclusion.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, Literal

from kypho_aid._values import display_value, warn_deprecated
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.model import LIST_SEPARATOR, Problem

__all__ = [
    "CAUSES",
    "CONSERVATIVE_CARE",
    "EXAMPLE_PROFILE",
    "PROFILE_FIELDS",
    "RULE_STATUSES",
    "WEEKS_PER_MONTH",
    "PatientProfile",
    "ProfileError",
    "ProfileField",
    "RuleError",
    "ScreeningRule",
    "cell_items",
    "cell_text",
    "parse_rule",
    "screening_rule_problems",
]

#: What caused the fracture, as a profile records it.
CAUSES = ("osteoporosis", "cancer", "trauma", "other")
#: How care without a procedure is going.
CONSERVATIVE_CARE = ("improving", "not_improving", "not_tried")
#: Statuses a screening rule can give when it is met, most serious first.
RULE_STATUSES = ("urgent_assessment", "not_suitable", "caution")
#: Weeks in an average month (365.25 days / 12 / 7), to compare a fracture age in weeks with
#: a rule that states months.
WEEKS_PER_MONTH = 365.25 / 12 / 7
_NUMERIC_TESTS = frozenset({"lt", "le", "gt", "ge"})
_BOOLEAN_TESTS = frozenset({"is_true", "is_false"})


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
    """What one :class:`PatientProfile` field may hold.

    ``kind`` is ``number`` (a real number), ``integer`` (a whole number), ``boolean`` or
    ``choice`` (one of ``choices``). The words that ask about it are in
    ``data/profile_questions.csv`` (:func:`kypho_aid.intake.field_questions`).
    """

    name: str
    kind: Literal["number", "integer", "boolean", "choice"]
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    unit_factors: Mapping[str, float] | None = None

    @property
    def question(self) -> str:
        """Deprecated: what to find out about the field, now read from
        ``data/profile_questions.csv`` (:func:`kypho_aid.intake.field_questions`)."""
        warn_deprecated(
            "ProfileField.question",
            "kypho_aid.intake.field_questions(), which reads data/profile_questions.csv",
        )
        # late: the data layer loads through the checks, which import this module
        from kypho_aid.datasets import load_dataset

        table = load_dataset("profile_questions").set_index("field")
        return str(table.loc[self.name, "question"])

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
    example: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[str, ...] = (),
    unit_factors: Mapping[str, float] | None = None,
) -> Any:
    """One :class:`PatientProfile` field, not known (None) by default, that carries what it
    may hold and its value in :data:`EXAMPLE_PROFILE`."""
    spec = ProfileField("", kind, minimum, maximum, choices, unit_factors)
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
    kypho_aid.profile.ProfileError: pain_score must be a whole number from 0 to 10, got 11
    """

    fracture_age_weeks: float | None = _ask(
        "number",
        3.0,
        minimum=0,
        maximum=520,
        unit_factors={"weeks": 1.0, "months": WEEKS_PER_MONTH},
    )
    pain_score: int | None = _ask(
        "integer",
        7,
        minimum=0,
        maximum=10,
        unit_factors={"points": 1.0},
    )
    cause: str | None = _ask("choice", "osteoporosis", choices=CAUSES)
    mri_oedema: bool | None = _ask("boolean", True)
    levels: int | None = _ask(
        "integer",
        1,
        minimum=1,
        maximum=10,
        unit_factors={"fractures": 1.0},
    )
    neurological_deficit: bool | None = _ask("boolean", False)
    retropulsion_or_posterior_wall: bool | None = _ask("boolean", False)
    infection: bool | None = _ask("boolean", False)
    blood_thinners: bool | None = _ask("boolean", False)
    uncorrectable_bleeding: bool | None = _ask("boolean", False)
    cement_or_contrast_allergy: bool | None = _ask("boolean", False)
    pregnant: bool | None = _ask("boolean", False)
    conservative_care: str | None = _ask("choice", "not_improving", choices=CONSERVATIVE_CARE)
    hospitalised: bool | None = _ask("boolean", False)
    pain_matches_fracture: bool | None = _ask("boolean", True)
    vertebra_plana: bool | None = _ask("boolean", False)
    upper_spine_level: bool | None = _ask("boolean", False)
    life_expectancy_under_3_months: bool | None = _ask("boolean", False)

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


#: Every profile field in order, with its allowed values (made from the fields of
#: :class:`PatientProfile`, which carry them).
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
class ScreeningRule:
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


class RuleError(ValueError):
    """A screening rule cell that does not fit the profile field it tests; ``column`` names it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def cell_text(value: object) -> str | None:
    """The cell's text, or None for an empty cell."""
    return value if isinstance(value, str) and value else None


def cell_items(value: object) -> tuple[str, ...]:
    """A list cell's items, whether read as text (``a;b``) or already split (a tuple)."""
    if isinstance(value, tuple):
        return tuple(str(item) for item in value)
    text = cell_text(value)
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
    name = cell_text(record.get(column))
    if name is None:
        return None
    if name not in PROFILE_FIELDS:
        raise RuleError(
            column, f"{name!r} is not a profile field; use any of: {', '.join(PROFILE_FIELDS)}"
        )
    return PROFILE_FIELDS[name]


def _comparison(spec: ProfileField, record: Mapping[str, Any]) -> float | str | None:
    """The value a rule's test compares with, checked against the field's kind and units."""
    test, text, unit = (
        cell_text(record.get("test")),
        cell_text(record.get("value")),
        cell_text(record.get("unit")),
    )
    if test in _NUMERIC_TESTS:
        factors = spec.unit_factors or {}
        if not factors:
            raise RuleError(
                "test", f"test {test} needs a number field; {spec.name} is {spec.allowed}"
            )
        if text is None or not _is_number(text):
            raise RuleError("value", f"test {test} on {spec.name} needs a number as value")
        if unit is None or unit not in factors:
            raise RuleError(
                "unit", f"test {test} on {spec.name} needs a unit of {', '.join(factors)}"
            )
        return float(text) * factors[unit]
    if test in _BOOLEAN_TESTS:
        if spec.kind != "boolean":
            raise RuleError(
                "test", f"test {test} needs a true/false field; {spec.name} is {spec.allowed}"
            )
    elif test == "equals":
        if spec.kind != "choice":
            raise RuleError(
                "test", f"test equals needs a choice field; {spec.name} is {spec.allowed}"
            )
        if text not in spec.choices:
            raise RuleError("value", f"test equals needs a value of {spec.name}: {spec.allowed}")
        return text
    else:
        raise RuleError(
            "test",
            f"unknown test {test!r}; use {', '.join(sorted(_NUMERIC_TESTS | _BOOLEAN_TESTS))} or equals",
        )
    if text is not None:
        raise RuleError("value", f"test {test} takes no value")
    if unit is not None:
        raise RuleError("unit", f"test {test} takes no unit")
    return None


def parse_rule(record: Mapping[str, Any]) -> ScreeningRule:
    """Parse one row; raise :class:`RuleError` naming the column that does not fit."""
    spec = _field_spec(record, "field")
    if spec is None:
        raise RuleError("field", "a rule needs the profile field it tests")
    value = _comparison(spec, record)
    when_spec = _field_spec(record, "when_field")
    when_values: tuple[object, ...] = ()
    if when_spec is not None:
        items = cell_items(record.get("when_values"))
        if not items:
            raise RuleError("when_values", f"when_field {when_spec.name} needs when_values")
        try:
            when_values = tuple(_choice_value(when_spec, item) for item in items)
        except ValueError as err:
            raise RuleError("when_values", str(err)) from None
    elif cell_items(record.get("when_values")):
        raise RuleError("when_values", "when_values needs a when_field")
    status = cell_text(record.get("status"))
    if status not in RULE_STATUSES:
        raise RuleError("status", f"status {status!r} is not one of {', '.join(RULE_STATUSES)}")
    return ScreeningRule(
        screen_id=str(record["screen_id"]),
        rule_id=str(record["rule_id"]),
        applies_to=cell_items(record.get("applies_to")),
        field=spec.name,
        test=str(record["test"]),
        value=value,
        when_field=None if when_spec is None else when_spec.name,
        when_values=when_values,
        status=status,
        reason=" ".join(str(record["reason"]).split()),
        source_ids=cell_items(record.get("source_ids")),
    )


def screening_rule_problems(tables: Mapping[str, Any]) -> list[Problem]:
    """Check that every screening rule fits the profile field it tests, as :func:`kypho_aid.candidacy.screen` reads it.

    The validator runs this so that ``validate()`` and ``screen()`` reject the same rules
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
            parse_rule(row.values)
        except RuleError as err:
            problems.append(Problem(table.shown, row.line_of(err.column), err.column, str(err)))
    return problems
