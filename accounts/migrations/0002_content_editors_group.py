"""The "Content editors" group: view/add/change on decks, cards, spreads and positions only.

Permissions are normally created after `migrate` finishes (post_migrate), so on a fresh
database they do not exist yet when this runs: create them here first for the tarot app.
"""

from django.db import migrations

# Frozen on purpose, not imported from core/permissions.py: this is what the group was given when
# this migration ran, and a fresh database must end up where every migrated one did. A change to
# the live list comes with a new data migration (tests/admin/test_permissions.py compares them).
GROUP = "Content editors"
MODELS = ("deck", "card", "spread", "spreadposition")
ACTIONS = ("view", "add", "change")


def create_content_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    database = schema_editor.connection.alias
    tarot = apps.get_app_config("tarot")
    # Migration state apps have no models module; create_permissions skips such apps.
    tarot.models_module = True
    try:
        create_permissions(tarot, apps=apps, verbosity=0, using=database)
    finally:
        tarot.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    permissions = list(
        Permission.objects.using(database).filter(
            content_type__app_label="tarot", codename__in=codenames
        )
    )
    if len(permissions) != len(codenames):
        found = {permission.codename for permission in permissions}
        raise RuntimeError(f"Missing tarot permissions: {sorted(set(codenames) - found)}")
    group, _created = Group.objects.using(database).get_or_create(name=GROUP)
    group.permissions.set(permissions)


def remove_content_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("tarot", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_content_editors, remove_content_editors)]
