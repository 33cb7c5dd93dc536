"""Hostile input: every public function that takes what a person types either works or raises
kypho-aid's own error naming the field, and never a bare exception, a hang or a stray file.

Property-based (hypothesis) with a fixed seed (``derandomize=True``, no example database)
and a bounded number of examples, so that ``make test`` gives the same result on every run.
Every call runs under a time limit, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import io
import math
import numbers
import os
import re
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kypho_aid
from kypho_aid import cli
from kypho_aid.candidacy import (
    PROFILE_FIELDS,
    STATUSES,
    PatientProfile,
    ProfileError,
    ProfileField,
    screen,
)
from kypho_aid.decision import InputError, check_answer, rating_labels, sure_result, values_table
from kypho_aid.exceptions import (
    DataValidationError,
    KyphoAidError,
    UnknownDatasetError,
    UnknownOptionError,
    UnknownTopicError,
)
from kypho_aid.export import risk_view_html
from kypho_aid.handout import UNSURE, build_handout, write_handout
from kypho_aid.model import Option

# --- the rules every test shares -------------------------------------------------------

#: Seconds any one call may take: far above the slowest real call (about 0.1 s).
LIMIT = 5.0


def hostile_settings(examples: int) -> settings:
    """Fixed seed, no example database, a bounded number of examples, no wall-clock deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,  # each example makes its own sandbox
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


@contextlib.contextmanager
def time_limit(seconds: float = LIMIT) -> Iterator[None]:
    """Fail (rather than hang) when the block runs longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        pytest.fail(f"took longer than {seconds:g} s: a hang", pytrace=False)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - start < seconds


def outcome(call: Callable[[], Any]) -> tuple[Any, BaseException | None]:
    """Run ``call`` under the time limit; return its result, or the library error it raised.

    Any exception that is not a :class:`KyphoAidError` propagates and fails the test.
    """
    with time_limit():
        try:
            return call(), None
        except KyphoAidError as err:
            return None, err


def short(value: object) -> str:
    """``repr`` for test messages: never fails, never floods."""
    try:
        return repr(value)[:80]
    except ValueError:
        return f"<{type(value).__name__}>"


# Ints whose repr() raises ValueError (more than 4300 digits). Drawn through map() so that
# hypothesis never has to show one when it describes a strategy.
HUGE = st.sampled_from([1, -1]).map(lambda sign: sign * 10**5000)

#: Values a form, a notebook or a careless caller might pass for anything.
ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    4,
    5,
    10,
    11,
    520,
    521,
    2**64,
    0.0,
    -0.0,
    0.5,
    2.5,
    1e308,
    5e-324,
    math.nan,
    math.inf,
    -math.inf,
    "",
    " ",
    "5",
    "True",
    "yes",
    "osteoporosis",
    "Cancer",
    "not_tried",
    "kyphoplasty",
    "\x00",
    "\u202e",
    "\ud800",
    "<script>alert(1)</script>",
    "x" * 5000,
    b"bytes",
    [],
    [1],
    ["kyphoplasty"],
    {},
    {"a": 1},
    (),
    set(),
    frozenset({"S"}),
    np.int64(6),
    np.float64(3.5),
    np.float64(math.nan),
    np.array([1, 2]),
    Decimal("5"),
    Fraction(7, 2),
    complex(1, 0),
    object(),
    pd.NA,
    pd.Series([1, 2]),
    pd.DataFrame({"a": [1]}),
    Path("x"),
    ...,
]

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=30)
hostile = st.one_of(
    st.sampled_from(ODD_VALUES),
    HUGE,
    st.integers(),
    st.floats(),
    ANY_TEXT,
    st.binary(max_size=5),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def is_mapping(value: object) -> bool:
    return isinstance(value, Mapping)


# --- PatientProfile -------------------------------------------------------------------

FIELD_NAMES = list(PROFILE_FIELDS)
OPTION_IDS = [o.value for o in Option]


def valid_values(spec: ProfileField) -> st.SearchStrategy[object]:
    """Values the PatientProfile docstring allows for ``spec`` (None included)."""
    if spec.kind == "boolean":
        values: st.SearchStrategy[object] = st.booleans()
    elif spec.kind == "choice":
        values = st.sampled_from(spec.choices)
    else:
        low, high = int(spec.minimum or 0), int(spec.maximum or 0)
        values = st.one_of(st.integers(low, high), st.integers(low, high).map(np.int64))
        if spec.kind == "number":
            values = st.one_of(
                values,
                st.floats(low, high),
                st.fractions(low, high),
                st.floats(low, high).map(np.float64),
            )
    return st.one_of(st.none(), values)


def accepted(spec: ProfileField, value: object) -> bool:
    """Whether the docstring allows ``value``: None, or the right type, finite and in range."""
    if value is None:
        return True
    if spec.kind == "boolean":
        return isinstance(value, bool)
    if spec.kind == "choice":
        return isinstance(value, str) and value in spec.choices
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    if spec.kind == "integer" and not isinstance(value, numbers.Integral):
        return False
    try:
        number = float(value)
    except OverflowError:
        return False
    assert spec.minimum is not None and spec.maximum is not None
    return math.isfinite(number) and spec.minimum <= number <= spec.maximum


def check_screen(profile: PatientProfile) -> None:
    """screen() gives one row per option, in order, with a known status."""
    result, error = outcome(lambda: screen(profile))
    assert error is None, error
    assert result["option_id"].astype(str).tolist() == OPTION_IDS
    assert set(result["status"].astype(str)) <= set(STATUSES)
    unknown = set(profile.unknown_fields)
    assert all(set(fields) <= unknown for fields in result["to_find_out"])


@hostile_settings(150)
@given(name=st.sampled_from(FIELD_NAMES), data=st.data())
def test_a_profile_field_takes_an_allowed_value_or_names_itself(
    name: str, data: st.DataObject
) -> None:
    spec = PROFILE_FIELDS[name]
    value = data.draw(st.one_of(valid_values(spec), hostile), label="value")
    made = [
        outcome(lambda: PatientProfile(**{name: value})),
        outcome(lambda: PatientProfile.from_mapping({name: value})),
    ]
    for profile, error in made:
        if accepted(spec, value):
            assert error is None, error
            stored = getattr(profile, name)
            assert stored == (
                float(value) if spec.kind == "number" and value is not None else value
            )
            kinds = {"boolean": bool, "choice": str, "integer": int, "number": float}
            assert value is None or type(stored) is kinds[spec.kind]
        else:
            assert isinstance(error, ProfileError), short(value)
            assert error.field == name
            assert str(error).startswith(f"{name} must be ")
    if made[0][1] is None:
        assert made[0][0] == made[1][0]
        check_screen(made[0][0])


@hostile_settings(60)
@given(
    values=st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(valid_values(spec), valid_values(spec), hostile)
            for name, spec in PROFILE_FIELDS.items()
        },
    )
)
@example(values={"pain_score": 10**5000})  # its repr() raises ValueError
def test_a_whole_profile_works_or_names_its_first_bad_field(values: dict[str, object]) -> None:
    bad = [n for n in FIELD_NAMES if n in values and not accepted(PROFILE_FIELDS[n], values[n])]
    direct = outcome(lambda: PatientProfile(**values))
    mapped = outcome(lambda: PatientProfile.from_mapping(values))
    for profile, error in (direct, mapped):
        if bad:
            assert isinstance(error, ProfileError) and error.field == bad[0]
            assert str(error).startswith(f"{bad[0]} must be ")
        else:
            assert error is None, error
            known = {n for n, v in values.items() if v is not None}
            assert set(profile.unknown_fields) == set(FIELD_NAMES) - known
    if not bad:
        assert direct[0] == mapped[0]
        check_screen(direct[0])


UNKNOWN_KEYS = st.one_of(
    st.sampled_from(
        [
            "Pain_Score",
            "pain_score ",
            "pain-score",
            "pain",
            "",
            "__class__",
            "self",
            "unknown_fields",
            "\x00",
            "é✓",
            1,
            1.5,
            math.nan,
            None,
            True,
            ("pain_score",),
            b"pain_score",
            frozenset(),
        ]
    ),
    st.text(max_size=20),
    st.integers(),
    HUGE,
).filter(lambda key: key not in PROFILE_FIELDS)


@hostile_settings(80)
@given(
    known=st.fixed_dictionaries(
        {}, optional={name: valid_values(spec) for name, spec in PROFILE_FIELDS.items()}
    ),
    extra=st.dictionaries(UNKNOWN_KEYS, hostile, min_size=1, max_size=3),
    known_first=st.booleans(),
)
@example(known={}, extra={10**5000: None}, known_first=True)
def test_from_mapping_names_the_first_unknown_key(
    known: dict[str, object], extra: dict[object, object], known_first: bool
) -> None:
    mapping = {**known, **extra} if known_first else {**extra, **known}
    first = next(key for key in mapping if key not in PROFILE_FIELDS)
    _, error = outcome(lambda: PatientProfile.from_mapping(mapping))
    assert isinstance(error, ProfileError), short(first)
    if isinstance(first, str):
        assert error.field == first
        assert repr(first)[:60] in str(error)
    else:
        assert isinstance(error.field, str) and error.field in str(error)
    assert "is not a profile field" in str(error)


@hostile_settings(40)
@given(value=hostile.filter(lambda v: not is_mapping(v)))
@example(value=[("pain_score", 5)])
def test_from_mapping_of_a_non_mapping_names_the_mapping(value: object) -> None:
    _, error = outcome(lambda: PatientProfile.from_mapping(value))
    assert isinstance(error, ProfileError) and error.field == "mapping"
    assert isinstance(error, TypeError)  # what it always was, for callers catching that
    assert "mapping" in str(error)


# --- values, SURE and the knowledge check ---------------------------------------------

CONSIDERATIONS = kypho_aid.load_dataset("considerations")["consideration_id"].astype(str).tolist()
SURE_ITEMS = kypho_aid.load_dataset("sure_items")["item_id"].astype(str).tolist()
QUIZ = kypho_aid.load_dataset("quiz").set_index("question_id")
QUIZ_CHOICES = sorted({c for text in QUIZ["choices"] for c in str(text).split(";")})


def good_rating(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4


def first_bad(
    given: Mapping[object, object], known: list[str], good: Callable[[object], bool]
) -> str | object | None:
    """The key an error should name: the first unknown key or bad value, in the mapping's order."""
    for key, value in given.items():
        if key not in known or not good(value):
            return key
    return None


def mappings_of(known: list[str], values: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """None, a non-mapping, or a dict of known and unknown keys to good and bad values."""
    keys = st.one_of(st.sampled_from(known), st.sampled_from(known), UNKNOWN_KEYS)
    return st.one_of(
        st.none(),
        hostile.filter(lambda v: not is_mapping(v)),
        st.dictionaries(keys, st.one_of(values, hostile), max_size=6),
        st.dictionaries(st.sampled_from(known), values, max_size=len(known)),
    )


def check_named(error: BaseException | None, key: object) -> None:
    """An InputError whose field is ``key`` (as text) and whose message starts with it."""
    assert isinstance(error, InputError), f"{short(key)}: {error!r}"
    if isinstance(key, str):
        assert error.field == key
    assert str(error).startswith(f"{error.field}: ")


@hostile_settings(100)
@given(ratings=mappings_of(CONSIDERATIONS, st.integers(-2, 6)))
@example(ratings=pd.DataFrame({"cost": [1]}))  # whose truth value is ambiguous
@example(ratings={"cost": 10**5000})
def test_values_table_shows_good_ratings_or_names_the_bad_one(ratings: object) -> None:
    table, error = outcome(lambda: values_table(ratings))
    if ratings is not None and not is_mapping(ratings):
        check_named(error, "ratings")
        return
    rated = dict(ratings or {})
    bad = first_bad(rated, CONSIDERATIONS, good_rating)
    if bad is not None:
        check_named(error, bad)
        return
    assert error is None, error
    assert len(table) == len(CONSIDERATIONS) * len(Option)
    for row in table.itertuples(index=False):
        if row.consideration_id in rated:
            assert row.rating == rated[row.consideration_id]
            assert row.rating_label == rating_labels()[rated[row.consideration_id]]
        else:
            assert pd.isna(row.rating) and row.rating_label == "not rated"


@hostile_settings(100)
@given(answers=mappings_of(SURE_ITEMS, st.booleans()))
@example(answers={"S": 10**5000})
def test_sure_result_scores_yes_and_no_or_names_the_bad_item(answers: object) -> None:
    result, error = outcome(lambda: sure_result(answers))
    if not is_mapping(answers):
        check_named(error, "answers")
        return
    assert isinstance(answers, Mapping)
    bad = first_bad(answers, SURE_ITEMS, lambda v: isinstance(v, bool))
    if bad is not None:
        check_named(error, bad)
        return
    assert error is None, error
    assert result.score == sum(answers.get(item) is True for item in SURE_ITEMS)
    assert result.answered == len(answers)
    assert result.conflict == (result.answered == len(SURE_ITEMS) and result.score < 4)


@hostile_settings(80)
@given(
    question_id=st.one_of(st.sampled_from(list(QUIZ.index)), hostile),
    choice=st.one_of(st.sampled_from(QUIZ_CHOICES), hostile),
)
@example(question_id=["K01"], choice="x")  # unhashable
@example(question_id="K01", choice=np.array(["a", "b"]))
def test_check_answer_explains_or_names_the_bad_input(question_id: object, choice: object) -> None:
    result, error = outcome(lambda: check_answer(question_id, choice))
    if not (isinstance(question_id, str) and question_id in QUIZ.index):
        check_named(error, "question_id")
        return
    row = QUIZ.loc[question_id]
    if not (isinstance(choice, str) and choice in str(row["choices"]).split(";")):
        check_named(error, "choice")
        return
    assert error is None, error
    assert result.correct == (choice == row["answer"]) and result.explanation


# --- the handout ------------------------------------------------------------------------

NOTE_PIECES = [
    "<script>alert(1)</script>",
    "<SCRIPT src=x>",
    "<scr<script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<link rel=stylesheet href=//x.org/a.css>",
    "http://evil.example/x?a=1",
    "HTTPS://EVIL.EXAMPLE",
    "h\x00ttp://x.org",
    "ht\u202etp://x",
    "1http://x",
    "//cdn.example/a.js",
    "www.example.org",
    "www .example",
    "javascript:alert(1)",
    "&lt;script&gt;",
    "\"'",
    "\r\n",
    "\n\n\n",
    "\t",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\u2066",
    "\ud800",
    "é✓🙂",
    " ",
    "word ",
]
# Long runs: the scrubbing must stay linear in the length of the notes.
LONG_PIECES = ["a", "a.", "1a", "/", "a ", "\n", "www.", "h", "<script>", "http://x "]

NOTES = st.one_of(
    ANY_TEXT,
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(NOTE_PIECES), ANY_TEXT), max_size=30).map("".join),
    st.tuples(
        st.sampled_from(LONG_PIECES),
        st.one_of(st.sampled_from([1_500, 1_501, 10_000, 50_000]), st.integers(1, 50_000)),
    ).map(lambda pair: (pair[0] * pair[1])[: pair[1]]),
)
LEANINGS = st.one_of(st.none(), st.sampled_from([*OPTION_IDS, UNSURE]), hostile)
_BAD_IN_PAGE = re.compile(
    r"(?i)<script|<img|<link|https?://|\bwww\.|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]"
)


def check_page(document: object) -> None:
    """A whole page with no script, image, link, web address or control character."""
    assert isinstance(document, str) and document.startswith("<!DOCTYPE html>")
    found = _BAD_IN_PAGE.search(document)
    assert found is None, found
    document.encode("utf-8")  # no lone surrogate: the page can be saved


@hostile_settings(60)
@given(notes=NOTES)
@example(notes="a" * 50_000)  # a scheme-like run: slow scrubbing would take many seconds
@example(notes="1a" * 25_000)
def test_any_notes_are_shown_as_plain_text(notes: str) -> None:
    document, error = outcome(lambda: build_handout(notes=notes))
    assert error is None, error
    check_page(document)
    if re.fullmatch(r"[A-Za-z ]{1,200}", notes) and notes.strip():
        assert notes.strip() in document


@hostile_settings(30)
@given(notes=hostile.filter(lambda v: not isinstance(v, str)))
def test_notes_that_are_not_text_are_named(notes: object) -> None:
    _, error = outcome(lambda: build_handout(notes=notes))
    check_named(error, "notes")


@hostile_settings(50)
@given(leaning=LEANINGS)
def test_any_leaning_is_shown_or_named(leaning: object) -> None:
    document, error = outcome(lambda: build_handout(leaning=leaning))
    if leaning is None or (isinstance(leaning, str) and leaning in [*OPTION_IDS, UNSURE]):
        assert error is None, error
        check_page(document)
    else:
        check_named(error, "leaning")


_PROFILES = [
    PatientProfile(),
    PatientProfile(infection=True, pain_score=8),
    PatientProfile(fracture_age_weeks=60, cause="cancer", levels=4, pregnant=False),
]
SCREENINGS = [screen(profile) for profile in _PROFILES]
_CELLS: dict[str, st.SearchStrategy[object]] = {
    "option_id": st.one_of(st.sampled_from(OPTION_IDS), st.text(max_size=8), st.none()),
    "status": st.one_of(st.sampled_from(STATUSES), NOTES, st.none(), st.floats()),
    "reasons": st.one_of(
        st.lists(st.sampled_from(NOTE_PIECES), max_size=3).map(";".join),
        st.lists(st.one_of(st.sampled_from(NOTE_PIECES), st.none()), max_size=3),
        st.none(),
        st.floats(),
        st.integers(),
    ),
    "extra": hostile,
}


@st.composite
def screening_frames(draw: st.DrawFn) -> pd.DataFrame:
    """A DataFrame with some of the expected columns, holding odd values."""
    rows = draw(st.integers(0, 4))
    columns = draw(st.lists(st.sampled_from(list(_CELLS)), unique=True))
    data = {name: [draw(_CELLS[name]) for _ in range(rows)] for name in columns}
    return pd.DataFrame(data, index=range(rows), dtype=object)


@hostile_settings(40)
@given(screening=st.one_of(st.sampled_from(SCREENINGS), screening_frames(), hostile))
def test_screening_points_are_listed_or_the_table_is_named(screening: object) -> None:
    document, error = outcome(lambda: build_handout(screening=screening))
    usable = (
        isinstance(screening, pd.DataFrame)
        and {"option_id", "status", "reasons"} <= set(screening.columns)
        and all(str(o) in OPTION_IDS for o in screening["option_id"])
    )
    if usable:
        assert error is None, error
        check_page(document)
    else:
        check_named(error, "screening")


@hostile_settings(60)
@given(
    ratings=mappings_of(CONSIDERATIONS, st.integers(-1, 5)),
    sure_answers=mappings_of(SURE_ITEMS, st.booleans()),
    leaning=LEANINGS,
    notes=st.one_of(NOTES, hostile),
    screening=st.one_of(st.none(), st.sampled_from(SCREENINGS), screening_frames(), hostile),
)
def test_build_handout_works_or_names_the_bad_input(
    ratings: object, sure_answers: object, leaning: object, notes: object, screening: object
) -> None:
    document, error = outcome(
        lambda: build_handout(
            ratings=ratings,
            sure_answers=sure_answers,
            leaning=leaning,
            notes=notes,
            screening=screening,
        )
    )
    if error is None:
        check_page(document)
        return
    assert isinstance(error, InputError), error
    keys = [k for mapping in (ratings, sure_answers) if is_mapping(mapping) for k in mapping]
    named = {"leaning", "ratings", "sure_answers", "notes", "screening"}
    named |= {k for k in keys if isinstance(k, str)}
    odd_key = any(not isinstance(k, str) for k in keys)  # named by its short repr
    assert error.field in named or odd_key, error
    assert str(error).startswith(f"{error.field}: ")


# --- write_handout: hostile paths -------------------------------------------------------

PATH_PARTS = [
    "..",
    ".",
    "sub",
    "missing",
    "existing.html",
    "folder.html",
    "new.html",
    "é✓ handout.html",
    "line\nbreak.html",
    "tab\tname.htm",
    " ",
    ".hidden",
    "..html",
    "-",
    "~",
    "*",
    "a" * 255,  # the longest name the file system takes
    "b" * 251 + ".html",  # one byte too long
    "ü" * 128,  # 256 bytes in UTF-8: too long
    "nul\x00.html",
    "\udcff.html",  # an undecodable byte, as the command line delivers it
    "\ud800.html",  # cannot be encoded at all
]


def tree(root: Path) -> dict[str, object]:
    """Every folder and file below ``root``, hidden ones too, with each file's bytes."""
    found: dict[str, object] = {}
    for folder, folders, files in os.walk(root):
        for name in folders:
            found[str(Path(folder, name).relative_to(root))] = "folder"
        for name in files:
            path = Path(folder, name)
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


def sandbox(parent: Path) -> Path:
    """A fresh folder ``.../outer/box`` with a sub-folder, a file and a folder named like a file."""
    root = Path(tempfile.mkdtemp(dir=parent))
    box = root / "outer" / "box"
    (box / "sub").mkdir(parents=True)
    (box / "folder.html").mkdir()
    (box / "existing.html").write_bytes(b"mine")
    (root / "outer" / "existing.html").write_bytes(b"also mine")
    return box


def quietly(test: Callable[[], bool]) -> bool:
    """A file test that says False when the OS cannot even look (a name too long, a NUL)."""
    try:
        return test()
    except (OSError, ValueError):
        return False


def takes_name(name: str) -> bool:
    """Whether Linux takes ``name`` as a file name: not . or .., no NUL, at most 255 bytes."""
    if name in ("", ".", "..") or "\x00" in name:
        return False
    try:
        return len(os.fsencode(name)) <= 255
    except UnicodeEncodeError:  # a lone surrogate
        return False


@hostile_settings(120)
@given(
    parts=st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=4),
    relative=st.booleans(),
    overwrite=st.booleans(),
    html=st.one_of(st.sampled_from(["<p>new</p>", ""]), ANY_TEXT),
)
@example(parts=["a" * 255], relative=True, overwrite=False, html="x")  # a name at the limit
@example(parts=["ü" * 128], relative=False, overwrite=True, html="x")  # one byte over it
@example(parts=["nul\x00.html"], relative=True, overwrite=True, html="x")
@example(parts=["\ud800.html"], relative=True, overwrite=False, html="x")
@example(parts=["new.html"], relative=True, overwrite=False, html="\ud800")
def test_write_handout_writes_only_the_path_asked_for(
    tmp_path: Path, parts: list[str], relative: bool, overwrite: bool, html: str
) -> None:
    box = sandbox(tmp_path)
    text = "/".join(parts)
    asked = Path(text) if relative else box / text
    where = box / text
    if not Path(os.path.normpath(where)).is_relative_to(box.parents[1]):
        return  # would climb out of the sandbox: not something to try on a real disk
    before = tree(tmp_path)
    existed = quietly(where.is_file)
    encodable = html == html.encode("utf-8", "replace").decode("utf-8")
    expected = (
        takes_name(where.name)
        and quietly(where.parent.is_dir)
        and not quietly(where.is_dir)
        and (overwrite or not existed)
        and encodable
    )
    with contextlib.chdir(box):
        written, error = outcome(lambda: write_handout(asked, html, overwrite=overwrite))
    after = tree(tmp_path)
    if error is not None:
        assert not expected, error
        if not encodable:
            check_named(error, "html")
        assert after == before, "a refused write changed the disk"
        return
    assert expected, f"wrote {short(text)} when it should have refused"
    target = str(where.resolve().relative_to(tmp_path))
    assert after[target] == html.encode("utf-8")
    assert {k: v for k, v in after.items() if k != target} == {
        k: v for k, v in before.items() if k != target
    }, "something besides the target changed"
    assert (target in before) == existed and (overwrite or not existed)
    assert Path(written) == asked


@hostile_settings(40)
@given(path=hostile.filter(lambda v: not isinstance(v, str | os.PathLike)), html=hostile)
@example(path=None, html="<p>x</p>")
@example(path=42, html="<p>x</p>")
def test_write_handout_names_a_path_or_html_that_is_not_one(
    tmp_path: Path, path: object, html: object
) -> None:
    before = tree(tmp_path)
    with contextlib.chdir(tmp_path):
        _, error = outcome(lambda: write_handout(path, html))
    check_named(error, "html" if not isinstance(html, str) else "path")
    assert tree(tmp_path) == before


# --- datasets -----------------------------------------------------------------------------

DATASETS = kypho_aid.list_datasets()
DATASET_NAMES = st.one_of(
    st.sampled_from(DATASETS),
    st.sampled_from(DATASETS).flatmap(
        lambda name: st.sampled_from(
            [
                name.upper(),
                f"{name}.csv",
                f"{name}.schema.yaml",
                f"data/{name}",
                f"../data/{name}",
                f"{name}/",
                f" {name}",
                f"{name}\x00",
                f"{name}*",
                Path(name),
                name.encode(),
                [name],
            ]
        )
    ),
    st.sampled_from(["", ".", "..", "*", "/etc/passwd", "~", "../../../etc/passwd", "CON"]),
    ANY_TEXT,
    hostile,
)


@hostile_settings(80)
@given(name=DATASET_NAMES)
def test_datasets_load_by_name_or_say_the_name_is_unknown(name: object) -> None:
    for load in (kypho_aid.load_dataset, kypho_aid.describe_dataset):
        frame, error = outcome(lambda load=load: load(name))
        if isinstance(name, str) and name in DATASETS:
            assert error is None, error
            assert isinstance(frame, pd.DataFrame)
        else:
            assert isinstance(error, UnknownDatasetError), short(name)
            if isinstance(name, str):
                assert repr(name)[:60] in str(error)


HOSTILE_FILES = {  # broken-data case: the dataset it breaks
    "yaml-alias-bomb": "content",
    "yaml-deep-nesting": "content",
    "yaml-huge-number": "content",
    "csv-huge-number": "attributes",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_hostile_data_files_fail_fast_with_a_located_problem(case: str, data_copy: Path) -> None:
    """An alias bomb, 20,000-deep nesting and 5,000-digit numbers: a DataValidationError that
    names the file, row and column within the time limit; never a hang or a bare exception."""
    corpus = Path(__file__).parent / "broken_data" / case
    for path in corpus.iterdir():
        if path.name != "expected.txt":
            (data_copy / path.name).write_bytes(path.read_bytes())
    file, row, column = (
        (corpus / "expected.txt").read_text(encoding="utf-8").split("\n")[0].split(":")
    )
    _, error = outcome(lambda: kypho_aid.load_dataset(HOSTILE_FILES[case], data_dir=data_copy))
    assert isinstance(error, DataValidationError), error
    first = error.problems[0]
    assert (Path(first.file).name, first.row, first.column) == (file, int(row), column)
    problems, _ = outcome(lambda: kypho_aid.validate(data_copy))
    assert any((Path(p.file).name, p.row, p.column) == (file, int(row), column) for p in problems)


# --- compare, outcomes and the risk view -------------------------------------------------

ATTRIBUTES = kypho_aid.load_dataset("attributes")
TOPICS = sorted({str(t) for t in ATTRIBUTES["topic"]})
ATTRIBUTE_IDS = ATTRIBUTES["attribute_id"].astype(str).tolist()
OUTCOMES = kypho_aid.load_dataset("outcome_definitions")["outcome"].astype(str).tolist()
COMPARISONS = kypho_aid.load_dataset("comparisons")["comparison"].astype(str).tolist()


def selections(known: list[str]) -> st.SearchStrategy[object]:
    """None, one id, or a list, tuple, set, dict or Series of good and bad ids; or anything."""
    item = st.one_of(st.sampled_from(known), st.sampled_from(known), st.text(max_size=10), hostile)
    items = st.lists(item, max_size=4)
    return st.one_of(
        st.none(),
        st.sampled_from(known),
        items,
        items.map(tuple),
        items.map(lambda xs: pd.Series(xs, dtype=object)),
        st.sets(st.sampled_from(known)),
        st.dictionaries(st.sampled_from(known), st.integers(), max_size=3),
        hostile,
    )


def chosen(value: object, known: list[str]) -> list[str] | None:
    """The ids ``value`` selects (all when None), or None when it names something unknown."""
    if value is None:
        return known
    items = [value] if isinstance(value, str) or not isinstance(value, Iterable) else list(value)
    if not items or not all(isinstance(i, str) and i in known for i in items):
        return None
    return [k for k in known if k in items]


@hostile_settings(80)
@given(options=selections(OPTION_IDS), topics=selections([*TOPICS, *ATTRIBUTE_IDS]))
@example(options=[10**5000], topics=None)
@example(options=5, topics=None)
@example(options=None, topics=5)
def test_compare_shows_the_selection_or_names_what_is_unknown(
    options: object, topics: object
) -> None:
    table, error = outcome(lambda: kypho_aid.compare(options=options, topics=topics))
    wanted_options = chosen(options, OPTION_IDS)
    wanted_topics = chosen(topics, [*TOPICS, *ATTRIBUTE_IDS])
    if wanted_options is None:
        assert isinstance(error, UnknownOptionError), short(options)
        assert "option" in str(error), error
        return
    if wanted_topics is None:
        assert isinstance(error, UnknownTopicError), short(topics)
        assert "topic" in str(error), error
        return
    assert error is None, error
    assert list(table.data.columns) == wanted_options
    rows = {
        a
        for a, t in zip(ATTRIBUTE_IDS, ATTRIBUTES["topic"].astype(str), strict=True)
        if t in wanted_topics or a in wanted_topics
    }
    assert set(table.data.index) == rows


@hostile_settings(80)
@given(outcome_ids=selections(OUTCOMES), comparisons=selections(COMPARISONS))
@example(outcome_ids=5, comparisons=None)  # not iterable
@example(outcome_ids=None, comparisons=True)
def test_summary_of_findings_filters_or_names_what_is_unknown(
    outcome_ids: object, comparisons: object
) -> None:
    table, error = outcome(lambda: kypho_aid.summary_of_findings(outcome_ids, comparisons))
    wanted = [chosen(outcome_ids, OUTCOMES), chosen(comparisons, COMPARISONS)]
    for selection, field in zip(wanted, ("outcome", "comparison"), strict=True):
        if selection is None:
            assert type(error) is UnknownTopicError and field in str(error), error
            return
    assert error is None, error
    assert set(table["outcome"].astype(str)) <= set(wanted[0] or ())
    assert set(table["comparison"].astype(str)) <= set(wanted[1] or ())


@hostile_settings(60)
@given(outcome_ids=selections(OUTCOMES), options=selections(OPTION_IDS))
@example(outcome_ids=5, options=None)
def test_summarize_outcomes_filters_or_names_what_is_unknown(
    outcome_ids: object, options: object
) -> None:
    table, error = outcome(lambda: kypho_aid.summarize_outcomes(outcome_ids, options))
    if chosen(outcome_ids, OUTCOMES) is None:
        assert type(error) is UnknownTopicError and "outcome" in str(error), error
        return
    wanted = chosen(options, OPTION_IDS)
    if wanted is None:
        assert type(error) is UnknownOptionError and "option" in str(error), error
        return
    assert error is None, error
    if len(table):
        assert set(table["outcome"].astype(str)) <= set(chosen(outcome_ids, OUTCOMES) or ())
        assert set(table["option_id"].astype(str)) <= set(wanted)


@hostile_settings(60)
@given(
    outcome_id=st.one_of(st.sampled_from(OUTCOMES), selections(OUTCOMES)),
    options=selections(OPTION_IDS),
    view=st.one_of(st.sampled_from(["icons", "numbers", "words"]), hostile),
)
@example(outcome_id=5, options=None, view="icons")
@example(outcome_id="new_fracture", options=None, view=np.array(["icons"]))
def test_risk_view_shows_or_names_what_is_unknown(
    outcome_id: object, options: object, view: object
) -> None:
    shown, error = outcome(lambda: kypho_aid.risk_view(outcome_id, options, view))
    if not (isinstance(view, str) and view in ("icons", "numbers", "words")):
        assert isinstance(error, UnknownTopicError) and "view" in str(error), error
        return
    if chosen(outcome_id, OUTCOMES) is None:
        assert isinstance(error, UnknownTopicError) and "outcome" in str(error), error
        return
    wanted = chosen(options, OPTION_IDS)
    if wanted is None:
        assert isinstance(error, UnknownOptionError) and "option" in str(error), error
        return
    assert error is None, error
    assert shown.view == view and set(shown.options) <= set(wanted)
    assert "<script" not in risk_view_html(shown).lower()


# --- the command line --------------------------------------------------------------------

CLI_WORDS = [
    "validate",
    "compare",
    "datasets",
    "handout",
    "handout",
    "--version",
    "-h",
    "--format",
    "md",
    "csv",
    "html",
    "--options",
    "--topics",
    *OPTION_IDS,
    "how_it_works",
    "--out",
    "--out",
    "--o",
    "--out=h.html",
    "h.html",
    "h.html",
    "mine.htm",
    "H.HTML",
    "x.pdf",
    "..html",
    "nowhere",
    "--pdf",
    "--force",
    "--notes",
    "--leaning",
    "unsure",
    "--rate",
    "--sure",
    "cost=1",
    "cost=9",
    "cost=-1",
    "cost=--5",
    "cost=²",
    "cost=٣",
    "cost=" + "9" * 5000,
    "avoid_new_break=4",
    "S=yes",
    "U=no",
    "R=maybe",
    "Z=yes",
    "=",
    "a=",
    "--",
    "-",
    ".",
    "..",
    "",
    "<script>alert(1)</script>",
    "http://x.org",
    "\x00",
    "nul\x00.html",
    "é✓",
    "\udcff.html",
    "a" * 300 + ".html",
]
# No "/" or "\" anywhere: every path the command line can be given stays in its folder.
CLI_TEXT = st.text(
    alphabet=st.characters(exclude_characters="/\\", exclude_categories=()), max_size=8
)
CLI_TOKENS = st.lists(st.one_of(st.sampled_from(CLI_WORDS), CLI_TEXT), max_size=8)
# The handout command option by option, so that each odd value reaches the code behind it.
_PAIRS = st.sampled_from(
    [
        *("cost=1", "cost=9", "cost=-1", "cost=--5", "cost=²", "cost=٣", "cost=" + "9" * 5000),
        *("avoid_new_break=4", "S=yes", "U=no", "R=maybe", "Z=yes", "cost=1", "é=✓"),
    ]
)
_HANDOUT_OPTIONS = st.one_of(
    st.tuples(st.sampled_from(["--rate", "--sure"]), st.lists(_PAIRS, min_size=1, max_size=3)).map(
        lambda pair: (pair[0], *pair[1])
    ),
    st.tuples(st.just("--notes"), st.one_of(st.sampled_from(NOTE_PIECES), CLI_TEXT)),
    st.tuples(st.just("--leaning"), st.sampled_from([*OPTION_IDS, UNSURE, "laser", ""])),
    st.sampled_from([("--force",), ("--pdf",)]),
)
_OUT_NAMES = st.one_of(
    st.sampled_from(
        [
            *("h.html", "H.HTM", "é✓ h.html", "line\nbreak.html", "\udcff.html", "\ud800.html"),
            *("nul\x00.html", "a" * 300 + ".html", "nowhere/h.html", "..html", "h.pdf", ".", ""),
        ]
    ),
    CLI_TEXT.map(lambda name: name + ".html"),
)
CLI_ARGS = st.one_of(
    CLI_TOKENS,
    st.tuples(st.sampled_from(["handout", "compare", "validate", "datasets"]), CLI_TOKENS).map(
        lambda pair: [pair[0], *pair[1]]
    ),
    st.tuples(_OUT_NAMES, st.lists(_HANDOUT_OPTIONS, max_size=4)).map(
        lambda pair: ["handout", "--out", pair[0], *(word for option in pair[1] for word in option)]
    ),
)


@hostile_settings(150)
@given(argv=CLI_ARGS)
@example(argv=["handout", "--out", "\udcff.html"])  # an undecodable byte, as argv gives it
@example(argv=["validate", "\udcff"])
@example(argv=["validate", "a" * 300])
@example(argv=["handout", "--out", "a" * 300 + ".html"])
@example(argv=["handout", "--out", "nul\x00.html"])
@example(argv=["handout", "--out", "h.html", "--rate", "cost=²", "avoid_new_break=--5"])
@example(argv=["handout", "--out", "h.html", "--rate", "cost=" + "9" * 5000])
def test_the_command_line_answers_with_an_exit_code_never_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.setenv("KYPHO_AID_CHROMIUM", str(tmp_path / "no-chromium"))  # --pdf must fail
    box = Path(tempfile.mkdtemp(dir=tmp_path))
    before = tree(tmp_path)
    # what a terminal does: stdout strict UTF-8, stderr with backslash escapes
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    with contextlib.chdir(box), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code, _ = outcome(lambda: cli.main(argv))
        except SystemExit as stop:  # argparse: usage errors, --help, --version
            code = stop.code
    out.flush()
    err.flush()
    said = err.buffer.getvalue().decode("utf-8")
    assert code in (0, 1, 2), f"{short(argv)} -> {code}: {said[-300:]}"
    assert "Traceback" not in said and "internal error" not in said, said[-300:]
    after = tree(tmp_path)
    added = set(after) - set(before) - {box.name}
    assert all(Path(a).parent == Path(box.name) for a in added), added
    assert all(Path(a).suffix.lower() in (".html", ".htm") for a in added), added
    assert {k: v for k, v in after.items() if k in before} == before
