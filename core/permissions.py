"""What editing the deck takes, as Django permission names: one list for the group accounts
grants (accounts/editors.py) and for the checks the deck's admin makes (tarot/admin.py).

It sits under both apps because accounts and tarot may not import each other (pyproject.toml);
it names the deck's models as strings and imports nothing.
"""

DECK_CONTENT_MODELS = ("deck", "card", "spread", "spreadposition")


def _deck_permissions(*actions: str) -> tuple[str, ...]:
    return tuple(f"tarot.{action}_{model}" for model in DECK_CONTENT_MODELS for action in actions)


# What a deck import can create or change.
DECK_IMPORT_PERMISSIONS = _deck_permissions("add", "change")
# The content editors' group: all an import needs, and seeing the deck; deleting stays with
# superusers. The data migration accounts/0002 granted the same list when it ran.
CONTENT_EDITOR_PERMISSIONS = _deck_permissions("view", "add", "change")
