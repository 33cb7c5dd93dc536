"""`make site`: every notebook as code-free, offline HTML with working navigation.

Runs the real build (tools/build_site.py) into a scratch folder and checks every page: it
exists, its links resolve, it references and (in Debian's chromium) loads nothing but local
files, shows no code, and says where a live widget would be. The browser part is skipped
where chromium is absent, except in CI."""

from __future__ import annotations

import html as html_module
import json
import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, require_chromium, run_tool

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

_ATTRIBUTE = re.compile(r"""\b(?:src|href|action|poster|data)\s*=\s*["']?([^"'\s>]+)""", re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""", re.I)
_IMPORT = re.compile(r"""@import\s+["']([^"']+)""", re.I)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_JS_URL = re.compile(r"""["'`]((?:[a-z][a-z0-9+.-]*:)?//[^"'`]+)""", re.I)  # any URL in a script


def external_references(html: str) -> list[str]:
    """Every src/href/url()/@import, or URL in a script, that is not a local path or data:."""
    scripts = "\n".join(_SCRIPT.findall(html))
    found = [m.group(1) for p in (_ATTRIBUTE, _CSS_URL, _IMPORT) for m in p.finditer(html)]
    found += [m.group(1) for m in _JS_URL.finditer(scripts)]
    return [
        ref
        for ref in found
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", ref.strip(), re.I)
        and not ref.strip().lower().startswith("data:")
    ]


def _links(html: str) -> list[str]:
    return [html_module.unescape(m) for m in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', html)]


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return found.group(1) if found else ""


def _nav(html: str) -> list[dict[str, str]]:
    """The links of each navigation bar of a page: {rel: href}."""
    bars = re.findall(r'<nav\b[^>]*"kypho-site-nav[^>]*>(.*?)</nav>', html, flags=re.S)
    tags = [re.findall(r"<a\b[^>]*>", bar) for bar in bars]
    return [{_attribute(a, "rel"): _attribute(a, "href") for a in links} for links in tags]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    run_tool("build_site.py", "--out", str(out))
    return out


def test_every_notebook_has_a_page_and_the_index_lists_them_in_order(site: Path) -> None:
    pages = [f"{p.stem}.html" for p in NOTEBOOKS]
    assert sorted(p.name for p in site.glob("*.html")) == sorted(["index.html", *pages])
    assert _links((site / "index.html").read_text(encoding="utf-8")) == pages


def test_every_page_links_home_previous_and_next(site: Path) -> None:
    pages = [f"{p.stem}.html" for p in NOTEBOOKS]
    for number, name in enumerate(pages):
        bars = _nav((site / name).read_text(encoding="utf-8"))
        expected = {"home": "index.html"}
        if number > 0:
            expected["prev"] = pages[number - 1]
        if number < len(pages) - 1:
            expected["next"] = pages[number + 1]
        assert bars == [expected, expected], name  # one bar at the top, one at the bottom


def test_every_link_resolves(site: Path) -> None:
    for page in sorted(site.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        anchors = set(re.findall(r'\bid="([^"]+)"', text))
        for link in _links(text):
            assert ".ipynb" not in link, (page.name, link)
            target, _, fragment = link.partition("#")
            if target:
                assert (site / target).is_file(), (page.name, link)
            else:
                assert fragment in anchors, (page.name, link)


def test_pages_reference_no_external_url_and_embed_their_images(site: Path) -> None:
    for page in sorted(site.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert external_references(text) == [], page.name
        assert all(
            src.startswith("data:image/") for src in re.findall(r'<img[^>]*src="([^"]*)"', text)
        )
        assert "<script" not in text, page.name  # no require.js, MathJax or widget manager


def test_no_code_is_shown(site: Path) -> None:
    for path in NOTEBOOKS:
        text = html_module.unescape((site / f"{path.stem}.html").read_text(encoding="utf-8"))
        assert not re.search(r'class="[^"]*\b(jp-InputArea-editor|jp-InputPrompt)\b', text)
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        imports = next("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert "import kypho_aid" in imports and "import kypho_aid" not in text, path.name


def test_live_widgets_are_replaced_by_a_note(site: Path) -> None:
    with_widgets = 0
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        widgets = sum(WIDGET_VIEW in o.get("data", {}) for c in cells for o in c.get("outputs", []))
        text = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        assert text.count('class="kypho-widget-note"') == widgets, path.name
        assert "model_id" not in text and "children=(" not in text, path.name  # no widget repr
        with_widgets += bool(widgets)
    assert with_widgets >= 2  # the risk explorer and the session app


@pytest.fixture(scope="module")
def browsed(site: Path) -> dict[str, Any]:
    """Load every page in chromium; record every request, page error and code area."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    seen: dict[str, Any] = {"requests": requests, "errors": [], "code": {}}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.on("pageerror", lambda error: seen["errors"].append(str(error)))
        for path in sorted(site.glob("*.html")):
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_load_state("networkidle")
            seen["code"][path.name] = page.locator(".jp-CodeCell .jp-InputArea").count()
        browser.close()
    return seen


def test_pages_load_only_local_files_in_chromium(site: Path, browsed: dict[str, Any]) -> None:
    pages = {p.resolve().as_uri() for p in site.glob("*.html")}
    assert pages <= set(browsed["requests"])
    remote = [url for url in browsed["requests"] if not url.startswith(("file://", "data:"))]
    assert remote == []
    assert browsed["errors"] == []
    assert set(browsed["code"].values()) == {0}
