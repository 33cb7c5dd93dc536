"""Checks across tables: references, and the rules the knowledge base keeps as a whole.

Phase three of validation: foreign keys (skipped, with one line saying so, when the table
they point into is empty or broken), every source cited, every core attribute and question
told for every option, drawings that fit their procedure, findings whose figures, chance
wording and GRADE certainty agree, screening rules that ``screen()`` can read (one gate),
and the words and lists the app and handout read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from kypho_aid._values import fill_names
from kypho_aid.model import Option, Problem
from kypho_aid.profile import PROFILE_FIELDS, screening_rule_problems
from kypho_aid.validation.checks import (
    ParsedTable,
    TypedRow,
)

#: Drawing elements that only a kyphoplasty step may show.
KYPHOPLASTY_ONLY_ELEMENTS = frozenset({"balloon", "balloon_deflated", "cavity"})
#: Drawing elements that only make sense with cement in the same step.
WITH_CEMENT_ELEMENTS = frozenset({"low_pressure", "high_pressure", "cement_hardening"})


def column_values(table: ParsedTable, column: str) -> set[str]:
    """Every value (every item, for a list column) of ``column`` in ``table``."""
    found: set[str] = set()
    for row in table.rows:
        value = row.values.get(column)
        if isinstance(value, tuple):
            found.update(value)
        elif value is not None:
            found.add(str(value))
    return found


def referable(table: ParsedTable, column: str) -> bool:
    """Whether references into ``column`` of ``table`` can be checked.

    Not when the table has no rows or a problem in that column: it is reported on its own,
    and checking references against it would repeat that one problem for every reference.
    """
    return bool(table.rows) and all(problem.column != column for problem in table.problems)


def _references(table: ParsedTable, field: str) -> int:
    """How many values (list items counted one by one) ``table`` gives in ``field``."""
    count = 0
    for row in table.rows:
        value = row.values.get(field)
        count += sum(item is not None for item in (value if isinstance(value, tuple) else (value,)))
    return count


def check_foreign_keys(table: ParsedTable, tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that every reference in ``table`` resolves in the table it points to.

    References into a missing table, or one that is not :func:`referable`, are skipped; see
    :func:`check_skipped_references`.
    """
    problems: list[Problem] = []
    for key in table.schema.foreign_keys:
        target = tables.get(key.table)
        if target is None or not referable(target, key.column):
            continue
        known = column_values(target, key.column)
        for row in table.rows:
            value = row.values.get(key.field)
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                if item is not None and item not in known:
                    message = f"unknown {key.column} {item!r}: it is not in {target.schema.path}"
                    problems.append(
                        Problem(table.shown, row.line_of(key.field), key.field, message)
                    )
    return problems


def check_skipped_references(
    tables: Mapping[str, ParsedTable], referring: Iterable[ParsedTable] | None = None
) -> list[Problem]:
    """Say, once for each empty or broken table, how many reference checks into it were skipped.

    One line in the referenced file replaces the hundreds of follow-on errors that checking
    references against an empty or broken table would give.

    Parameters
    ----------
    tables : Mapping
        Table name to parsed table: the tables references point into.
    referring : iterable of ParsedTable, optional
        The tables whose references count; defaults to every table in ``tables``.
    """
    skipped: dict[str, tuple[int, set[str]]] = {}
    for table in tables.values() if referring is None else referring:
        for key in table.schema.foreign_keys:
            target = tables.get(key.table)
            count = _references(table, key.field)
            if target is None or referable(target, key.column) or not count:
                continue
            total, files = skipped.get(key.table, (0, set()))
            skipped[key.table] = (total + count, files | {table.schema.path})
    problems = []
    for name, (count, files) in skipped.items():
        message = (
            f"{count} checks that depend on {name} were skipped "
            f"(references from {', '.join(sorted(files))}); they run once this file is fixed"
        )
        problems.append(Problem(tables[name].shown, 1, "-", message))
    return problems


def check_every_source_cited(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that each source in the bibliography is cited by at least one row."""
    sources = tables.get("sources")
    if sources is None:
        return []
    cited: set[str] = set()
    for table in tables.values():
        for key in table.schema.foreign_keys:
            if key.table == "sources":
                cited |= column_values(table, key.field)
    problems = []
    for row in sources.rows:
        source_id = row.values.get("source_id")
        if source_id is not None and source_id not in cited:
            message = f"source {source_id!r} is never cited; cite it from a fact or remove it"
            problems.append(Problem(sources.shown, row.line_of("source_id"), "source_id", message))
    return problems


def check_core_attributes(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that every option answers every core attribute (or says why it does not apply)."""
    attributes, comparison, options = (
        tables.get(n) for n in ("attributes", "comparison", "options")
    )
    if attributes is None or comparison is None or options is None:
        return []
    answered = {
        (row.values.get("attribute_id"), row.values.get("option_id")) for row in comparison.rows
    }
    problems = []
    for row in attributes.rows:
        if row.values.get("core") is not True:
            continue
        attribute = row.values.get("attribute_id")
        for option in sorted(
            column_values(options, "option_id"), key=[o.value for o in Option].index
        ):
            if (attribute, option) not in answered:
                message = (
                    f"core attribute {attribute!r} has no row for option {option!r} in {comparison.schema.path}; "
                    "add a fact, or a not_applicable row that gives the reason"
                )
                problems.append(Problem(attributes.shown, row.line_of("core"), "core", message))
    return problems


def check_faq_complete(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that each question is answered once for every option, with one wording."""
    faq, options = tables.get("faq"), tables.get("options")
    if faq is None or options is None:
        return []
    all_options = column_values(options, "option_id")
    by_question: dict[str, list[TypedRow]] = {}
    for row in faq.rows:
        by_question.setdefault(str(row.values.get("question_id")), []).append(row)
    problems = []
    for question_id, rows in by_question.items():
        missing = all_options - {str(row.values.get("option_id")) for row in rows}
        for option in sorted(missing):
            message = (
                f"question {question_id} has no answer for {option!r}; answer it for every option"
            )
            problems.append(Problem(faq.shown, rows[0].line_of("option_id"), "option_id", message))
        first = rows[0].values.get("question")
        reworded = next((row for row in rows if row.values.get("question") != first), None)
        if reworded is not None:
            message = (
                f"question {question_id} is worded differently here than on row "
                f"{rows[0].line_of('question')}; use one wording"
            )
            problems.append(Problem(faq.shown, reworded.line_of("question"), "question", message))
    return problems


#: The option grid's limits (Option Grid practice: a short table read inside a consultation).
GRID_QUESTIONS = 10
GRID_WORDS = 35
_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?")


def check_option_grid(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check the option grid in faq.csv: at most ten questions, each in one place, each
    answered for every option in at most 35 words, with no number the full answer lacks."""
    faq = tables.get("faq")
    if faq is None:
        return []
    problems = []
    placed: dict[int, str] = {}
    for row in faq.rows:
        values = row.values
        order, short = values.get("grid_order"), values.get("short_answer")
        question_id = str(values.get("question_id"))
        if not isinstance(order, int):
            if short:
                message = "a short answer is shown only in the grid; give the question a grid_order"
                problems.append(
                    Problem(faq.shown, row.line_of("short_answer"), "short_answer", message)
                )
            continue
        owner = placed.setdefault(order, question_id)
        if owner != question_id:
            message = f"grid place {order} is already taken by question {owner}"
            problems.append(Problem(faq.shown, row.line_of("grid_order"), "grid_order", message))
        if not short:
            message = f"question {question_id} is in the grid, so every option needs a short answer"
            problems.append(
                Problem(faq.shown, row.line_of("short_answer"), "short_answer", message)
            )
            continue
        words = len(str(short).split())
        if words > GRID_WORDS:
            message = f"a short answer has at most {GRID_WORDS} words; this one has {words}"
            problems.append(
                Problem(faq.shown, row.line_of("short_answer"), "short_answer", message)
            )
        extra = sorted(
            set(_NUMBER_TOKEN.findall(str(short)))
            - set(_NUMBER_TOKEN.findall(str(values.get("answer"))))
        )
        if extra:
            message = (
                f"the short answer gives {', '.join(extra)}, which the full answer on this row "
                "does not: every figure must come from the cited full answer"
            )
            problems.append(
                Problem(faq.shown, row.line_of("short_answer"), "short_answer", message)
            )
    by_question: dict[str, set[int]] = {}
    for row in faq.rows:
        order = row.values.get("grid_order")
        by_question.setdefault(str(row.values.get("question_id")), set()).add(
            order if isinstance(order, int) else -1
        )
    for question_id, orders in sorted(by_question.items()):
        if len(orders) > 1:
            row = next(r for r in faq.rows if str(r.values.get("question_id")) == question_id)
            message = f"question {question_id} has a different grid_order on its rows; use one"
            problems.append(Problem(faq.shown, row.line_of("grid_order"), "grid_order", message))
    if len(placed) > GRID_QUESTIONS:
        row = faq.rows[0]
        message = (
            f"the grid holds at most {GRID_QUESTIONS} questions; {len(placed)} have a grid_order"
        )
        problems.append(Problem(faq.shown, row.line_of("grid_order"), "grid_order", message))
    return problems


def check_profile_questions(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that the candidacy form asks every profile field exactly once, and nothing else."""
    questions = tables.get("profile_questions")
    if questions is None:
        return []
    problems = []
    listed = set()
    for row in questions.rows:
        field = str(row.values.get("field"))
        listed.add(field)
        if field not in PROFILE_FIELDS:
            message = (
                f"{field!r} is not a field of the patient profile; use one of: "
                f"{', '.join(PROFILE_FIELDS)}"
            )
            problems.append(Problem(questions.shown, row.line_of("field"), "field", message))
    missing = [name for name in PROFILE_FIELDS if name not in listed]
    if missing and questions.rows:
        message = f"the form never asks {', '.join(missing)}; give each profile field a row"
        problems.append(
            Problem(questions.shown, questions.rows[-1].line_of("field"), "field", message)
        )
    return problems


def check_drawing_elements(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check the drawing elements of the steps.

    Only kyphoplasty steps show a balloon or a cavity; pressure marks and hardening need
    cement in the same step; and once an option's cement is in, every later step shows it.
    """
    steps = tables.get("steps")
    if steps is None:
        return []
    drawn = [
        (row, set(raw) if isinstance(raw := row.values.get("elements"), tuple) else set())
        for row in steps.rows
    ]
    cement_from: dict[object, int] = {}
    for row, elements in drawn:
        number = row.values.get("step_number")
        if "cement" in elements and isinstance(number, int):
            option = row.values.get("option_id")
            cement_from[option] = min(cement_from.get(option, number), number)
    problems = []
    for row, elements in drawn:
        wrong = KYPHOPLASTY_ONLY_ELEMENTS & elements
        if wrong and row.values.get("option_id") != Option.KYPHOPLASTY:
            message = f"{', '.join(sorted(wrong))} belong only to kyphoplasty steps"
            problems.append(Problem(steps.shown, row.line_of("elements"), "elements", message))
        lonely = WITH_CEMENT_ELEMENTS & elements
        if lonely and "cement" not in elements:
            message = f"{', '.join(sorted(lonely))} need cement in the same step"
            problems.append(Problem(steps.shown, row.line_of("elements"), "elements", message))
        number = row.values.get("step_number")
        first = cement_from.get(row.values.get("option_id"))
        after_injection = first is not None and isinstance(number, int) and number > first
        if after_injection and "cement" not in elements:
            message = f"cement went in at step {first}, so step {number} must still show cement"
            problems.append(Problem(steps.shown, row.line_of("elements"), "elements", message))
    return problems


#: GRADE's starting level by design (randomised high, the rest low) and the level names.
GRADE_START = {
    "sham_controlled_rct": 3,
    "pooled_rcts": 3,
    "open_rct": 3,
    "pooled_mixed": 1,
    "observational": 1,
    "single_arm": 1,
    "review": 1,
}
GRADE_LEVELS = ("very_low", "low", "moderate", "high")


def _finding_problems(values: Mapping[str, Any], pairwise: bool | None) -> list[tuple[str, str]]:
    """What is wrong with one finding, as (column, message) pairs."""
    found: list[tuple[str, str]] = []
    kind = values.get("kind")
    denominator = values.get("denominator")
    for side in ("intervention", "comparator"):
        events, total = values.get(f"{side}_events"), values.get(f"{side}_total")
        if isinstance(events, int) and isinstance(total, int):
            if events > total:
                found.append(
                    (f"{side}_events", f"{events} events is more than the {total} counted")
                )
            per = values.get(f"{side}_per")
            if isinstance(per, float) and isinstance(denominator, int):
                expected = events / total * denominator
                if abs(per - expected) > 0.5 + 1e-9:
                    found.append(
                        (
                            f"{side}_per",
                            f"{per:g} out of {denominator} does not match "
                            f"{events}/{total} = {expected:.1f} out of {denominator}",
                        )
                    )
        elif (events is None) != (total is None):
            found.append((f"{side}_total", "give both the count and what it is out of, or neither"))
    for name in ("intervention_per", "comparator_per", "per_low", "per_high"):
        value = values.get(name)
        if isinstance(value, float) and isinstance(denominator, int) and value > denominator:
            found.append((name, f"{value:g} is more than the denominator {denominator}"))
    low, high, effect = values.get("low"), values.get("high"), values.get("effect")
    if (low is None) != (high is None):
        found.append(("high", "give both ends of the interval, or neither"))
    chance = values.get("chance")
    if kind == "difference" and isinstance(low, float) and isinstance(high, float):
        crosses = low <= 0 <= high
        if chance == "unlikely_chance" and crosses:
            found.append(("chance", f"the interval {low:g} to {high:g} includes no difference"))
        if chance == "could_be_chance" and not crosses:
            found.append(("chance", f"the interval {low:g} to {high:g} excludes no difference"))
    if effect is not None and kind not in ("difference", "risk"):
        found.append(("effect", f"a {kind} finding has no effect column; use the arms' columns"))
    if pairwise is True and kind == "single_group":
        found.append(("kind", "a comparison of two arms cannot be a single_group finding"))
    if pairwise is False and kind != "single_group":
        found.append(("kind", "a finding with one group must be single_group"))
    if (
        kind == "single_group"
        and values.get("intervention_per") is None
        and (values.get("per_low") is None or values.get("per_high") is None)
    ):
        found.append(
            ("intervention_per", "a single group needs its figure or both ends of its range")
        )
    design, certainty = values.get("design"), values.get("certainty")
    downgrades = values.get("downgrades") or ()
    if isinstance(design, str) and design in GRADE_START and isinstance(certainty, str):
        expected_level = GRADE_LEVELS[max(0, GRADE_START[design] - len(downgrades))]
        if certainty != expected_level:
            found.append(
                (
                    "certainty",
                    f"{design} starts at {GRADE_LEVELS[GRADE_START[design]]} and "
                    f"{len(downgrades)} downgrade(s) give {expected_level}, not {certainty}",
                )
            )
    return found


def check_findings(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check every finding: events within their totals and the denominator, rates that match
    their counts, an interval that agrees with its chance wording, the kind that fits the
    comparison, and a certainty that follows from the design and its downgrades (GRADE)."""
    findings, comparisons = (tables.get(n) for n in ("findings", "comparisons"))
    if findings is None:
        return []
    pairwise = {}
    if comparisons is not None:
        pairwise = {
            str(r.values.get("comparison")): r.values.get("pairwise") == "yes"
            for r in comparisons.rows
        }
    problems = []
    for row in findings.rows:
        for column, message in _finding_problems(
            row.values, pairwise.get(str(row.values.get("comparison")))
        ):
            problems.append(Problem(findings.shown, row.line_of(column), column, message))
    return problems


def check_screening_rules(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that each screening rule fits the profile field it tests, as ``screen()`` reads it.

    The rule parser lives with the profile fields in :mod:`kypho_aid.profile`, so that this
    check and ``screen()`` accept and reject the same rules.
    """
    return screening_rule_problems(tables)


def check_outcome_coverage(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that every outcome is told for every option: by a finding with the option as an
    arm, or by an outcome_gaps row saying why there is none (never both)."""
    findings, comparisons, gaps, options, definitions = (
        tables.get(n)
        for n in ("findings", "comparisons", "outcome_gaps", "options", "outcome_definitions")
    )
    if None in (findings, comparisons, gaps, options, definitions):
        return []
    assert findings and comparisons and gaps and options and definitions  # for the type checker
    arms_of = {"either_procedure": {"kyphoplasty", "vertebroplasty"}}
    sides = {
        str(r.values.get("comparison")): (
            str(r.values.get("intervention")),
            str(r.values.get("comparator")),
        )
        for r in comparisons.rows
    }
    covered: set[tuple[str, str]] = set()
    for row in findings.rows:
        for arm in sides.get(str(row.values.get("comparison")), ()):
            for option in arms_of.get(arm, {arm}):
                covered.add((str(row.values.get("outcome")), option))
    explained = {
        (str(r.values.get("outcome")), str(r.values.get("option_id"))): r for r in gaps.rows
    }
    problems = []
    for (outcome, option), row in explained.items():
        if (outcome, option) in covered:
            message = f"findings.csv has a finding for {outcome!r} with {option!r}; remove this gap"
            problems.append(Problem(gaps.shown, row.line_of("option_id"), "option_id", message))
    for definition in definitions.rows:
        outcome = str(definition.values.get("outcome"))
        for option in sorted(column_values(options, "option_id")):
            if (outcome, option) not in covered and (outcome, option) not in explained:
                message = (
                    f"outcome {outcome!r} has no finding for option {option!r}; add one to "
                    "findings.csv, or a row to outcome_gaps.csv that says why"
                )
                problems.append(
                    Problem(definitions.shown, definition.line_of("outcome"), "outcome", message)
                )
    return problems


def check_ui_text_fills(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that every ``{name}`` in a text of ``ui_text.csv`` is listed in its ``fills``,
    and every name listed there is used in the text."""
    texts = tables.get("ui_text")
    if texts is None:
        return []
    problems = []
    for row in texts.rows:
        text, listed = row.values.get("text"), row.values.get("fills")
        if not isinstance(text, str):
            continue
        try:
            used = fill_names(text)
        except ValueError as err:
            message = f"{err}; write a fill as {{name}} and list the name in fills"
            problems.append(Problem(texts.shown, row.line_of("text"), "text", message))
            continue
        given = listed if isinstance(listed, tuple) else ()
        unlisted = [name for name in used if name not in given]
        if unlisted:
            names = ", ".join(unlisted)
            message = f"the text fills in {names} but fills does not list it; add it to fills"
            problems.append(Problem(texts.shown, row.line_of("fills"), "fills", message))
        unused = [name for name in given if name not in used]
        if unused:
            names = ", ".join(unused)
            message = (
                f"fills lists {names} but the text has no {{{unused[0]}}}; use it or remove it"
            )
            problems.append(Problem(texts.shown, row.line_of("fills"), "fills", message))
    return problems


#: The table each section of ``handout_items.csv`` points into, and its id column.
HANDOUT_TARGETS = {
    "attribute": ("attributes", "attribute_id"),
    "grid": ("faq", "question_id"),
    "outcome": ("outcome_definitions", "outcome"),
    "question": ("faq", "question_id"),
}


def check_handout_items(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that each item of ``handout_items.csv`` is an id of the table its section names."""
    items = tables.get("handout_items")
    if items is None:
        return []
    problems = []
    for row in items.rows:
        section, item = row.values.get("section"), row.values.get("item_id")
        if not isinstance(section, str) or section not in HANDOUT_TARGETS or item is None:
            continue
        name, column = HANDOUT_TARGETS[section]
        target = tables.get(name)
        if target is None or not referable(target, column):
            continue
        if str(item) not in column_values(target, column):
            message = f"unknown {column} {item!r} for section {section}: it is not in {target.schema.path}"
            problems.append(Problem(items.shown, row.line_of("item_id"), "item_id", message))
    return problems


def check_one_right_choice(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that exactly one choice of the sham exercise (``sham_choices.csv``) is right."""
    choices = tables.get("sham_choices")
    if choices is None or not choices.rows:
        return []
    right = [row for row in choices.rows if row.values.get("right") is True]
    if len(right) == 1:
        return []
    if not right:
        message = "no choice is marked right; mark exactly one right as true"
        return [Problem(choices.shown, choices.rows[0].line_of("right"), "right", message)]
    first = right[0].line_of("right")
    return [
        Problem(
            choices.shown,
            row.line_of("right"),
            "right",
            f"a second choice is marked right (the first is on row {first}); mark exactly one",
        )
        for row in right[1:]
    ]


def check_tradeoffs(tables: Mapping[str, ParsedTable]) -> list[Problem]:
    """Check that each trade-off of ``tradeoffs.csv`` weighs two different considerations and
    that a consideration is a side of at most one trade-off, so an answer sets its rating once.

    That each side is a consideration at all is the schema's foreign key.
    """
    tradeoffs = tables.get("tradeoffs")
    if tradeoffs is None:
        return []
    problems = []
    first: dict[str, tuple[str, int]] = {}
    for row in tradeoffs.rows:
        left, right = row.values.get("left"), row.values.get("right")
        if left is not None and left == right:
            message = f"both sides are {left!r}; weigh two different considerations"
            problems.append(Problem(tradeoffs.shown, row.line_of("right"), "right", message))
            continue
        for column, side in (("left", left), ("right", right)):
            if side is None:
                continue
            if str(side) in first:
                where, line = first[str(side)]
                message = (
                    f"{side!r} is already the {where} side of the trade-off on row {line}; "
                    "a consideration may be a side of one trade-off only"
                )
                problems.append(Problem(tradeoffs.shown, row.line_of(column), column, message))
            else:
                first[str(side)] = (column, row.line_of(column))
    return problems


#: The checks across tables that ``validate()`` runs after the single-table ones.
PACKAGE_CHECKS = (
    check_every_source_cited,
    check_core_attributes,
    check_faq_complete,
    check_option_grid,
    check_profile_questions,
    check_drawing_elements,
    check_findings,
    check_outcome_coverage,
    check_screening_rules,
    check_ui_text_fills,
    check_handout_items,
    check_one_right_choice,
    check_tradeoffs,
)
