"""What every page's scripts need from the settings."""

from django.conf import settings


def realtime(request) -> dict:
    # The notification center leaves these broadcasts out of the bell, as the unread count does.
    return {"ambient_event_types": ",".join(settings.KAZI_AMBIENT_EVENT_TYPES)}
