"""Exercises for students, each with a check that says what is right and what to look at.

Every exercise is grounded in the summary of findings
(:func:`kypho_aid.findings.summary_of_findings`): one row per comparison of two arms, from
one study or one pooled analysis, at one time point, on one measure. Exercises compare like
with like: a difference is taken between the two arms *of one finding*, never between
figures from different rows.

Every exercise comes as a pair: a ``*_question`` function that returns the :class:`Question`
a student reads, and a ``check_*`` function that marks an answer and returns
:class:`Feedback`. The expected answers are worked out from the knowledge base each time, so
they follow the data; nothing here types in a figure. A check never raises on a bad answer
(``None``, text, NaN, the wrong type): it says what kind of answer it expected instead. A
bad *setting* (a ``finding_id`` that is not in the table, a finding of the wrong kind)
raises :class:`~kypho_aid.UnknownTopicError` naming the argument.

Exercises
---------
- :func:`check_difference`: the two arms of one finding, as a difference out of 100.
- :func:`check_source`: the source and the place in it behind one finding or evidence row.
- :func:`check_comparison`: a side-by-side comparison of chosen topics, with every option.
- :func:`check_sham`: why a trial against a sham (fake) procedure matters, with the
  sham-controlled findings.
- :func:`check_certainty`: how sure we can be about one finding (its GRADE certainty) and
  why it was rated down.

Examples
--------
>>> from kypho_aid import exercises
>>> print(exercises.check_sham(None))  # doctest: +ELLIPSIS
Not yet: no answer yet. ...
"""

from __future__ import annotations

from kypho_aid._values import deprecated_names
from kypho_aid.exercises._common import DIFFERENCE_TOLERANCE, Feedback, Question, lead_risk_finding
from kypho_aid.exercises.certainty import certainty_question, check_certainty
from kypho_aid.exercises.comparison import check_comparison, comparison_question
from kypho_aid.exercises.difference import check_difference, difference_question
from kypho_aid.exercises.sham import check_sham, sham_question
from kypho_aid.exercises.source import check_source, source_question
from kypho_aid.texts import sham_answer, sham_choices

__all__ = [
    "DIFFERENCE_TOLERANCE",
    "Feedback",
    "Question",
    "certainty_question",
    "check_certainty",
    "check_comparison",
    "check_difference",
    "check_sham",
    "check_source",
    "comparison_question",
    "difference_question",
    "lead_risk_finding",
    "sham_answer",
    "sham_choices",
    "sham_question",
    "source_question",
]

# The sham exercise's choices live in data/sham_choices.csv: see
# :func:`kypho_aid.texts.sham_choices` and :func:`kypho_aid.texts.sham_answer`. The old
# constants still work with a DeprecationWarning.
__getattr__ = deprecated_names(
    __name__,
    {
        "SHAM_CHOICES": ("sham_choices(), which reads data/sham_choices.csv", sham_choices),
        "SHAM_ANSWER": ("sham_answer(), which reads data/sham_choices.csv", sham_answer),
    },
)
