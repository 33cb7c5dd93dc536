"""kypho-aid: cited facts comparing balloon kyphoplasty, vertebroplasty and non-surgical care.

The knowledge base lives in ``data/`` as tables with a schema file each; every fact cites a
source. Start with :func:`compare` for the side-by-side comparison, :func:`list_datasets`
and :func:`load_dataset` for the tables, and :func:`validate` to check them.

This is an educational aid, not medical advice; see :func:`content_info` for the disclaimer,
the content version and its review date.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# compare stays eager: its function shares the submodule's name, which a lazy import would shadow.
from kypho_aid.compare import ComparisonTable, bibliography, compare
from kypho_aid.datasets import (
    content_info,
    data_dir,
    describe_dataset,
    list_datasets,
    load_dataset,
    validate,
    write_snapshot,
)
from kypho_aid.exceptions import (
    DataDirError,
    DataValidationError,
    KyphoAidError,
    KyphoAidWarning,
    UnknownDatasetError,
    UnknownOptionError,
    UnknownTopicError,
)
from kypho_aid.model import ContentInfo, Option, Problem

if TYPE_CHECKING:  # the lazily loaded names, for type checkers and editors
    from kypho_aid.candidacy import PatientProfile, ProfileError, screen, screening_sentences
    from kypho_aid.decision import InputError, check_answer, sure_result, values_table
    from kypho_aid.findings import lead_finding, pairwise_panels, summary_of_findings
    from kypho_aid.handout import build_handout
    from kypho_aid.note import SessionInputs, build_note, build_note_fhir, read_note_fhir
    from kypho_aid.outcomes import (
        ChartText,
        RiskView,
        chartable_gaps,
        comparison_text,
        icon_array_text,
        outcome_sentences,
        risk_view,
        study_table,
        summarize_outcomes,
        timeline_text,
    )
    from kypho_aid.procedure import drawing_text, procedure_steps

# Everything beyond loading and checking the data is imported on first use, so that
# `import kypho_aid` costs little more than importing pandas.
_LAZY = {
    "ChartText": "outcomes",
    "InputError": "decision",
    "PatientProfile": "candidacy",
    "ProfileError": "candidacy",
    "RiskView": "outcomes",
    "SessionInputs": "note",
    "build_handout": "handout",
    "build_note": "note",
    "build_note_fhir": "note",
    "chartable_gaps": "outcomes",
    "check_answer": "decision",
    "comparison_text": "outcomes",
    "drawing_text": "procedure",
    "icon_array_text": "outcomes",
    "lead_finding": "findings",
    "pairwise_panels": "findings",
    "summary_of_findings": "findings",
    "outcome_sentences": "outcomes",
    "procedure_steps": "procedure",
    "read_note_fhir": "note",
    "risk_view": "outcomes",
    "screen": "candidacy",
    "screening_sentences": "candidacy",
    "study_table": "outcomes",
    "summarize_outcomes": "outcomes",
    "sure_result": "decision",
    "timeline_text": "outcomes",
    "values_table": "decision",
}


def _version() -> str:
    # importlib.metadata costs ~20 ms on import (its email parser): asked for only when needed
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kypho-aid")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


def __getattr__(name: str) -> object:
    if name == "__version__":
        return _version()
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kypho_aid' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kypho_aid.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "ChartText",
    "ComparisonTable",
    "ContentInfo",
    "DataDirError",
    "DataValidationError",
    "InputError",
    "KyphoAidError",
    "KyphoAidWarning",
    "Option",
    "PatientProfile",
    "Problem",
    "ProfileError",
    "RiskView",
    "SessionInputs",
    "UnknownDatasetError",
    "UnknownOptionError",
    "UnknownTopicError",
    "__version__",
    "bibliography",
    "build_handout",
    "build_note",
    "build_note_fhir",
    "chartable_gaps",
    "check_answer",
    "compare",
    "comparison_text",
    "content_info",
    "data_dir",
    "describe_dataset",
    "drawing_text",
    "icon_array_text",
    "lead_finding",
    "list_datasets",
    "load_dataset",
    "outcome_sentences",
    "pairwise_panels",
    "procedure_steps",
    "read_note_fhir",
    "risk_view",
    "screen",
    "screening_sentences",
    "study_table",
    "summarize_outcomes",
    "summary_of_findings",
    "sure_result",
    "timeline_text",
    "validate",
    "values_table",
    "write_snapshot",
]
