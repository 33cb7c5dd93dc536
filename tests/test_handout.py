"""The summary handout: sections, no external references, escaping, files, CLI and PDF."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from markupsafe import escape

from kypho_aid import handout, style
from kypho_aid.compare import short_citation
from kypho_aid.datasets import content_info, load_dataset
from kypho_aid.decision import InputError, sure_result
from kypho_aid.exceptions import KyphoAidError
from kypho_aid.findings import lead_finding, summary_of_findings
from kypho_aid.handout import (
    MAX_NOTES_CHARS,
    build_handout,
    count_pdf_pages,
    find_chromium,
    handout_pdf,
    write_handout,
)
from kypho_aid.texts import ui_text

from .conftest import ROOT, snapshot

SECTIONS = [
    "options",
    "values",
    "leaning",
    "sure",
    "screening",
    "questions",
    "warning-signs",
    "notes",
    "sources",
]
CONSIDERATIONS = load_dataset("considerations").sort_values("order")["consideration_id"].tolist()
ALL_RATINGS = {c: i % 5 for i, c in enumerate(CONSIDERATIONS)}
SURE = {"S": True, "U": True, "R": False, "E": True}
LONG_NOTES = (
    "I live alone, so going home the same day matters to me.\n"
    "My pain started three weeks ago after lifting a box.\n\n"
    + "I want to ask about my blood thinner and who would do the procedure. "
    * 40
)
SCREENING = pd.DataFrame(
    {
        "option_id": ["kyphoplasty", "vertebroplasty", "non_surgical"],
        "status": ["check_with_doctor", "check_with_doctor", "possible"],
        "reasons": ["You take a blood thinner; Your break is older than a year", "", None],
    }
)


def full_inputs(**changes: object) -> dict[str, object]:
    inputs: dict[str, object] = {
        "ratings": ALL_RATINGS,
        "leaning": "kyphoplasty",
        "sure_answers": SURE,
        "notes": LONG_NOTES,
    }
    inputs.update(changes)
    return inputs


@pytest.fixture(scope="module")
def full() -> str:
    return build_handout(**full_inputs(screening=SCREENING))  # type: ignore[arg-type]


VOID = frozenset({"br", "col", "meta", "img", "input", "hr", "link", "wbr", "source"})


class _Tags(HTMLParser):
    """Collects start tags, attributes and the text inside one element id."""

    def __init__(self, within: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.within = within
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if self.depth:
            if tag == "br":
                self.text.append("\n")
            if tag not in VOID:
                self.depth += 1
        elif self.within is not None and ("id", self.within) in attrs:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        # white space alone is the template's layout between tags, not text on the page
        if self.depth and data.strip():
            self.text.append(data)


def parse(document: str, within: str | None = None) -> _Tags:
    parser = _Tags(within)
    parser.feed(document)
    parser.close()
    return parser


def section_text(document: str, section: str) -> str:
    return "".join(parse(document, section).text)


# --- content --------------------------------------------------------------------------


def test_the_page_is_one_self_contained_html_document(full: str) -> None:
    assert full.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in full
    assert full.count("<style>") == 1 and style.HANDOUT_CSS in full
    title = ui_text("handout.title")
    assert f"<title>{title}</title>" in full and f"<h1>{title}</h1>" in full
    full.encode("utf-8")  # all of it is valid UTF-8


def test_every_section_is_there_in_order(full: str) -> None:
    positions = [full.index(f'<section id="{name}"') for name in SECTIONS]
    assert positions == sorted(positions)
    assert full.index("<header>") < positions[0] < positions[-1] < full.index("<footer>")


def test_disclaimer_version_review_date_and_footer(full: str) -> None:
    info = content_info()
    header = full[full.index("<header>") : full.index("</header>")]
    assert info.disclaimer in header and full.count(info.disclaimer) == 1  # once
    footer = full[full.index("<footer>") :]
    assert f"Version {info.version}" in footer
    assert info.reviewed_on.isoformat() in footer and info.next_review_due.isoformat() in footer
    assert "ask your care team" in footer


def test_all_three_options_side_by_side_with_first_facts(full: str) -> None:
    head = full[full.index('<table class="options">') : full.index("</thead>")]
    for label in load_dataset("options")["label"]:
        assert label in head
    comparison = load_dataset("comparison")
    first = comparison.sort_values("fact_id").drop_duplicates(["attribute_id", "option_id"])
    for row in first[first["attribute_id"].isin(handout.handout_items("attribute"))].itertuples():
        assert escape(str(row.value)) in full, row.fact_id
    assert "This is called minimally invasive" not in full  # a second fact: not shown


def test_findings_section_tells_each_lead_finding_whole_with_its_comparison(full: str) -> None:
    section = section_text(full, "findings")
    options = section_text(full, "options")
    for outcome in handout.handout_items("outcome"):
        finding = lead_finding(outcome)
        assert finding is not None
        assert str(finding["comparison_label"]) in section, outcome
        assert str(finding["brief"]) in section, outcome
        # a winner named, except where there is none to name: one group, or counts too small
        # for a rate (new breaks against a sham, SF021)
        assert "did better" in finding["brief"] or finding["kind"] in {"single_group", "counts"}
    # the table of options holds no numbers of outcomes: they live in whole findings only
    assert not re.search(r"\d+ out of \d+", options)


def test_findings_section_leads_with_randomised_evidence_for_new_breaks(full: str) -> None:
    section = section_text(full, "findings")
    pooled = summary_of_findings("new_fracture")
    pooled = pooled[pooled["design"] == "pooled_mixed"]
    assert len(pooled)
    for row in pooled.itertuples():
        assert str(row.brief) not in section


def test_source_marks_point_to_the_numbered_sources(full: str) -> None:
    listed = re.findall(r'<li value="(\d+)"><span class="n">\[(\d+)\]</span>', full)
    assert listed and [int(a) for a, _ in listed] == list(range(1, len(listed) + 1))
    marks = re.findall(r'<span class="cite">\[([^\]]+)\]</span>', full)
    cited = set()
    for mark in marks:
        for part in mark.split(", "):
            low, _, high = part.partition("–")
            cited.update(range(int(low), int(high or low) + 1))
    assert cited == set(range(1, len(listed) + 1))
    sources = section_text(full, "sources")
    cited = load_dataset("sources").set_index("source_id")
    for outcome in handout.handout_items("outcome"):
        finding = lead_finding(outcome)
        assert finding is not None
        record = cited.loc[str(finding["source_ids"]).split(";")[0]]
        assert f"{str(record['authors']).split()[0]} et al., {record['year']}" in sources
    # short titles a reader can look for: never a file name, doi or volume and pages
    assert ".txt" not in sources and "doi" not in sources and "Seed page" not in sources
    seed_pages = [r for r in load_dataset("sources").to_dict("records") if r["kind"] == "seed_page"]
    shown = [r for r in seed_pages if short_citation(r) + "." in sources]
    assert shown, "a cited patient page is listed by its title and kind of site"
    assert all(str(r["file"]) not in sources for r in seed_pages)


@pytest.mark.parametrize("inputs", ["none", "full"])
def test_no_external_url_or_resource_anywhere(inputs: str, full: str) -> None:
    document = build_handout() if inputs == "none" else full
    lowered = document.lower()
    for needle in ("http://", "https://", "//", "www.", "<script", "<link", "<img", "<iframe"):
        assert needle not in lowered, needle
    for needle in ("@import", "url(", "src=", "href=", "<object", "<embed"):
        assert needle not in lowered, needle
    assert set(parse(document).tags) <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
        "main", "section", "table", "colgroup", "col", "caption", "thead", "tbody", "tr",
        "th", "td", "span", "strong", "ul", "ol", "li", "div", "br", "footer", "button",
    }  # fmt: skip


def test_what_matters_lists_rated_considerations_only() -> None:
    text = section_text(build_handout(ratings={"avoid_new_break": 4, "cost": 0}), "values")
    assert "Matters a great deal: Avoiding another break." in text
    assert "Does not matter: Cost." in text
    assert "Quick pain relief" not in text and f"{len(CONSIDERATIONS) - 2} not rated" in text
    assert "No ratings were given." in section_text(build_handout(), "values")
    assert "No ratings were given." in section_text(build_handout(ratings={}), "values")


def test_every_rating_is_shown_in_the_full_example(full: str) -> None:
    text = section_text(full, "values")
    for label in load_dataset("considerations")["label"]:
        assert label in text


@pytest.mark.parametrize(
    ("leaning", "expected"),
    [
        ("kyphoplasty", "You are leaning towards: Balloon kyphoplasty."),
        ("non_surgical", "You are leaning towards: Non-surgical care."),
        ("unsure", "You are not sure yet."),
        (None, "You did not say which way you lean."),
    ],
)
def test_leaning_is_reported_and_never_recommends(leaning: str | None, expected: str) -> None:
    document = build_handout(leaning=leaning)
    text = section_text(document, "leaning")
    assert expected in text
    # the page says once, at the top, that the aid does not choose: the disclaimer
    assert document.count(html.escape(content_info().disclaimer, quote=True)) == 1
    assert not re.search(r"(?i)recommend|should|best|advis", text)
    assert not re.search(r"(?i)recommend|you should|best option", document)


def test_sure_check_score_and_message() -> None:
    text = section_text(build_handout(sure_answers=SURE), "sure")
    assert "The SURE check: 3 out of 4." in text and sure_result(SURE).message in text
    assert "You did not do the SURE check." in section_text(build_handout(), "sure")
    partial = section_text(build_handout(sure_answers={"S": True}), "sure")
    assert "1 of 4 questions answered so far." in partial


def test_notes_keep_line_breaks() -> None:
    document = build_handout(notes="first line\nsecond line\r\nthird line")
    assert "first line<br>second line<br>third line" in document
    assert "first line\nsecond line\nthird line" in section_text(document, "notes")


def test_empty_notes_point_to_the_back_of_the_page() -> None:
    text = section_text(build_handout(), "notes")
    assert ui_text("handout.notes_hint") in text
    assert "notes-remark" not in build_handout()


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "</div></section><script>alert(1)</script>",
        "&lt;already escaped&gt; & \"quotes\" 'single'",
    ],
)
def test_hostile_notes_are_shown_as_text_never_as_markup(hostile: str) -> None:
    document = build_handout(notes=f"Before {hostile} after")
    parsed = parse(document, "notes")
    assert "script" not in parsed.tags and "img" not in parsed.tags
    # the one handler on the page is the Print button's
    assert [a for a in parsed.attrs if a[0].startswith("on")] == [("onclick", "window.print()")]
    assert f"Before {hostile} after" in "".join(parsed.text)
    assert escape(hostile) in document[document.index('<section id="notes"') :]


def test_overlong_notes_are_cut_with_a_visible_note() -> None:
    document = build_handout(notes="x" * (MAX_NOTES_CHARS * 3))
    text = section_text(document, "notes")
    kept, _, remark = text.partition(" …")
    assert kept == "Your notes" + "x" * MAX_NOTES_CHARS
    assert remark.startswith(f"Your notes were cut at {MAX_NOTES_CHARS:,} characters")
    assert "were cut" not in section_text(build_handout(notes="short"), "notes")


def test_many_line_breaks_are_joined_so_the_page_still_fits() -> None:
    text = section_text(build_handout(notes="\n".join(f"line {i}" for i in range(60))), "notes")
    assert text.count("\n") < 20 and "line 58 line 59" in text
    assert "line breaks were joined" in text and "were cut" not in text


def test_web_addresses_in_notes_are_left_out_with_a_remark() -> None:
    document = build_handout(notes="see https://example.org/a and www.example.com/b and //cdn.x/y")
    assert "example" not in document and "//" not in document
    text = section_text(document, "notes")
    assert text.count("[web address left out]") == 3 and "Web addresses are left out" in text


def test_control_characters_and_bidi_overrides_are_dropped() -> None:
    text = section_text(build_handout(notes="a\x00b\x1bc\u202ed\ud800e"), "notes")
    assert "abcd?e" in text


def test_screening_points_are_listed_only_when_given(full: str) -> None:
    assert '<section id="screening"' not in build_handout()
    text = section_text(full, "screening")
    assert "Points your doctor may check" in text
    assert "Balloon kyphoplasty (check with doctor): You take a blood thinner; " in text
    assert "Non-surgical care (possible)" in text
    hostile = SCREENING.assign(reasons=["<b>bold</b>", "", None])
    assert "&lt;b&gt;bold&lt;/b&gt;" in build_handout(screening=hostile)
    empty = build_handout(screening=SCREENING.iloc[0:0])
    assert "raised no points" in section_text(empty, "screening")


def test_questions_come_from_the_faq(full: str) -> None:
    questions = set(load_dataset("faq")["question"])
    section = full[
        full.index('<section id="questions"') : full.index('<section id="warning-signs"')
    ]
    asked = re.findall(r"<li>([^<]+)</li>", section)
    assert len(asked) == len(handout.handout_items("question")) and set(asked) <= questions


def test_every_warning_sign_is_listed(full: str) -> None:
    text = section_text(full, "warning-signs")
    for sign in load_dataset("warning_signs")["sign"]:
        assert sign in text
    assert "call your doctor" in text.lower()


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"leaning": "laser"}, "leaning"),
        ({"leaning": 1}, "leaning"),
        ({"leaning": ""}, "leaning"),
        ({"ratings": {"nonsense": 2}}, "nonsense"),
        ({"ratings": {"cost": 7}}, "cost"),
        ({"ratings": {"cost": True}}, "cost"),
        ({"ratings": {"cost": "3"}}, "cost"),
        ({"ratings": [("cost", 3)]}, "ratings"),
        ({"sure_answers": {"X": True}}, "X"),
        ({"sure_answers": {"S": "yes"}}, "S"),
        ({"sure_answers": "yes"}, "sure_answers"),
        ({"notes": None}, "notes"),
        ({"notes": 42}, "notes"),
        ({"notes": b"bytes"}, "notes"),
        ({"screening": {"option_id": "kyphoplasty"}}, "screening"),
        ({"screening": SCREENING.drop(columns="reasons")}, "screening"),
        ({"screening": SCREENING.assign(option_id="laser")}, "screening"),
    ],
)
def test_bad_input_raises_the_library_error_naming_the_field(
    inputs: dict[str, object], field: str
) -> None:
    with pytest.raises(InputError) as caught:
        build_handout(**inputs)  # type: ignore[arg-type]
    assert isinstance(caught.value, KyphoAidError)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


# --- files --------------------------------------------------------------------------------


def test_write_handout_writes_exactly_one_file(tmp_path: Path) -> None:
    document = build_handout(notes="héllo ✓")
    target = write_handout(tmp_path / "handout.html", document)
    assert target == tmp_path / "handout.html"
    assert target.read_bytes() == document.encode("utf-8")
    assert sorted(snapshot(tmp_path)) == ["handout.html"]


def test_write_handout_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "handout.html"
    target.write_text("mine", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(KyphoAidError, match="already exists") as caught:
        write_handout(target, build_handout())
    assert str(target) in str(caught.value)
    assert snapshot(tmp_path) == before
    write_handout(target, "<p>new</p>", overwrite=True)
    assert target.read_text(encoding="utf-8") == "<p>new</p>"
    assert sorted(snapshot(tmp_path)) == ["handout.html"]


def test_write_handout_refuses_a_missing_folder(tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    missing = tmp_path / "nowhere" / "handout.html"
    with pytest.raises(KyphoAidError, match="does not exist") as caught:
        write_handout(missing, build_handout())
    assert str(missing) in str(caught.value)
    assert snapshot(tmp_path) == before and not (tmp_path / "nowhere").exists()


def test_write_handout_refuses_a_folder_and_non_text(tmp_path: Path) -> None:
    (tmp_path / "taken.html").mkdir()
    with pytest.raises(KyphoAidError, match="is a folder"):
        write_handout(tmp_path / "taken.html", "x", overwrite=True)
    with pytest.raises(InputError, match="html"):
        write_handout(tmp_path / "h.html", b"bytes")  # type: ignore[arg-type]
    assert sorted(snapshot(tmp_path)) == []


def test_a_failed_write_loses_nothing_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "handout.html"
    target.write_text("the old one", encoding="utf-8")
    before = snapshot(tmp_path)

    def broken_fsync(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(KyphoAidError, match="No space left"):
        write_handout(target, build_handout(), overwrite=True)
    assert snapshot(tmp_path) == before


# --- command line -------------------------------------------------------------------------


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kypho_aid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        check=False,
    )


FULL_ARGS = (
    "--leaning",
    "vertebroplasty",
    "--rate",
    "avoid_new_break=4",
    "cost=1",
    "--sure",
    "S=yes",
    "U=no",
    "R=yes",
    "E=yes",
    "--notes",
    "Ask about <script>alert(1)</script>",
)


def test_cli_writes_exactly_the_requested_file(tmp_path: Path) -> None:
    result = run("handout", "--out", "mine.html", *FULL_ARGS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(snapshot(tmp_path)) == ["mine.html"]
    document = (tmp_path / "mine.html").read_text(encoding="utf-8")
    assert 'You are leaning towards: <span class="answer">Vertebroplasty</span>' in document
    assert 'The SURE check: <span class="answer">3 out of 4.</span>' in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "Matters a great deal:</strong> Avoiding another break." in document


def test_cli_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    assert run("handout", "--out", "h.html", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path)
    again = run("handout", "--out", "h.html", "--leaning", "unsure", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr and snapshot(tmp_path) == before
    forced = run("handout", "--out", "h.html", "--leaning", "unsure", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert "not sure yet" in (tmp_path / "h.html").read_text(encoding="utf-8")
    assert sorted(snapshot(tmp_path)) == ["h.html"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--rate", "cost=9"), 1, "cost: a rating is a whole number from 0 to 4, got 9"),
        (("--rate", "cost=lots"), 1, "cost: a rating is a whole number"),
        (("--rate", "speed=2"), 1, "speed: is not a consideration"),
        (("--rate", "cost=1", "cost=2"), 1, "cost is given twice"),
        (("--sure", "S=maybe"), 1, "S: answer yes (True) or no (False)"),
        (("--sure", "Z=yes"), 1, "Z: is not a SURE item"),
        (("--leaning", "laser"), 1, "leaning: 'laser' is not an option"),
        (("--rate", "cost"), 2, "expected KEY=VALUE"),
        (("--colour", "red"), 2, "unrecognized arguments"),
    ],
)
def test_cli_bad_input_is_a_message_and_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run("handout", "--out", "h.html", *args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == {}


def test_cli_usage_errors_exit_two(tmp_path: Path) -> None:
    no_out = run("handout", cwd=tmp_path)
    assert no_out.returncode == 2 and "--out" in no_out.stderr
    not_html = run("handout", "--out", "h.pdf", cwd=tmp_path)
    assert not_html.returncode == 2 and "must name an .html file" in not_html.stderr
    missing = run("handout", "--out", "nowhere/h.html", cwd=tmp_path)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert snapshot(tmp_path) == {}


def test_cli_without_chromium_writes_nothing(tmp_path: Path) -> None:
    result = run(
        "handout", "--out", "h.html", "--pdf", cwd=tmp_path, KYPHO_AID_CHROMIUM="/no/chromium"
    )
    assert result.returncode == 1 and "apt-get install chromium" in result.stderr
    assert snapshot(tmp_path) == {}


def test_usage_block_lists_the_handout_command() -> None:
    from kypho_aid import cli

    assert "python -m kypho_aid handout --out FILE.html [--pdf] [--force]" in (cli.__doc__ or "")


# --- PDF ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        return find_chromium()
    except KyphoAidError as err:
        if os.environ.get("CI"):
            pytest.fail(f"chromium is required in CI: {err}")
        pytest.skip(f"chromium is not installed, so no PDF can be printed ({err})")


def test_count_pdf_pages_counts_page_objects_not_the_page_tree(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(
        b"%PDF-1.4\n1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R] /Count 2>> endobj\n"
        b"2 0 obj <</Type /Page /Parent 1 0 R>> endobj\n"
        b"3 0 obj <</Type/Page/Parent 1 0 R>> endobj\n%%EOF\n"
    )
    assert count_pdf_pages(fake) == 2


def test_count_pdf_pages_on_a_pdf_with_a_known_page_count(tmp_path: Path, chromium: str) -> None:
    pages = "".join(f'<p style="break-after: page">page {n}</p>' for n in range(1, 4))
    html_file = tmp_path / "three.html"
    html_file.write_text(f'<!DOCTYPE html><html lang="en"><body>{pages}</body></html>')
    pdf = handout_pdf(html_file, tmp_path / "three.pdf", chromium=chromium)
    assert count_pdf_pages(pdf) == 3


@pytest.mark.parametrize("paper", ["A4", "letter"])
@pytest.mark.parametrize("screening", [False, True])
def test_full_handout_prints_on_at_most_two_pages(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chromium: str,
    paper: str,
    screening: bool,
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where chromium's profile goes
    document = build_handout(
        **full_inputs(notes=LONG_NOTES * 3, screening=SCREENING if screening else None)  # type: ignore[arg-type]
    )
    assert "were cut" in document
    out = tmp_path / "out"
    out.mkdir()
    html_file = write_handout(out / "handout.html", on_paper(document, paper))
    pdf = handout_pdf(html_file, out / "handout.pdf", chromium=chromium)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert 1 <= count_pdf_pages(pdf) <= 2
    assert sorted(snapshot(out)) == ["handout.html", "handout.pdf"]
    assert list(scratch.iterdir()) == []  # the chromium profile was deleted


def test_handout_pdf_refuses_before_running_chromium(tmp_path: Path) -> None:
    html_file = write_handout(tmp_path / "h.html", build_handout())
    (tmp_path / "h.pdf").write_bytes(b"%PDF-old")
    before = snapshot(tmp_path)
    with pytest.raises(KyphoAidError, match="already exists"):
        handout_pdf(html_file, tmp_path / "h.pdf", chromium="/no/chromium")
    with pytest.raises(KyphoAidError, match="does not exist"):
        handout_pdf(html_file, tmp_path / "nowhere" / "h.pdf", chromium="/no/chromium")
    with pytest.raises(KyphoAidError, match="is not a file"):
        handout_pdf(tmp_path / "missing.html", tmp_path / "m.pdf", chromium="/no/chromium")
    with pytest.raises(KyphoAidError, match="apt-get install chromium"):
        handout_pdf(html_file, tmp_path / "new.pdf", chromium="/no/chromium")
    assert snapshot(tmp_path) == before


def test_find_chromium_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYPHO_AID_CHROMIUM", "/no/chromium")
    with pytest.raises(KyphoAidError, match=r"apt-get install chromium.*KYPHO_AID_CHROMIUM"):
        find_chromium()
    monkeypatch.delenv("KYPHO_AID_CHROMIUM")
    monkeypatch.setattr(handout.output.shutil, "which", lambda name: None)
    monkeypatch.setattr(handout.output.os, "access", lambda path, mode: False)
    with pytest.raises(KyphoAidError, match="apt-get install chromium"):
        find_chromium()


def test_cli_writes_the_html_and_the_pdf_and_nothing_else(tmp_path: Path, chromium: str) -> None:
    result = run("handout", "--out", "h.html", "--pdf", *FULL_ARGS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(snapshot(tmp_path)) == ["h.html", "h.pdf"]
    assert (tmp_path / "h.pdf").read_bytes().startswith(b"%PDF")
    assert "(1 page)" in result.stdout or "(2 pages)" in result.stdout


# --- issue 10: the sham comparison and warning signs for every option -----------------------


def test_the_handout_shows_the_benefit_against_a_sham_row(full: str) -> None:
    attributes = load_dataset("attributes")
    sham = attributes[attributes["topic"].astype(str) == "how_well_it_works"]
    assert len(sham) == 1
    attribute, label = str(sham["attribute_id"].item()), str(sham["label"].item())
    assert attribute in handout.handout_items("attribute")
    table = section_text(full, "options")
    assert label in table
    comparison = load_dataset("comparison").sort_values("fact_id")
    first = comparison[comparison["attribute_id"] == attribute].drop_duplicates("option_id")
    assert len(first) == len(load_dataset("options"))
    for value in first["value"]:
        assert str(value) in table


def test_warning_signs_are_given_for_every_option(full: str) -> None:
    signs = load_dataset("warning_signs")
    covered = set(signs["applies_to"].astype(str).str.split(";").explode())
    assert covered == set(load_dataset("options")["option_id"].astype(str))
    text = section_text(full, "warning-signs")
    assert "list no warning signs" not in text
    assert "Vertebroplasty" not in text  # option names are lower case inside a heading


# --- issue 13: a real one-page summary ------------------------------------------------------

REALISTIC_NOTES = (
    "I live alone, so going home the same day matters to me. My pain started three weeks ago "
    "after lifting a box. I want to ask about my blood thinner and who would do the procedure. "
    "My daughter can drive me. I worry about the cement leaking and about another break. How "
    "long until I can garden again? Will I need someone at home for the first few nights?"
)
SESSIONS = {
    "default": {},
    "full": full_inputs(notes=REALISTIC_NOTES, screening=SCREENING),
}


def on_paper(document: str, paper: str) -> str:
    """The handout as chromium prints it on ``paper``: the stylesheet sets no size of its own."""
    return document.replace("</style>", f"@page {{ size: {paper}; }}</style>", 1)


def _font_sizes_pt(css: str) -> list[float]:
    sizes = [float(pt) for pt in re.findall(r"font(?:-size)?:[^;}]*?(\d+(?:\.\d+)?)pt", css)]
    assert sizes and not re.search(r"font(?:-size)?:[^;}]*\d(?:px|em|rem|%)", css)
    return sizes


def test_the_stylesheet_sets_no_page_size_and_no_type_under_11_pt() -> None:
    css = style.HANDOUT_CSS
    page = re.search(r"@page \{[^}]*\}", css)
    assert page and "size" not in page.group(0)  # the printer's paper: A4 or Letter
    assert min(_font_sizes_pt(css)) >= 11
    body = re.search(r"body\.kypho-aid-handout \{[^}]*font-size: (\d+(?:\.\d+)?)pt", css)
    assert body and float(body.group(1)) >= 12


def test_notes_of_a_realistic_length_are_about_400_characters() -> None:
    assert 350 <= len(REALISTIC_NOTES) <= 450


def test_the_page_has_a_print_button_hidden_when_printed(full: str) -> None:
    assert full.count('onclick="window.print()"') == 1
    assert re.search(r'<button type="button" class="print-button"[^>]*>Print</button>', full)
    assert re.search(r"@media print \{[^@]*\.print-button \{\{? ?display: none", style.HANDOUT_CSS)
    bare = build_handout(print_button=False)
    assert "<button" not in bare and "onclick" not in bare


def test_no_reference_to_the_aid_the_reader_cannot_reach(full: str) -> None:
    many = SCREENING.assign(reasons=["a; b; c; d", "e; f; g", "h"])
    for document in (full, build_handout(), build_handout(screening=many)):
        assert "see the aid" not in document.lower() and "the aid has more" not in document
    text = section_text(build_handout(screening=many), "screening")
    assert "Your care team can go over the other 2 points with you." in text


def _computed_sizes(page: Any) -> dict[str, float]:
    return page.evaluate(
        """() => {
        const px = (e) => parseFloat(getComputedStyle(e).fontSize) * 72 / 96;
        const texts = [...document.querySelectorAll('body *')].filter(e =>
            [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
            && getComputedStyle(e).display !== 'none');
        return {smallest: Math.min(...texts.map(px)), body: px(document.body)};
    }"""
    )


@pytest.mark.parametrize(
    ("session", "paper"),
    [
        ("default", "A4"),
        ("default", "letter"),
        ("full", "A4"),
        ("full", "letter"),
    ],
)
def test_the_summary_prints_on_one_page(
    tmp_path: Path, chromium: str, paper: str, session: str
) -> None:
    document = build_handout(**SESSIONS[session])  # type: ignore[arg-type]
    html_file = write_handout(tmp_path / "handout.html", on_paper(document, paper))
    pdf = handout_pdf(html_file, tmp_path / "handout.pdf", chromium=chromium)
    assert count_pdf_pages(pdf) == 1


@pytest.mark.parametrize("session", ["default", "full"])
def test_computed_type_is_12_pt_body_and_never_under_11_pt(session: str, chromium: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    document = build_handout(**SESSIONS[session])  # type: ignore[arg-type]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(handout.CHROMIUM_ARGS))
        try:
            page = browser.new_page()
            page.emulate_media(media="print")
            page.set_content(document)
            sizes = _computed_sizes(page)
        finally:
            browser.close()
    assert sizes["body"] >= 12 and sizes["smallest"] >= 11


@pytest.mark.parametrize(("width", "columns"), [(390, "1"), (1280, "3")])
def test_the_saved_page_on_a_phone_reads_in_one_column(
    chromium: str, width: int, columns: str
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    document = build_handout(**SESSIONS["full"])  # type: ignore[arg-type]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(handout.CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": width, "height": 844})
            page.set_content(document)
            count = page.evaluate("getComputedStyle(document.querySelector('.flow')).columnCount")
            sideways = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
        finally:
            browser.close()
    assert count == columns
    assert sideways <= 0 or width > 400
