"""HTML comes from autoescaping templates (issue 12): no module writes tags in Python strings,
and whatever a template prints is escaped, never run as a template itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from markupsafe import Markup, escape

from kypho_aid.templating import cited, render, render_macro

PACKAGE = Path(__file__).resolve().parents[1] / "kypho_aid"

#: A tag in a string: ``<p>``, ``</td>``, ``<th scope=...``, ``<img`` at a literal's end (an
#: f-string cut before its next value) or ``<!DOCTYPE``. ``<ComparisonTable: ...>`` is no tag.
TAG = re.compile(r"(?i)<(?:/?[a-z][a-z0-9]*(?:[\s/>]|$)|!doctype)")

#: (module, where) -> why a string there may hold a tag. ``where`` is the function (or the
#: name a module-level value is assigned to) holding the string.
ALLOWED = {
    ("templating", "cited"): "the cite-mark filter of the one environment: it escapes the cell "
    "itself and returns Markup with a span around the mark and <br> between lines",
    ("export", "_markdown_cell"): "a line break in a Markdown table cell (GitHub Markdown has no "
    "other); Markdown output, not an HTML page",
    ("document", "_FORBIDDEN"): "a pattern that looks for <script, <link and <img in the finished "
    "handout, a safety net; it writes no tag",
    ("schema", "load_schema"): "an error message naming the foreign-key syntax with "
    "placeholders (<column>, <table>); plain text, never HTML",
}


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _strings(node: ast.AST, where: str, skip: set[int]) -> list[tuple[str, int, str]]:
    """(where, line, text) of every string constant below ``node`` but those in ``skip``."""
    found = []
    for child in ast.iter_child_nodes(node):
        here = where
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            here = child.name if where == "<module>" else where
        elif where == "<module>" and isinstance(child, ast.Assign | ast.AnnAssign):
            targets = child.targets if isinstance(child, ast.Assign) else [child.target]
            here = next((t.id for t in targets if isinstance(t, ast.Name)), where)
        if (
            isinstance(child, ast.Constant)
            and isinstance(child.value, str)
            and id(child) not in skip
        ):
            found.append((here, child.lineno, child.value))
        found += _strings(child, here, skip)
    return found


def tags_in_strings(source: str) -> list[tuple[str, int, str]]:
    """(where, line, tag) for each tag in a string constant (f-string parts too), docstrings aside."""
    tree = ast.parse(source)
    return [
        (where, line, match.group(0))
        for where, line, text in _strings(tree, "<module>", _docstrings(tree))
        for match in TAG.finditer(text)
    ]


def _found() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for where, line, tag in tags_in_strings(path.read_text(encoding="utf-8")):
            found.setdefault((path.stem, where), []).append(f"line {line}: {tag!r}")
    return found


def test_no_module_builds_html_tags_in_python_strings() -> None:
    outside = {key: tags for key, tags in _found().items() if key not in ALLOWED}
    assert outside == {}, "write HTML in kypho_aid/templates/, not in Python strings"


@pytest.mark.parametrize("key", sorted(ALLOWED))
def test_each_allowed_tag_string_is_still_there(key: tuple[str, str]) -> None:
    assert key in _found(), f"drop {key} from ALLOWED"


@pytest.mark.parametrize(
    "source",
    [
        'x = f"<td>{value}</td>"',
        "def f(v):\n    return '<p class=\"a\">' + v + '</p>'",
        'def f(v):\n    return f\'<th scope="col" class="opt-{v}">\'',
        'x = "<!DOCTYPE html>"',
        "def f(v):\n    return f'<img{v}>'",
    ],
)
def test_the_checker_sees_tags_in_strings_and_f_strings(source: str) -> None:
    assert tags_in_strings(source)


def test_the_checker_skips_docstrings_and_non_tags() -> None:
    source = (
        '"""Writes a ``<p>``."""\n'
        "def f():\n"
        '    """An ``<img>`` with alt text."""\n'
        "    return '<ComparisonTable: 3 rows>', 'a < b', '1<2'\n"
    )
    assert tags_in_strings(source) == []


# --- escaping -------------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> \"double\" 'single' & {{ 7*7 }} {% if 1 %}x{% endif %}"


def _assert_escaped(out: str) -> None:
    assert "<script" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&#34;double&#34;" in out and "&#39;single&#39;" in out and " &amp; " in out
    assert "{{ 7*7 }}" in out and "49" not in out  # printed as text, not evaluated
    assert "{% if 1 %}x{% endif %}" in out


def test_a_hostile_value_comes_out_of_render_escaped_and_not_evaluated() -> None:
    out = render("about.html.j2", parts=[(HOSTILE, HOSTILE)])
    _assert_escaped(out)
    assert out.count(str(escape(HOSTILE))) == 2


def test_a_hostile_value_in_an_attribute_cannot_leave_it() -> None:
    out = render_macro("widgets.html.j2", "step_drawing", src="x.png", alt=HOSTILE, width=10)
    _assert_escaped(out)
    assert re.fullmatch(r'<img src="x\.png" alt="[^"<>]*" style="[^"<>]*">', out), out


def test_a_hostile_value_in_a_widget_piece_is_escaped() -> None:
    _assert_escaped(render_macro("widgets.html.j2", "paragraph", words=HOSTILE))
    _assert_escaped(render_macro("widgets.html.j2", "heading", level=2, title=HOSTILE))


def test_the_cite_filter_escapes_the_cell_and_the_mark() -> None:
    out = cited(f"{HOSTILE} [<b>1</b>]")
    assert isinstance(out, Markup)
    _assert_escaped(out)
    assert '<span class="kypho-aid-cite">[&lt;b&gt;1&lt;/b&gt;]</span>' in out


def test_only_markup_is_printed_unescaped() -> None:
    assert render_macro("widgets.html.j2", "text", words=Markup("<b>kept</b>")) == "<b>kept</b>"
    assert render_macro("widgets.html.j2", "text", words="<b>kept</b>") == "&lt;b&gt;kept&lt;/b&gt;"


def test_an_unknown_name_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(UndefinedError):
        render("about.html.j2")
    with pytest.raises(TypeError):
        render_macro("widgets.html.j2", "paragraph", wrods="typo")
    with pytest.raises(AttributeError):
        render_macro("widgets.html.j2", "no_such_piece")


def _words_outside_markup(template: str) -> list[str]:
    """The words a template would print whatever its values: what is left once comments,
    statements, expressions, tags and character references are taken out."""
    for pattern in (r"\{#.*?#\}", r"\{%.*?%\}", r"\{\{.*?\}\}", r"<[^>]*>", r"&#?\w+;"):
        template = re.sub(pattern, " ", template, flags=re.S)
    return re.findall(r"[A-Za-z]{2,}", template)


def test_templates_print_no_words_of_their_own() -> None:
    # every heading, label and sentence comes from data/ (ui_text.csv), where the readability
    # gate scores it and an editor can change it without touching code
    templates = sorted((PACKAGE / "templates").glob("*.j2"))
    assert len(templates) >= 10
    found = {t.name: _words_outside_markup(t.read_text(encoding="utf-8")) for t in templates}
    assert {name: words for name, words in found.items() if words} == {}


def test_the_word_finder_sees_text_between_tags_and_skips_markup() -> None:
    template = '{# a comment #}<h2 class="x">The options</h2>{{ value }}{% if a %}&amp;{% endif %}'
    assert _words_outside_markup(template) == ["The", "options"]
    assert _words_outside_markup('<p title="{{ t }}">{{ text }}</p>') == []
