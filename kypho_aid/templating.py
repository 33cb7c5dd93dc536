"""HTML from templates: one Jinja2 environment, autoescaping always on, for every HTML the aid writes.

Templates live in ``kypho_aid/templates/``. Whatever a template prints is escaped unless it is
:class:`markupsafe.Markup`; the filters below return Markup only for markup they build from
escaped text. An unknown name in a template is an error, never an empty string.

Plain text (the note for the medical record) has templates of its own, named ``*.txt.j2`` and
rendered by :func:`render_text` in a second environment that does not escape: its output is
pasted as text, where ``&amp;`` would be wrong. Each environment refuses the other's templates.
"""

from __future__ import annotations

import textwrap
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

__all__ = ["TEXT_WIDTH", "cited", "one_line", "render", "render_macro", "render_text", "wrapped"]


def one_line(text: object) -> str:
    """``text`` with every run of white space (line breaks from a data file too) as one space."""
    return " ".join(str(text).split())


#: The longest line a plain-text template writes (many record systems show 80 columns).
TEXT_WIDTH = 80
#: The ending of plain-text templates, rendered without escaping by :func:`render_text`.
TEXT_SUFFIX = ".txt.j2"


def wrapped(text: object, first: str = "", rest: str | None = None) -> str:
    """``text`` wrapped at :data:`TEXT_WIDTH` columns, each of its own lines on its own.

    ``first`` starts the first line (a bullet, say) and ``rest`` every other one (``first``'s
    width of spaces unless given). A word longer than a line is broken.
    """
    rest = " " * len(first) if rest is None else rest
    lines = []
    for number, line in enumerate(str(text).split("\n")):
        lead = first if number == 0 else rest
        lines += textwrap.wrap(line, TEXT_WIDTH, initial_indent=lead, subsequent_indent=rest) or [
            lead.rstrip()
        ]
    return "\n".join(lines)


def cited(text: object) -> Markup:
    """Escape a cell; set each line's trailing source mark ``[1, 2]`` apart, to be styled."""
    out = []
    for line in str(text).split("\n"):
        body, bracket, rest = line.rpartition(" [")
        if bracket and rest.endswith("]"):
            out.append(Markup('{} <span class="kypho-aid-cite">[{}</span>').format(body, rest))
        else:
            out.append(escape(line))
    return Markup("<br>").join(out)


_ENVIRONMENT = Environment(
    loader=PackageLoader("kypho_aid", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENVIRONMENT.filters["cited"] = cited
_ENVIRONMENT.filters["one_line"] = one_line

# Plain text only: nothing is escaped, so it may never load an HTML template (the autoescape
# function would escape one anyway; render_text refuses it first).
_TEXT_ENVIRONMENT = Environment(
    loader=PackageLoader("kypho_aid", "templates"),
    autoescape=lambda name: name is None or not name.endswith(TEXT_SUFFIX),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_TEXT_ENVIRONMENT.filters["wrapped"] = wrapped


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context``, every value escaped on output."""
    if template.endswith(TEXT_SUFFIX):
        raise ValueError(f"{template} is plain text; render it with render_text")
    return _ENVIRONMENT.get_template(template).render(**context)


def render_macro(template: str, macro: str, /, **arguments: Any) -> str:
    """Call the macro ``macro`` of ``templates/<template>`` with ``arguments``, escaped as in
    :func:`render`; for the small pieces of HTML a widget sets, kept together in one file.

    An unknown macro is an error (AttributeError), as is an argument the macro does not take
    (TypeError).
    """
    return str(getattr(_ENVIRONMENT.get_template(template).module, macro)(**arguments))


def render_text(template: str, **context: Any) -> str:
    """Render the plain-text template ``templates/<template>`` (``*.txt.j2``) with ``context``.

    Nothing is escaped: the caller gives plain text with control characters already removed
    (see :func:`kypho_aid.handout.clean_notes`). Values are printed, never run as templates.

    Raises
    ------
    ValueError
        If ``template`` is not a ``.txt.j2`` template (HTML goes through :func:`render`).
    """
    if not template.endswith(TEXT_SUFFIX):
        raise ValueError(f"{template} is not plain text ({TEXT_SUFFIX}); render it with render")
    return _TEXT_ENVIRONMENT.get_template(template).render(**context)
