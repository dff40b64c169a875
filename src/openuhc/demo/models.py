from __future__ import annotations

from django.db import models
from django.utils import timezone


class DemoLoad(models.Model):
    """Marks a database that holds the demo province, with the seed and size it was built from."""

    seed = models.IntegerField()
    people = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"demo seed={self.seed} people={self.people}"
