"""Repeated reports on the same matter (indicator 5.3 counts them against satisfaction).

A new report repeats an earlier one (received in the last REPEAT_WINDOW_DAYS, not refused) when:
* both name the same dossier (a dossier is one matter); or
* both name the same official and their texts are at least LOOSE similar; or
* they are of the same class and their texts are at least CLOSE similar.

Similarity is the Jaccard index of the two sets of folded words (core.text.fold: marks stripped, đ→d,
casefolded) of title + text, ignoring one-letter words: |A ∩ B| / |A ∪ B|. Simple, explainable, and the
same on both databases (computed in Python over a bounded candidate list). The repeat links to the
earliest report of the matter, so a chain of repeats stays one matter.
"""
import re

from kycuong.core.text import fold

REPEAT_WINDOW_DAYS = 90
LOOSE = 0.3
CLOSE = 0.6
MAX_CANDIDATES = 500


def word_set(*texts) -> set[str]:
    words = set()
    for t in texts:
        words.update(w for w in re.split(r"[^0-9a-z]+", fold(t or "")) if len(w) > 1)
    return words


def words_key(*texts) -> str:
    return " ".join(sorted(word_set(*texts)))


def similarity(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
