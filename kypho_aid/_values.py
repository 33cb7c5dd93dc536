"""Small helpers on single values, each idea written once: is a value there, how a number
is printed, how a value is shown in a message, which names a text fills in braces, which
of the known ids were asked for, and how an old name says what replaced it.

This module imports nothing of the package, so that every other module may use it.
"""

from __future__ import annotations

import math
import string
import warnings
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

__all__ = [
    "choose_ids",
    "deprecated_names",
    "display_value",
    "fill_names",
    "format_number",
    "present",
    "shorten",
    "warn_deprecated",
]


def present(value: object) -> bool:
    """Whether a cell holds a value: not None, ``pd.NA`` or a float NaN.

    Empty text is present (a column's own rules say whether it may be empty).
    """
    if value is None or value is pd.NA:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def format_number(
    value: float,
    *,
    decimals: int = 2,
    trim: bool = True,
    thousands: bool = True,
    minus: str = "−",
    missing: str | None = None,
) -> str:
    """A figure as people write it; a figure that rounds to zero is never signed.

    Parameters
    ----------
    value : float
        The figure.
    decimals : int
        Decimals at the most.
    trim : bool
        Leave out trailing zeros (and a trailing decimal point): ``2.50`` becomes ``2.5``.
    thousands : bool
        Group thousands with commas: ``1,200``.
    minus : str
        The sign of a negative figure: a true minus sign (``−``) for readers, ``-`` where the
        text must read back as a Python number.
    missing : str, optional
        Shown for NaN; by default NaN prints as ``nan``.

    Examples
    --------
    >>> format_number(-1200.5)
    '−1,200.5'
    >>> format_number(-0.001, thousands=False, minus="-")
    '0'
    >>> format_number(12.0, decimals=1, trim=False)
    '12.0'
    """
    if missing is not None and math.isnan(value):
        return missing
    text = f"{abs(value):{',' if thousands else ''}.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    zero = text.strip("0.,") == ""
    return minus + text if value < 0 and not zero else text


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when cut."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def display_value(value: object, limit: int = 100, *, one_line: bool = False) -> str:
    """Show ``value`` in a message as ``repr`` does, cut to ``limit`` characters; never raises.

    A hostile value must not turn a clear error into another one: ``repr`` of an int with
    more than 4300 digits raises ValueError, and a 50,000-character text would drown the
    message. With ``one_line``, runs of white space (line breaks and tabs from hostile text
    too) become one space.
    """
    try:
        text = repr(value)
    except Exception:  # an int too long to print, or a broken __repr__
        text = f"<{type(value).__name__}>"
    if one_line:
        text = " ".join(text.split())
    return shorten(text, limit)


def choose_ids(
    value: str | Iterable[str] | None,
    known: list[str],
    what: str,
    error: type[Exception],
) -> list[str]:
    """The known ids asked for, in the known order; all of them when ``value`` is None.

    Parameters
    ----------
    value : str or iterable of str, optional
        One id or several.
    known : list of str
        Every id there is, in its canonical order.
    what : str
        What the ids name, for the message: ``"option(s)"``, ``"outcome"``.
    error : type of Exception
        Raised, naming what was not known and listing ``known``, when an id is unknown or
        not text, or when none is given.
    """
    if value is None:
        return known
    chosen: list[object] = (
        [value] if isinstance(value, str) or not isinstance(value, Iterable) else list(value)
    )
    unknown = [v for v in chosen if not isinstance(v, str) or v not in known]
    if unknown or not chosen:
        raise error(
            f"unknown {what} {display_value(unknown or chosen)}; use any of: {', '.join(known)}"
        )
    return [k for k in known if k in chosen]


def fill_names(text: str) -> tuple[str, ...]:
    """The names in braces in ``text``, in order of first use (``"{a} and {b}"`` -> a, b).

    Raises
    ------
    ValueError
        If a brace is not closed or opened (``"{a"``), or a fill has a format spec.
    """
    names: dict[str, None] = {}
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"{{{name}}} is not a plain name in braces")
        names[name] = None
    return tuple(names)


def warn_deprecated(old: str, new: str) -> None:
    """Warn that ``old`` is deprecated and ``new`` replaces it, at the line that asked for
    ``old``: the caller of the function (a property, a module ``__getattr__``) that calls this."""
    warnings.warn(f"{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3)


def deprecated_names(
    module: str, old: Mapping[str, tuple[str, Callable[[], object]]]
) -> Callable[[str], object]:
    """A module ``__getattr__`` for names that moved: each old name answers with what its
    reader returns and a DeprecationWarning naming what replaced it.

    ``old`` maps each old name to (its replacement in words, a function that reads its value).

    Examples
    --------
    >>> import warnings
    >>> getter = deprecated_names("kypho_aid.demo", {"OLD": ("new(), which reads data/", list)})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     value = getter("OLD")
    >>> value, str(caught[0].message)
    ([], 'demo.OLD is deprecated; use new(), which reads data/')
    """
    short = module.removeprefix("kypho_aid.")

    def answer(name: str) -> object:
        if name not in old:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        replacement, read = old[name]
        warn_deprecated(f"{short}.{name}", replacement)
        return read()

    return answer
