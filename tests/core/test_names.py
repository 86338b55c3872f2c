"""Name keys (domain-kz.md §8): one name in Kazakh Cyrillic, Russian Cyrillic and Latin gives one key."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tirek.core.names import edit_distance, folded, skeleton

KAZAKH_TO_RUSSIAN = str.maketrans("әғқңөұүһіёӘҒҚҢӨҰҮҺІЁ", "агкноуухиеАГКНОУУХИЕ")
RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
KAZAKH = "әғқңөұүһі"
LATIN = "abcdefghijklmnopqrstuvwxyz"
LATIN_2021 = "äğıñŋöşūüİ"
# What people type in a name field: either script, either case, spaces and hyphens (Мұхамед-Әли).
NAME_ALPHABET = (
    RUSSIAN + RUSSIAN.upper() + KAZAKH + KAZAKH.upper() + LATIN + LATIN.upper() + LATIN_2021 + " -"
)
names = st.text(alphabet=NAME_ALPHABET, max_size=30)
cyrillic_names = st.text(alphabet=RUSSIAN + RUSSIAN.upper() + KAZAKH + KAZAKH.upper() + " -", max_size=30)


@pytest.mark.parametrize(
    "spellings",
    [
        ["Айгерім", "Айгерим", "Айгерiм", "AIGERIM", "Aigerım", "Aigerim"],
        ["Нұрлан", "Нурлан", "NURLAN", "Nūrlan"],
        ["Жанна", "Zhanna", "Janna", "ZHANNA"],
        ["Қасымова", "Касымова", "Kasymova", "Qasymova"],
        ["Шынар", "Shynar", "Şynar"],
        ["Ғалым", "Галым", "Galym", "Ğalym"],
        ["Теңіз", "Тениз", "Teñiz", "Teŋiz"],
        ["Әсел", "Asel", "Äsel"],
        ["Мұхаммед", "Mukhammed", "Muhammed"],
    ],
    ids=lambda spellings: spellings[0],
)
def test_the_usual_spellings_of_a_name_share_one_skeleton(spellings):
    assert len({skeleton(name) for name in spellings}) == 1


def test_a_full_name_keeps_its_words_in_its_skeleton():
    assert skeleton("Қасымова  Айгерім Нұрланқызы") == "kasymova aigerim nurlankyzy"
    assert skeleton("КАСЫМОВА-ОМАРОВА Айгерім") == "kasymova omarova aigerim"


@pytest.mark.parametrize("name", ["İlyas", "Ilyas", "ılyas", "ILYAS", "Ильяс"])
def test_dotted_and_dotless_i_fold_to_one_plain_i(name):
    # lower() turns «İ» into i and a combining dot: the keys fold every i to one code point on purpose.
    assert skeleton(name) == "ilias"
    assert "̇" not in folded(name)


def test_folded_reads_kazakh_letters_and_a_latin_i_as_their_russian_look_alikes():
    assert folded("Айгерім") == folded("Айгерим") == folded("Айгерiм") == "айгерим"
    assert folded("Нұрлан ҚАСЫМОВ") == "нурлан касымов"
    assert folded("AIGERIM") == "aigerim"  # Latin stays Latin


def test_a_latin_ch_is_the_cyrillic_ch():
    assert skeleton("Чингиз") == skeleton("CHINGIZ") == skeleton("Chingiz")


@given(names)
def test_a_skeleton_of_a_name_is_ascii_lower_case(name):
    key = skeleton(name)
    assert key.isascii()
    assert key == key.lower()
    assert key == " ".join(key.split())


@given(st.text())
@example("℠")
def test_a_skeleton_of_any_text_is_ascii_lower_case(text):
    key = skeleton(text)
    assert key.isascii()
    assert key == key.lower()


@given(names)
@example("Чингиз")
@example("ККХ")
def test_the_skeleton_of_a_skeleton_is_itself(name):
    key = skeleton(name)
    assert skeleton(key) == key


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


short = st.text(alphabet="abkhiz ", max_size=12)
limits = st.integers(min_value=0, max_value=4)


@given(short, short, limits)
def test_edit_distance_is_exact_within_the_limit_and_beyond_it_beyond(a, b, limit):
    distance = edit_distance(a, b, limit)
    expected = levenshtein(a, b)
    if expected <= limit:
        assert distance == expected
    else:
        assert distance > limit


@given(short, short, limits)
def test_edit_distance_is_symmetric_within_the_limit(a, b, limit):
    assert min(edit_distance(a, b, limit), limit + 1) == min(edit_distance(b, a, limit), limit + 1)


@given(short, short)
def test_edit_distance_is_zero_exactly_for_equal_keys(a, b):
    assert (edit_distance(a, b) == 0) == (a == b)
    assert edit_distance(a, a) == 0


@given(cyrillic_names)
def test_a_kazakh_spelling_folds_like_its_russian_look_alike(name):
    assert folded(name) == folded(name.translate(KAZAKH_TO_RUSSIAN))
