"""Errors and warnings that belong to kypho-aid's domain.

Every error the library raises on purpose derives from :class:`KyphoAidError`, so a caller
(the command line, a notebook, the app) can catch one class and show its message instead of
a traceback. Messages say what was wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kypho_aid.model import Problem


class KyphoAidError(Exception):
    """Base class of every error kypho-aid raises on purpose."""


class DataDirError(KyphoAidError):
    """Raised when the knowledge-base folder cannot be found."""


class UnknownDatasetError(KyphoAidError, KeyError):
    """Raised when a dataset name is not in the registry (see ``list_datasets()``)."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class UnknownOptionError(KyphoAidError, ValueError):
    """Raised when an option id is not one of the options in ``options.csv``."""


class UnknownTopicError(KyphoAidError, ValueError):
    """Raised when a topic or attribute id is not in ``attributes.csv``."""


class UnknownTextError(KyphoAidError, LookupError):
    """Raised when a text id is not in ``ui_text.csv``."""


class TextFillError(KyphoAidError, ValueError):
    """Raised when a text's fills are not given, or a value is given that it does not use."""


class DataValidationError(KyphoAidError):
    """Raised when a data or schema file breaks its schema.

    Attributes
    ----------
    problems : tuple of Problem
        Each problem names the file, row and column, as ``file:row:column: message``.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems]
        head = f"{len(lines)} problem{'s' if len(lines) != 1 else ''} in the knowledge base:"
        super().__init__("\n".join([head, *lines]))


class KyphoAidWarning(UserWarning):
    """Base class of kypho-aid's warnings."""
