"""The one writer of deck content: seeding and importing both bring rows to their values here.

Which texts a deck, card, spread or position carries per language is said once, by the
registration in tarot/translation.py; ``translated_fields`` reads it for everyone else.
"""

from dataclasses import dataclass, field

from django.db import models
from modeltranslation.translator import translator


def translated_fields(model: type[models.Model]) -> list[str]:
    """The model's translated fields in declaration order (so files and forms read stably)."""
    names = set(translator.get_options_for_model(model).fields)
    return [
        model_field.name for model_field in model._meta.concrete_fields if model_field.name in names
    ]


@dataclass(frozen=True)
class RowWrite:
    """What writing one row did: ``created``, ``updated`` or ``unchanged``, and what moved."""

    outcome: str
    changed: list[str] = field(default_factory=list)


def deck_row_write(
    *,
    instance: models.Model,
    values: dict[str, object],
    overwrite: bool = True,
    also_changed: tuple[str, ...] = (),
) -> RowWrite:
    """Save a new ``instance`` with ``values``, or bring a saved one to them.

    ``overwrite=False`` leaves a saved row as it is: seeding keeps what editors changed.
    ``also_changed`` names fields that differ in a way ``values`` cannot show (art that a dry
    run does not store). Whatever their source, the values written obey the model's field rules.
    """
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    changed += [name for name in also_changed if name not in changed]
    created = instance.pk is None
    if not created and not (overwrite and changed):
        return RowWrite("unchanged")
    for name, value in values.items():
        setattr(instance, name, value)
    # Only the fields given: parent rows, timestamps and the per-language mirrors are not the
    # caller's to set. Uniqueness is the database's to enforce, in the caller's transaction.
    instance.full_clean(
        exclude=[
            model_field.name
            for model_field in instance._meta.concrete_fields
            if model_field.name not in values
        ],
        validate_unique=False,
        validate_constraints=False,
    )
    instance.save()
    return RowWrite("created") if created else RowWrite("updated", changed)
