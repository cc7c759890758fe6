"""The major arcana's numbering as the cards print it: 0 for the Fool, then I to XXI.

One function for the face (tarot/art), the card page (the ``roman`` filter) and the daily-card
messages (readings/notifications.py), so a card never shows two numerals.
"""


def roman_numeral(number: int) -> str:
    if number == 0:
        return "0"
    numerals = []
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        numerals.append(letters * count)
    return "".join(numerals)
