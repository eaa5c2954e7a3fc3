"""Vietnamese alphabetical order, for lists of people.

Lists of delegates are sorted the Vietnamese way: by given name (tên, the last word),
then the middle name(s), then the family name. Letters follow the Vietnamese alphabet
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), so Đ comes after D and
Ư after U; a letter's tone marks come after the letter itself, in dictionary order:
none, huyền, hỏi, ngã, sắc, nặng (as in Từ điển tiếng Việt and CLDR's "vi" collation).
Letters first, tones second: "Ánh" sorts before "Bình", and "An" before "Án".
"""

from __future__ import annotations

import functools
import unicodedata

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# After NFD, a vowel's shape (breve, circumflex, horn) follows its base letter…
SHAPED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# …and its tone is ordered apart: none, huyền, hỏi, ngã, sắc, nặng.
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(letters, tones) of one word: letters decide first, tones only break ties."""
    letters: list[str] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", word.casefold()):
        if ch in TONES and tones:
            tones[-1] = TONES[ch]
        elif letters and (letters[-1], ch) in SHAPED:
            letters[-1] = SHAPED[(letters[-1], ch)]
        elif not unicodedata.combining(ch):
            letters.append(ch)
            tones.append(0)
    # Letters outside the Vietnamese alphabet (f, j, w, z, digits) sort after it.
    ranks = tuple(ALPHABET.index(c) if c in ALPHABET else len(ALPHABET) + ord(c) for c in letters)
    return ranks, tuple(tones)


@functools.lru_cache(maxsize=8192)  # every push sorts the same few hundred names again
def name_sort_key(full_name: str) -> tuple:
    """Key for sorted(): the given name, then the middle name(s), then the family name,
    each compared whole (letters, then tones) before the next."""
    words = full_name.split()
    if len(words) < 2:
        return (tuple(word_key(w) for w in words), full_name)
    ordered = [words[-1], *words[1:-1], words[0]]
    return (tuple(word_key(w) for w in ordered), full_name)
