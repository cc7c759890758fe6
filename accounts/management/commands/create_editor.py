from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from accounts.editors import CONTENT_EDITORS_GROUP, editor_create, editor_invite
from accounts.tokens import INVITATION_MAX_AGE
from core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        f"Make EMAIL a content editor: a staff account in the “{CONTENT_EDITORS_GROUP}” group. "
        "A new account (or one without a password) is mailed an invitation to choose its "
        "password; run it again to send a fresh invitation. Otherwise idempotent."
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
        link = editor_invite(user=user)
        if link is None:
            return
        hours = int(INVITATION_MAX_AGE.total_seconds() // 3600)
        self.stdout.write(
            f"Sent an invitation to {user.email} to choose a password "
            f"(the link works once, for {hours} hours)."
        )
        # The link is a credential: printed only where no real mail may arrive (development).
        if settings.DEBUG:
            self.stdout.write(f"Invitation link (development only): {link}")
