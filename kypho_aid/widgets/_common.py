"""What every widget shares: ipywidgets itself, the HTML pieces and the accessible-label class.

The only place the package imports ipywidgets (the widgets package is the one layer allowed to).
"""

from __future__ import annotations

import base64
from typing import Any

from markupsafe import Markup

# ipywidgets 8 ships neither type hints nor a py.typed marker, and no stub package exists, so
# ``w`` is Any to mypy: the import and each ``class ...(w.VBox)`` (subclassing Any) carry a
# narrow ignore. Everything else here is checked strictly.
try:
    import ipywidgets as w  # type: ignore[import-untyped]
except ImportError as err:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "kypho_aid.widgets needs ipywidgets: pip install 'kypho-aid[widgets]'"
    ) from err

from kypho_aid.templating import render_macro

__all__ = ["LABELLED", "w"]

#: Class of a control whose question is written beside it: its own label (the control's
#: accessible name) is kept for screen readers only (see kypho_aid.style.APP_CSS).
LABELLED = "kypho-labelled"


def _html(piece: str, /, **arguments: Any) -> str:
    """One piece of HTML from ``templates/widgets.html.j2``: its macro ``piece``, text escaped."""
    return render_macro("widgets.html.j2", piece, **arguments)


def _trusted(value: str) -> Markup:
    """Mark a value as safe to write into an attribute unescaped: the one place widgets do.

    Only for values made from the package's own constants (:mod:`kypho_aid.style`) and base64
    data URIs (letters, digits, ``+/=`` and the fixed ``data:...;base64,`` prefix), which hold
    nothing a person typed and nothing escaping would change.
    """
    return Markup(value)  # trusted: see the docstring (constants and base64 only)


def _data_uri(media_type: str, text: str) -> str:
    """``text`` as a data: address (UTF-8, base64) the browser saves, prints or opens."""
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"data:{media_type};charset=utf-8;base64,{encoded}"
