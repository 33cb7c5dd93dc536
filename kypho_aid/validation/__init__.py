"""Checks of the knowledge base: small named functions that return problems.

Each ``check_*`` function is pure: it takes rows already read from a file (see
:mod:`kypho_aid.datasets`) and returns a list of :class:`~kypho_aid.model.Problem`, each naming
the file, row and column and saying how to fix it. Phase one (file integrity) happens while
reading; phase two, one table's cells and rows, is :mod:`~kypho_aid.validation.checks`;
phase three, across tables, is :mod:`~kypho_aid.validation.rules`.
"""

from kypho_aid.validation.checks import (
    ParsedTable,
    TypedRow,
    Value,
    check_cells,
    check_header,
    check_not_empty,
    check_row_rules,
    check_table,
    check_unique,
)
from kypho_aid.validation.rules import (
    GRADE_LEVELS,
    GRADE_START,
    GRID_QUESTIONS,
    GRID_WORDS,
    HANDOUT_TARGETS,
    KYPHOPLASTY_ONLY_ELEMENTS,
    PACKAGE_CHECKS,
    WITH_CEMENT_ELEMENTS,
    check_core_attributes,
    check_drawing_elements,
    check_every_source_cited,
    check_faq_complete,
    check_findings,
    check_foreign_keys,
    check_handout_items,
    check_one_right_choice,
    check_option_grid,
    check_outcome_coverage,
    check_profile_questions,
    check_screening_rules,
    check_skipped_references,
    check_tradeoffs,
    check_ui_text_fills,
    column_values,
    referable,
)

__all__ = [
    "GRADE_LEVELS",
    "GRADE_START",
    "GRID_QUESTIONS",
    "GRID_WORDS",
    "HANDOUT_TARGETS",
    "KYPHOPLASTY_ONLY_ELEMENTS",
    "PACKAGE_CHECKS",
    "WITH_CEMENT_ELEMENTS",
    "ParsedTable",
    "TypedRow",
    "Value",
    "check_cells",
    "check_core_attributes",
    "check_drawing_elements",
    "check_every_source_cited",
    "check_faq_complete",
    "check_findings",
    "check_foreign_keys",
    "check_handout_items",
    "check_header",
    "check_not_empty",
    "check_one_right_choice",
    "check_option_grid",
    "check_outcome_coverage",
    "check_profile_questions",
    "check_row_rules",
    "check_screening_rules",
    "check_skipped_references",
    "check_table",
    "check_tradeoffs",
    "check_ui_text_fills",
    "check_unique",
    "column_values",
    "referable",
]
