"""Match keys for names across Kazakh Cyrillic, Russian-style Cyrillic and Latin spellings.

Names are stored as entered; search and duplicate detection compare two derived keys:
- `folded`: Cyrillic with Kazakh letters folded to their Russian look-alikes (Айгерім → айгерим), Latin kept;
- `skeleton`: an ASCII transliteration from either script with doubled letters collapsed (AIGERIM, Айгерім,
  Айгерiм and Aigerım all give "aigerim"), compared exactly or with a small edit distance.
"""

from __future__ import annotations

import unicodedata

_KAZAKH_TO_RUSSIAN = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
    }
)

# Cyrillic (Russian and Kazakh letters) to a plain ASCII skeleton.
_CYRILLIC = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "і": "i",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
# Latin letters of passports and of the 2021 Kazakh alphabet, after lower-casing and accent stripping.
_LATIN = {
    "q": "k",
    "j": "zh",
    "x": "h",
    "w": "u",
    "c": "ts",
}
# Letters that lose their identity when accents are stripped are mapped before.
_LATIN_SPECIAL = {
    "ä": "a",
    "ö": "o",
    "ü": "u",
    "ū": "u",
    "ğ": "g",
    "ñ": "n",
    "ŋ": "n",
    "ş": "sh",
    "ı": "i",
    "i̇": "i",
    "ç": "ch",
}
# Russian-style Latin digraphs that equal one sound of the skeleton.
_DIGRAPHS = (("kh", "h"), ("yu", "iu"), ("ya", "ia"), ("yo", "e"), ("zh", "zh"))


def _lower(name: str) -> str:
    # Fold I, ı, İ and i to one plain i on purpose: lower() turns İ into two code points.
    return name.replace("İ", "i").replace("I", "i").replace("ı", "i").lower().replace("i̇", "i")


def folded(name: str) -> str:
    """Lower-case, Kazakh letters folded to Russian look-alikes, Latin i in Cyrillic words read as і."""
    text = " ".join(_lower(name).split())
    if any("а" <= ch <= "я" or ch in "әғқңөұүһіё" for ch in text):
        text = text.replace("i", "і")  # Айгерiм: a Latin i typed for the Kazakh і
    return text.translate(_KAZAKH_TO_RUSSIAN)


def skeleton(name: str) -> str:
    """An ASCII key equal for the usual spellings of one name in either script."""
    text = _lower(name).replace("ch", "ч")  # Latin ch is one sound, not c (ts) + h
    out: list[str] = []
    for ch in text:
        if ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _LATIN_SPECIAL:
            out.append(_LATIN_SPECIAL[ch])
        else:
            plain = unicodedata.normalize("NFKD", ch)
            plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
            if plain.isascii() and plain.isalpha():
                out.append(_LATIN.get(plain, plain))
            elif ch.isspace() or ch == "-":
                out.append(" ")
    key = _collapse("".join(out))
    for digraph, sound in _DIGRAPHS:
        key = key.replace(digraph, sound)
    return " ".join(_collapse(key).split())


def _collapse(key: str) -> str:
    """Doubled letters count once (Жанна, Zhanna and Janna meet)."""
    collapsed: list[str] = []
    for ch in key:
        if not collapsed or collapsed[-1] != ch or ch == " ":
            collapsed.append(ch)
    return "".join(collapsed)


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, stopping early once it exceeds `limit` (returns limit + 1 then)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)
