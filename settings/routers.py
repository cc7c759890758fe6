"""Read replicas: reads go to a replica, everything that must see its own writes to the primary.

Active when ``DATABASE_REPLICA_URLS`` lists replicas (settings.production adds them as
``replica_1``…``replica_n`` in ``DATABASE_REPLICAS``). The primary (``default``) serves:

- every write;
- every read inside a transaction (an ``atomic`` block), which must see that transaction's rows
  and take its locks;
- every read after a write in the same request or task, so a page never misses the row it has
  just created because the replica is a moment behind.
"""

import contextvars
import random

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Reset at the start of each request (RequestIdMiddleware) and each Celery task.
_wrote_to_primary: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "wrote_to_primary", default=False
)


def primary_pin_reset() -> None:
    _wrote_to_primary.set(False)


class ReplicaRouter:
    def __init__(self):
        self.replicas = list(getattr(settings, "DATABASE_REPLICAS", []))
        self.pool = {DEFAULT_DB_ALIAS, *self.replicas}

    def db_for_read(self, model, **hints) -> str:
        if (
            not self.replicas
            or _wrote_to_primary.get()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return random.choice(self.replicas)  # noqa: S311 (load spreading, not security)

    def db_for_write(self, model, **hints) -> str:
        _wrote_to_primary.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Replicas hold the primary's rows, so objects from any of them may be related.
        if obj1._state.db in self.pool and obj2._state.db in self.pool:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
