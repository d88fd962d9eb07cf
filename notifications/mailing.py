"""Notifications by mail: urgent ones at once, the rest as one digest to users with no open socket.

Both go through core.mail (one outgoing row per key, sent once by a Celery task):
- `notification_mail_now` is called by a domain's events.py right after it published an urgent notification
  (interviews: scheduled, moved, cancelled, reminders), with whatever it attaches (the .ics). Key
  `notification:{id}:{user}`. The event is marked with the `email` channel so no digest repeats it.
- `digests_send` (beat, every minute) mails each offline user their unread, undelivered, unmailed notifications
  in one digest, once the oldest of them has waited KAZI_EMAIL_DIGEST_MINUTES and the last digest is at least
  that old: at most one mail per window, never one per chat message. A user with an open socket got them live:
  the digest skips them and moves its cursor past them. Each user's digest is one transaction (cursor, last
  sent time, outgoing row), so a worker killed midway leaves either all of it or nothing, and a rerun redoes
  only what did not commit.

Preferences: `email_enabled` switches mail off entirely; `email_types` per kind (notifications/kinds.py has the
defaults). The signed link in List-Unsubscribe turns off the kind of the mail (a digest: all mail).
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.mail import Attachment, mail_queue
from notifications.kinds import BY_TYPE, NEVER_MAILED, email_default, kind_of
from notifications.models import Notification, NotificationPreference
from notifications.presence import online_user_ids
from notifications.services import preferences_update

UNSUBSCRIBE_SALT = "kazi.notifications.unsubscribe"
ALL_MAIL = "*"
# A digest never brings up what is older than this (an install that turns digests on must not mail history).
DIGEST_LOOKBACK = timedelta(days=1)
# Most notifications listed in one digest mail; the count covers them all.
DIGEST_LISTED = 50
DIGEST_USERS_PER_RUN = 500


def email_wanted(preference: NotificationPreference | None, kind: str) -> bool:
    if kind in NEVER_MAILED:
        return False
    if preference is None:
        return email_default(kind)
    return preference.email_enabled and bool(preference.email_types.get(kind, email_default(kind)))


def unsubscribe_token(*, user_id: int, kind: str = ALL_MAIL) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user_id: int, kind: str = ALL_MAIL) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return settings.KAZI_SITE_URL + reverse("web:unsubscribe", kwargs={"token": token})


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a valid token; None for a forged or mangled one. Tokens do not expire: a mail read a
    year later must still unsubscribe."""
    try:
        claims = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("u"), int) or not isinstance(claims.get("k"), str):
        return None
    return claims["u"], claims["k"]


def kind_label(kind: str) -> str:
    if kind == ALL_MAIL:
        return "all email notifications"
    known = BY_TYPE.get(kind)
    return f"“{known.label}” emails" if known else f"“{kind}” emails"


def _notification_context(notification: Notification, extra: dict | None) -> dict:
    return {
        "title": notification.title
        or notification.message[:80]
        or kind_of(notification.event_type, notification.notification_type).replace("_", " ").capitalize(),
        "message": notification.message,
        "url": settings.KAZI_SITE_URL + "/",
        **(extra or {}),
    }


@transaction.atomic
def notification_mail_now(
    *,
    notification: Notification,
    template: str = "notification",
    context: dict | None = None,
    attachments: Sequence[Attachment] = (),
) -> bool:
    """Mail one stored notification to its recipient now, in the caller's transaction, if their preferences
    want mail of its kind; True when queued (False too when it was queued before: the key is per event)."""
    if notification.recipient_id is None or notification.is_read:  # a role broadcast, or muted (stored read)
        return False
    user = notification.recipient
    kind = kind_of(notification.event_type, notification.notification_type)
    preference = NotificationPreference.objects.filter(user=user).first()
    if not (user.is_active and user.email and email_wanted(preference, kind)):
        return False
    queued = mail_queue(
        key=f"notification:{notification.pk}:{user.pk}",
        to=user.email,
        template=template,
        context=_notification_context(notification, context),
        attachments=attachments,
        unsubscribe_url=unsubscribe_url(user_id=user.pk, kind=kind),
    )
    if "email" not in notification.channels:
        notification.channels = [*notification.channels, "email"]
        Notification.objects.filter(pk=notification.pk).update(channels=notification.channels)
    return queued


def _undigested(now: datetime):
    """Personal notifications a digest may carry: unread, never delivered to a socket, not mailed, recent."""
    return (
        Notification.objects.filter(
            recipient__isnull=False, is_read=False, delivered_at__isnull=True, created_at__gte=now - DIGEST_LOOKBACK
        )
        .exclude(channels__contains=["email"])
        .exclude(event_type__in=NEVER_MAILED)
    )


def digest_due_user_ids(*, now: datetime, limit: int = DIGEST_USERS_PER_RUN) -> list[int]:
    """Users whose oldest undigested notification has waited a whole window, and whose last digest (if any) is
    a window old, and who take mail at all."""
    window_start = now - timedelta(minutes=settings.KAZI_EMAIL_DIGEST_MINUTES)
    preference = "recipient__notification_preference__"
    due = (
        _undigested(now)
        .filter(created_at__lte=window_start, recipient__is_active=True)
        .exclude(recipient__email="")
        .filter(
            Q(**{f"{preference}isnull": True})
            | Q(
                Q(**{f"{preference}digest_sent_at__isnull": True})
                | Q(**{f"{preference}digest_sent_at__lte": window_start}),
                **{f"{preference}email_enabled": True, "id__gt": F(f"{preference}digested_through_id")},
            )
        )
    )
    return list(due.order_by("recipient_id").values_list("recipient_id", flat=True).distinct()[:limit])


@transaction.atomic
def digest_send(*, user_id: int, now: datetime, online: bool) -> bool:
    """One user's digest: queue it and move their cursor, in one transaction. True when a mail was queued.

    `online`: the user has an open socket, so they saw these live; the cursor moves past them unmailed."""
    NotificationPreference.objects.bulk_create([NotificationPreference(user_id=user_id)], ignore_conflicts=True)
    # SKIP LOCKED: two beat runs that overlap never digest the same user twice; the second passes them by.
    preference = (
        NotificationPreference.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .filter(user_id=user_id)
        .first()
    )
    window_start = now - timedelta(minutes=settings.KAZI_EMAIL_DIGEST_MINUTES)
    if preference is None or (preference.digest_sent_at and preference.digest_sent_at > window_start):
        return False
    pending = list(
        _undigested(now)
        .filter(recipient_id=user_id, id__gt=preference.digested_through_id, created_at__lte=now)
        .order_by("id")
        .values("id", "event_type", "notification_type", "title", "message", "created_at")[:1000]
    )
    if not pending:
        return False
    preference.digested_through_id = pending[-1]["id"]
    wanted = (
        []
        if online
        else [n for n in pending if email_wanted(preference, kind_of(n["event_type"], n["notification_type"]))]
    )
    fields = ["digested_through_id"]
    user = preference.user
    queued = False
    if wanted and user.email and user.is_active:
        queued = mail_queue(
            key=f"digest:{user_id}:{preference.digested_through_id}",
            to=user.email,
            template="digest",
            context=_digest_context(user, wanted),
            unsubscribe_url=unsubscribe_url(user_id=user_id),
        )
        preference.digest_sent_at = now
        fields.append("digest_sent_at")
    NotificationPreference.objects.filter(pk=preference.pk).update(
        **{field: getattr(preference, field) for field in fields}
    )
    return queued


def _digest_context(user, notifications: list[dict]) -> dict:
    newest_first = notifications[::-1]
    return {
        "name": user.first_name or user.email,
        "count": len(notifications),
        "items": [
            {
                "title": n["title"] or n["message"][:80],
                "message": n["message"] if n["title"] else "",
                "at": n["created_at"].strftime("%d %b %H:%M UTC"),
            }
            for n in newest_first[:DIGEST_LISTED]
        ],
        "more": max(0, len(notifications) - DIGEST_LISTED),
        "url": settings.KAZI_SITE_URL + "/",
    }


def digests_send(*, now: datetime | None = None) -> int:
    """Every due user's digest (beat, every minute); the number of digest mails queued."""
    now = now or timezone.now()
    due = digest_due_user_ids(now=now)
    online = online_user_ids(due)
    return sum(digest_send(user_id=user_id, now=now, online=user_id in online) for user_id in due)


def unsubscribe_apply(*, token: str) -> tuple[str, NotificationPreference] | None:
    """The one-click unsubscribe of a signed link: no more mail of its kind (ALL_MAIL: no mail at all). The kind
    turned off and the preferences; None for a bad token or a user that is gone."""
    claims = unsubscribe_read(token)
    user = claims and get_user_model().objects.filter(pk=claims[0]).first()
    if not user:
        return None
    kind = claims[1]
    if kind == ALL_MAIL:
        return kind, preferences_update(user=user, email_enabled=False)
    return kind, preferences_update(user=user, types={kind: {"email": False}})
