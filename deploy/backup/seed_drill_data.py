"""Rows in every kind of table for the backup drill (run by drill.sh through manage.py shell).

Text in several scripts, emoji and line breaks, so a dump that mangled encodings would show.
"""

import datetime

from accounts.models import User
from readings.models import NotificationDelivery
from readings.services import (
    daily_card_get_or_create,
    reading_create,
    reading_share,
    reading_update_notes,
)
from tarot.models import Spread

spreads = list(Spread.objects.order_by("order"))
today = datetime.date(2026, 1, 15)
for number in range(12):
    user = User.objects.create_user(f"drill{number}@example.com", "drill-only password 1")
    user.display_name = f"드릴 {number} 🔮"
    user.save(update_fields=["display_name"])
    for index, spread in enumerate(spreads[: 1 + number % len(spreads)]):
        reading = reading_create(user=user, spread=spread, question=f"질문 {index}: 올해는? ✨")
        reading_update_notes(reading=reading, notes="첫 줄\n둘째 줄 — مرحبا 👩‍👩‍👧")
        if index % 2:
            reading_share(reading=reading)
    for days in range(5):
        daily_card_get_or_create(user=user, on_date=today - datetime.timedelta(days=days))
    NotificationDelivery.objects.create(
        user=user,
        local_date=today,
        channel="email",
        status="sent",
        attempts=1,
        next_attempt_at=datetime.datetime(2026, 1, 15, tzinfo=datetime.UTC),
    )
reading_create(user=None, spread=spreads[0], question="익명")
print("drill data:", User.objects.count(), "users")
