import datetime

import factory

from accounts.models import User

PASSWORD = "correct horse battery"
# Before every instant the tests freeze the clock at: a test's member has joined by its "today",
# whatever day the suite runs. A test about the join date passes its own.
JOINED = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


class UserFactory(factory.django.DjangoModelFactory):
    """Users made the way sign-up makes them: through the manager, which normalises the email."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    password = PASSWORD
    date_joined = JOINED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, password=PASSWORD, **kwargs):
        user = model_class(*args, **kwargs)
        user.set_password(password)
        return user
