import factory

from readings.models import DailyCard
from tests.accounts.factories import UserFactory


class DailyCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyCard

    user = factory.SubFactory(UserFactory)
