from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarOverride, Unit


@receiver([post_save, post_delete], sender=CalendarOverride)
@receiver([post_save, post_delete], sender=Unit)
def _forget_calendars(**_kwargs):
    from . import calendars  # imported late: the engine is not needed to boot the app

    calendars.clear_cache()
