from tarot.numerals import roman_numeral


def test_major_arcana_are_numbered_in_roman_numerals():
    assert [roman_numeral(n) for n in (0, 1, 4, 9, 14, 17, 19, 21)] == [
        "0",
        "I",
        "IV",
        "IX",
        "XIV",
        "XVII",
        "XIX",
        "XXI",
    ]
