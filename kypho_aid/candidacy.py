"""Screening a person's profile against the sourced candidacy rules, without recommending.

A :class:`~kypho_aid.profile.PatientProfile` (declared in :mod:`kypho_aid.profile`, with the
screening-rule grammar the validator shares) holds what is known about one person; any field
may be ``None`` (not known yet). :func:`screen` checks it against ``data/screening_rules.csv``, the
machine-checkable form of the rules in ``candidacy.csv``, and returns one row per option with
a status, the plain reasons and the sources behind them. A red flag (a new nerve problem, a
possible infection) makes every option ``urgent_assessment``, non-surgical care included.
:func:`screening_sentences` words that result neutrally, and :func:`screening_context` gives
what guideline groups say about each option, to show beside it. The result only says what the
rules found; it never says which option to choose, and a doctor checks more than these rules
can.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kypho_aid.datasets import Stamp, data_key, load_dataset, option_labels
from kypho_aid.exceptions import DataValidationError
from kypho_aid.intake import field_questions
from kypho_aid.model import Option, Problem
from kypho_aid.profile import (
    CAUSES,
    CONSERVATIVE_CARE,
    EXAMPLE_PROFILE,
    PROFILE_FIELDS,
    RULE_STATUSES,
    WEEKS_PER_MONTH,
    PatientProfile,
    ProfileError,
    ProfileField,
    RuleError,
    ScreeningRule,
    cell_items,
    cell_text,
    parse_rule,
    screening_rule_problems,
)
from kypho_aid.texts import ui_text

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

_STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES), ordered=True)
_OPTION_DTYPE = pd.CategoricalDtype([o.value for o in Option], ordered=False)
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


def _load_rules(data_dir: str | Path | None) -> tuple[ScreeningRule, ...]:
    """Read and parse every screening rule, or raise DataValidationError naming each bad row.

    Parsed once per version of the data (the rules are frozen): every screen asks for them.
    """
    return _parsed_rules(*data_key(data_dir))


@functools.lru_cache(maxsize=8)
def _parsed_rules(data_dir: str | None, stamp: Stamp) -> tuple[ScreeningRule, ...]:
    frame = load_dataset("screening_rules", data_dir=data_dir)
    rules: list[ScreeningRule] = []
    problems: list[Problem] = []
    for line, record in enumerate(frame.to_dict("records"), start=2):
        try:
            rules.append(parse_rule({str(k): v for k, v in record.items()}))
        except RuleError as err:
            problems.append(Problem(_RULES_FILE, line, err.column, str(err)))
    if problems:
        raise DataValidationError(problems)
    return tuple(rules)


def _met(rule: ScreeningRule, value: object) -> bool:
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


def _evaluate(rule: ScreeningRule, profile: PatientProfile) -> tuple[str, tuple[str, ...]]:
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


def _find_out(name: str, data_dir: str | Path | None) -> str:
    """The reason shown for a field that is not known yet."""
    question = field_questions(data_dir=data_dir)[name]
    return ui_text("screening.not_known", question=question, data_dir=data_dir)


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
        # met rules, most serious status first, in file order within one: one take of the rows
        statuses = met["status"].tolist()
        serious = [i for i, status in enumerate(statuses) if status in RULE_STATUSES]
        worst_first = met.iloc[sorted(serious, key=lambda i: RULE_STATUSES.index(statuses[i]))]
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
        found = [*worst_first["reason"], *(_find_out(name, data_dir) for name in to_find_out)]
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


def screening_sentences(result: pd.DataFrame, *, data_dir: str | Path | None = None) -> list[str]:
    """Word the result of :func:`screen` as one neutral paragraph per option.

    The wording states what the rules found and what is not known yet, a red flag first. It
    never says which option to choose, and each paragraph ends by saying a doctor will check
    more.

    Parameters
    ----------
    result : pandas.DataFrame
        The table :func:`screen` returns.
    data_dir : str or Path, optional
        Knowledge-base folder whose ``ui_text.csv`` holds the words (the ``screening.`` texts);
        defaults to :func:`kypho_aid.data_dir`.

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

    def text(text_id: str, **fills: object) -> str:
        return ui_text(f"screening.{text_id}", data_dir=data_dir, **fills)

    sentences = []
    asked = field_questions(data_dir=data_dir)
    for record in result.to_dict("records"):
        label = _lower_first(str(record["option_label"]))
        by_status: dict[str, list[str]] = {status: [] for status in STATUSES}
        for reason, status in zip(record["reasons"], record["reason_statuses"], strict=True):
            by_status[str(status)].append(str(reason))
        parts = []
        if by_status["urgent_assessment"]:
            parts.append(text("warning", reasons=" ".join(by_status["urgent_assessment"])))
        if by_status["not_suitable"]:
            reasons = " ".join(by_status["not_suitable"])
            text_id = "not_suitable_also" if parts else "not_suitable"
            parts.append(text(text_id, label=label, reasons=reasons))
        if by_status["caution"]:
            reasons = " ".join(by_status["caution"])
            parts.append(
                text("caution_also", reasons=reasons)
                if parts
                else text("caution", label=label, reasons=reasons)
            )
        questions = [asked[name] for name in record["to_find_out"]]
        if questions:
            lead = text("to_find_out_also") if parts else text("to_find_out", label=label)
            # one short sentence per open question keeps the paragraph easy to read
            parts.append(" ".join([lead, *(f"{q[0].upper()}{q[1:]}." for q in questions)]))
        if not parts:
            parts.append(text("none_found", label=label))
        sentences.append(" ".join([*parts, text("doctor_checks")]))
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
            "source_ids": cell_items(record["source_ids"]),
            "funding": cell_text(record.get("funding")) or "",
        }
        for option in Option
        for record in positions.to_dict("records")
        if option.value in cell_items(record["applies_to"])
    ]
    return pd.DataFrame(rows, columns=_CONTEXT_COLUMNS)
