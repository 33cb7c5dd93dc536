"""The helpers on single values, written once: each variant the aid prints is one parameter."""

from __future__ import annotations

import functools
import math

import pandas as pd
import pytest

from kypho_aid._values import choose_ids, display_value, format_number, present, shorten
from kypho_aid.compare import SourceNumbering
from kypho_aid.exceptions import UnknownOptionError


@pytest.mark.parametrize(
    ("value", "text"),
    [(1200.5, "1,200.5"), (-3.0, "−3"), (0.125, "0.12"), (-0.001, "0"), (2.50, "2.5")],
)
def test_figures_read_as_the_source_gave_them(value: float, text: str) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(1200.5, "1200.5"), (-3.0, "-3"), (-0.001, "0"), (12.0, "12")]
)
def test_figures_a_student_types_back_have_no_commas_and_an_ascii_minus(
    value: float, text: str
) -> None:
    text_back = format_number(value, thousands=False, minus="-")
    assert text_back == text
    assert float(text_back) == pytest.approx(round(value, 2), abs=0.005)


def test_scores_keep_one_decimal_and_show_a_dash_when_missing() -> None:
    score = functools.partial(
        format_number, decimals=1, trim=False, thousands=False, minus="-", missing="–"
    )
    assert score(12.0) == "12.0"
    assert score(-1.26) == "-1.3"
    assert score(math.nan) == "–"
    assert format_number(math.nan) == "nan"


@pytest.mark.parametrize("value", [None, pd.NA, math.nan, float("nan")])
def test_missing_values_are_not_present(value: object) -> None:
    assert not present(value)


@pytest.mark.parametrize("value", ["", "x", 0, 0.0, False, math.inf])
def test_empty_text_zero_and_false_are_present(value: object) -> None:
    assert present(value)


def test_values_in_messages_are_cut_and_never_raise() -> None:
    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert shorten("abcdef", 4) == "abc…" and shorten("abc", 4) == "abc"
    assert display_value("x" * 500) == "'" + "x" * 98 + "…"
    assert len(display_value("x" * 500, 60)) == 60
    assert display_value(Hostile()) == "<Hostile>"
    assert display_value(10**5000) == "<int>"
    assert display_value("a\nb\tc", one_line=True) == "'a\\nb\\tc'"
    assert display_value(["a\nb"], one_line=True) == "['a\\nb']"
    assert display_value(Multiline(), one_line=True) == "two lines"


class Multiline:
    def __repr__(self) -> str:
        return "two\n   lines"


def test_ids_come_back_in_the_known_order_and_unknown_ones_are_named() -> None:
    known = ["a", "b", "c"]
    assert choose_ids(None, known, "letter(s)", UnknownOptionError) == known
    assert choose_ids(["c", "a"], known, "letter(s)", UnknownOptionError) == ["a", "c"]
    assert choose_ids("b", known, "letter(s)", UnknownOptionError) == ["b"]
    with pytest.raises(
        UnknownOptionError, match=r"^unknown letter\(s\) \['d', 3\]; use any of: a, b, c$"
    ):
        choose_ids(["a", "d", 3], known, "letter(s)", UnknownOptionError)  # type: ignore[list-item]
    with pytest.raises(UnknownOptionError, match=r"unknown letter\(s\) \[\]"):
        choose_ids([], known, "letter(s)", UnknownOptionError)


def test_sources_are_numbered_in_order_of_first_mention() -> None:
    numbering = SourceNumbering(["B;A"])
    assert numbering.order == ["B", "A"]
    assert numbering.cite("A; C;A") == [2, 3]
    assert numbering.cite(None) == [] and numbering.cite(math.nan) == []
    assert numbering.cite(" ; ") == []
    assert numbering.order == ["B", "A", "C"]
