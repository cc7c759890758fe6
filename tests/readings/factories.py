import factory

from readings.models import DailyCard, Reading
from tests.accounts.factories import UserFactory


class ReadingFactory(factory.django.DjangoModelFactory):
    """A reading row without drawn cards; use readings.services.reading_create for real draws."""

    class Meta:
        model = Reading

    user = factory.SubFactory(UserFactory)
    question = "올해 나는 어떤 길을 걷게 될까요?"


class DailyCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyCard

    user = factory.SubFactory(UserFactory)
