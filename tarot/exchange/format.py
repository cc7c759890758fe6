"""The deck file as export writes it and import reads it.

JSON: the deck, its cards in every language, and all spreads with their positions. Uploaded
art is referenced by its storage name; ``--with-art`` bundles the files in a zip
(``deck.json`` plus ``art/<storage name>``).
"""

FORMAT = "tarot-master-deck"
FORMAT_VERSION = 1
ARCHIVE_DOCUMENT = "deck.json"
ARCHIVE_ART_PREFIX = "art/"
ZIP_MAGIC = b"PK\x03\x04"

# Each entry's untranslated fields; every translated field follows as {language: text}.
DECK_FIELDS = ("slug", "is_default")
CARD_FIELDS = (
    "slug",
    "arcana",
    "number",
    "suit",
    "rank",
    "element",
    "yes_no",
    "position",
    "is_published",
)
SPREAD_FIELDS = ("slug", "order", "answers_yes_no", "is_published")
POSITION_FIELDS = ("order", "x", "y", "rotated")
