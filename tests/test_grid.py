"""The option grid: the questions patients ask first, short answers, details and sources on request."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import kypho_aid
from kypho_aid import UnknownOptionError
from kypho_aid.compare import compare, option_grid, short_citation
from kypho_aid.export import option_grid_html
from kypho_aid.validation import GRID_QUESTIONS, GRID_WORDS


class _Visible(HTMLParser):
    """The text a reader sees before opening anything: outside closed <details> bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.in_summary = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "details":
            self.depth += 1
        if tag == "summary":
            self.in_summary = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self.depth -= 1
        if tag == "summary":
            self.in_summary = False

    def handle_data(self, data: str) -> None:
        if self.depth == 0 or self.in_summary:
            self.text.append(data)


def _visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.text).split())


def test_the_grid_asks_at_most_ten_questions_each_answered_for_every_option() -> None:
    grid = option_grid()
    questions = grid.drop_duplicates("question_id")
    assert 1 <= len(questions) <= GRID_QUESTIONS
    assert questions["grid_order"].tolist() == sorted(questions["grid_order"])
    for _, block in grid.groupby("question_id"):
        assert block["option_id"].tolist() == ["kyphoplasty", "vertebroplasty", "non_surgical"]
    assert (grid["short_answer"].str.split().str.len() <= GRID_WORDS).all()


def test_patients_first_questions_come_first_pain_then_recovery_then_risks() -> None:
    order = option_grid().drop_duplicates("question_id")["question"].str.lower().tolist()
    pain = next(i for i, q in enumerate(order) if "pain" in q)
    risks = next(i for i, q in enumerate(order) if "risk" in q)
    balloon = next(i for i, q in enumerate(order) if "balloon" in q)
    assert pain == 0
    assert pain < risks < balloon


def test_every_figure_in_a_short_answer_is_in_its_cited_full_answer() -> None:
    number = re.compile(r"\d+(?:\.\d+)?")
    for row in option_grid().itertuples():
        assert set(number.findall(row.short_answer)) <= set(number.findall(row.answer)), (
            row.question_id,
            row.option_id,
        )


def test_a_chosen_pair_of_options_keeps_the_knowledge_bases_order_as_compare_does() -> None:
    grid = option_grid(["non_surgical", "kyphoplasty"])
    first = grid[grid["grid_order"] == grid["grid_order"].min()]
    assert first["option_id"].tolist() == ["kyphoplasty", "non_surgical"]
    assert list(compare(options=["non_surgical", "kyphoplasty"]).data.columns) == [
        "kyphoplasty",
        "non_surgical",
    ]
    with pytest.raises(UnknownOptionError, match="cementless"):
        option_grid(["cementless"])


def test_the_grid_shows_short_answers_and_keeps_details_and_sources_closed() -> None:
    html = option_grid_html(option_grid(), detail=compare())
    seen = _visible(html)
    grid = option_grid()
    for row in grid.itertuples():
        assert " ".join(row.short_answer.split()) in seen
    assert "7.4 to 4.1" in grid["answer"].iloc[0]
    assert "7.4 to 4.1" not in seen  # the full answer waits behind "More"
    assert ".txt" not in seen and "Seed file" not in seen and "[" not in seen
    assert html.count("<details") == len(grid) + 2  # every cell, the sources, the detail
    assert "<details open" not in html
    assert html.count('<th scope="row">') >= grid["question_id"].nunique()


def test_sources_are_listed_as_readable_short_citations_never_file_names() -> None:
    html = option_grid_html(option_grid())
    sources = re.search(r'<ol class="kypho-aid-sources">(.*?)</ol>', html, re.S)
    assert sources is not None
    items = re.findall(r"<li[^>]*>(.*?)</li>", sources.group(1))
    assert items
    assert not any(".txt" in item or "Seed file" in item or "http" in item for item in items)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {
                "kind": "trial",
                "authors": "Kallmes DF, Comstock BA",
                "year": 2009,
                "journal": "N Engl J Med 361:569-79",
                "title": "A randomized trial",
            },
            "Kallmes et al., 2009, N Engl J Med",
        ),
        (
            {
                "kind": "trial",
                "authors": "Tutton SM et al. (author list not shown)",
                "year": 2015,
                "journal": "Spine (name from memory)",
                "title": "KAST",
            },
            "Tutton et al., 2015, Spine",
        ),
        (
            {
                "kind": "guideline",
                "authors": "National Institute for Health and Care Excellence",
                "year": 2013,
                "journal": "NICE TA279",
                "title": "Evidence",
            },
            "National Institute for Health and Care Excellence, 2013, NICE TA279",
        ),
        (
            {
                "kind": "review",
                "authors": "Not shown in excerpt",
                "year": 2018,
                "journal": "Journal not shown",
                "title": "High-viscosity cement: a meta-analysis",
            },
            "High-viscosity cement, 2018",
        ),
        (
            {
                "kind": "seed_page",
                "title": "Kyphoplasty",
                "journal": "Spine clinic page",
                "file": "003_x.txt",
            },
            "Kyphoplasty (Spine clinic page)",
        ),
    ],
)
def test_short_citations_name_who_when_and_where(record: dict[str, object], expected: str) -> None:
    assert short_citation(record) == expected


def test_hostile_text_in_an_answer_is_escaped(data_copy: Path) -> None:
    faq = data_copy / "faq.csv"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(
        text.replace("Some stay the night.", "<script>alert('x')</script> Some stay.", 1),
        encoding="utf-8",
    )
    assert kypho_aid.validate(data_copy) == []
    html = option_grid_html(option_grid(data_dir=data_copy), data_dir=data_copy)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_without_the_journal_a_citation_keeps_it_only_when_the_year_is_unknown() -> None:
    dated = {"kind": "trial", "authors": "Kallmes DF, Comstock BA", "year": 2009}
    dated["journal"] = "N Engl J Med 361(6):569-79"
    assert short_citation(dated) == "Kallmes et al., 2009, N Engl J Med"
    assert short_citation(dated, journal=False) == "Kallmes et al., 2009"
    undated = {"kind": "trial", "authors": "Al-Ali F, Barrow T", "journal": "AJNR"}
    assert short_citation(undated, journal=False) == "Al-Ali et al., AJNR"
    seed = {"kind": "seed_page", "title": "Kyphoplasty", "journal": "Spine clinic page"}
    assert short_citation(seed, journal=False) == "Kyphoplasty (Spine clinic page)"
