from django.core.management.base import BaseCommand, CommandError, no_translations

from accounts.editors import CONTENT_EDITORS_GROUP, editor_create
from core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        f"Make EMAIL a content editor: a staff account in the “{CONTENT_EDITORS_GROUP}” group "
        "(created without a usable password if new). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    # Operators' logs read the same everywhere: the source (English) text, like seed_deck.
    @no_translations
    def handle(self, *args, email, **options):
        try:
            user, created = editor_create(email=email)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created the content editor {user.email}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{user.email} is now a content editor."))
        if created or not user.has_usable_password():
            self.stdout.write(
                "The account has no password yet. Set one with:\n"
                f"  python manage.py changepassword {user.email}\n"
                "or let the editor choose one through the password reset page."
            )
