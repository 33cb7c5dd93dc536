"""HTML from templates: one Jinja2 environment, autoescaping always on, for every HTML the aid writes.

Templates live in ``kypho_aid/templates/``. Whatever a template prints is escaped unless it is
:class:`markupsafe.Markup`; the filters below return Markup only for markup they build from
escaped text. An unknown name in a template is an error, never an empty string.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

__all__ = ["cited", "one_line", "render", "render_macro"]


def one_line(text: object) -> str:
    """``text`` with every run of white space (line breaks from a data file too) as one space."""
    return " ".join(str(text).split())


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


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context``, every value escaped on output."""
    return _ENVIRONMENT.get_template(template).render(**context)


def render_macro(template: str, macro: str, /, **arguments: Any) -> str:
    """Call the macro ``macro`` of ``templates/<template>`` with ``arguments``, escaped as in
    :func:`render`; for the small pieces of HTML a widget sets, kept together in one file.

    An unknown macro is an error (AttributeError), as is an argument the macro does not take
    (TypeError).
    """
    return str(getattr(_ENVIRONMENT.get_template(template).module, macro)(**arguments))
