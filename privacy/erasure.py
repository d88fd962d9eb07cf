"""Erasure of a deleted account after its grace period: every holding of privacy.inventory deleted or
detached, their stored files removed, then the User row itself."""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from accounts.models import User
from chat.frames import DELETED_USER
from notifications.models import Notification
from privacy.inventory import HOLDINGS, Erase, Holding

logger = logging.getLogger(__name__)

# How the domains' events name a person in other people's stored events (see each app's events.py): by id
# under these keys, by name under the others.
_PERSON_ID_KEYS = ("sender_id", "applicant_id", "user_id", "candidate_id")
_PERSON_NAME_KEYS = ("applicant_name", "candidate_name", "name")


def _rows(holding: Holding, user: User) -> models.QuerySet:
    if holding.by_email:
        return holding.model._default_manager.filter(**{f"{holding.field}__iexact": user.email})
    return holding.model._default_manager.filter(**{holding.field: user})


def _stored_files(rows: models.QuerySet) -> list:
    file_fields = [f.attname for f in rows.model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not file_fields:
        return []
    return [getattr(row, name) for row in rows for name in file_fields if getattr(row, name)]


@transaction.atomic
def account_erase(*, user: User) -> dict[str, int]:
    """Erase what Kazi holds about a person: answers {model label: rows deleted or detached}."""
    user = User.objects.select_for_update().get(pk=user.pk)
    counts: dict[str, int] = {}
    files = []
    for holding in HOLDINGS:
        rows = _rows(holding, user)
        if holding.erase == Erase.DELETE:
            files += _stored_files(rows)
            # The collector deletes what depends on these rows too (an application's status history).
            _, deleted = rows.delete()
            for label, count in deleted.items():
                counts[label] = counts.get(label, 0) + count
        else:
            counts[holding.label] = counts.get(holding.label, 0) + rows.update(**{holding.field: None}, **holding.clear)
    counts["notifications.Notification (mentions)"] = _scrub_mentions(user)
    user.delete()
    # Files go once the rows are surely gone: a rollback must not leave rows without their files.
    transaction.on_commit(lambda: [stored.storage.delete(stored.name) for stored in files])
    return counts


def accounts_erase_due(*, now=None) -> int:
    """Erase every account whose deletion was asked for more than KAZI_ACCOUNT_DELETION_GRACE_DAYS ago, one
    transaction each; two workers never take the same account."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.KAZI_ACCOUNT_DELETION_GRACE_DAYS)
    erased, failed = 0, set()
    while True:
        try:
            with transaction.atomic():
                user = (
                    User.objects.select_for_update(skip_locked=True)
                    .filter(is_active=False, deletion_requested_at__lte=cutoff)
                    .exclude(pk__in=failed)
                    .order_by("deletion_requested_at", "pk")
                    .first()
                )
                if user is None:
                    return erased
                account_erase(user=user)
                erased += 1
        except DatabaseError:
            # One account that cannot be erased (a new constraint, say) must not hold up the others: it is
            # logged, and tried again at the next run.
            logger.exception("could not erase deleted account %s", user.pk)
            failed.add(user.pk)


def _mentions(user: User) -> models.QuerySet:
    pk = str(user.pk)
    mentioned = models.Q(data__message__sender_id=pk) | models.Q(data__candidates__contains=[{"candidate_id": pk}])
    for key in _PERSON_ID_KEYS:
        mentioned |= models.Q(data__contains={key: pk})
    return Notification.objects.filter(mentioned)


def _scrubbed(value, pk: str, name: str):
    if isinstance(value, dict):
        return {
            key: None
            if key in _PERSON_ID_KEYS and item == pk
            else DELETED_USER
            if key in _PERSON_NAME_KEYS and item == name
            else _scrubbed(item, pk, name)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrubbed(item, pk, name) for item in value]
    if isinstance(value, str) and name:
        # Whole words only: a short name must not change the words it is part of.
        return re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", DELETED_USER, value)
    return value


def _scrub_mentions(user: User) -> int:
    """Other people's stored events about the person (a message from them, their application) stay, naming a
    deleted user: their own copies are deleted with the person's notifications."""
    pk, name = str(user.pk), user.full_name
    changed = []
    for notification in _mentions(user).exclude(recipient=user):
        notification.title = _scrubbed(notification.title, pk, name)
        notification.message = _scrubbed(notification.message, pk, name)
        notification.data = _scrubbed(notification.data, pk, name)
        changed.append(notification)
    Notification.objects.bulk_update(changed, ["title", "message", "data"], batch_size=500)
    return len(changed)
