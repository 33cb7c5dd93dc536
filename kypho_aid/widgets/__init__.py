"""Interactive views for notebooks and the app: thin ipywidgets shells over pure functions.

The only package that imports ipywidgets (in ``_common``): ``explorers`` (tiles, the risk
explorer, the procedure step by step), ``deliberation`` (values, SURE, knowledge, candidacy)
and ``session`` (the seven-step app). A widget builds its controls, wires them with
``observe`` and on every change calls one pure function (here :func:`kypho_aid.outcomes.risk_view`)
and one drawing function; it computes nothing itself and never calls ``display``.
"""

from __future__ import annotations

from kypho_aid.texts import session_steps
from kypho_aid.widgets._common import LABELLED
from kypho_aid.widgets.deliberation import CandidacyCheck, KnowledgeCheck, SureCheck, ValuesRater
from kypho_aid.widgets.explorers import OptionChecks, OutcomeTiles, RiskExplorer, StepExplorer
from kypho_aid.widgets.session import SessionApp

__all__ = [
    "LABELLED",
    "CandidacyCheck",
    "KnowledgeCheck",
    "OptionChecks",
    "OutcomeTiles",
    "RiskExplorer",
    "SessionApp",
    "StepExplorer",
    "SureCheck",
    "ValuesRater",
]


def __getattr__(name: str) -> tuple[str, ...]:
    # SESSION_STEPS: the steps of a shared-decision session, in order, read from
    # data/session_steps.csv when first asked for (see kypho_aid.texts.session_steps).
    if name != "SESSION_STEPS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return session_steps()
