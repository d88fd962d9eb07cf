"""Erasure of a deleted account after its grace period: every holding of privacy.inventory deleted or
detached, their stored files removed, then the User row itself."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from privacy.inventory import HOLDINGS, Erase, Holding


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
    user.delete()
    # Files go once the rows are surely gone: a rollback must not leave rows without their files.
    transaction.on_commit(lambda: [stored.storage.delete(stored.name) for stored in files])
    return counts


def accounts_erase_due(*, now=None) -> int:
    """Erase every account whose deletion was asked for more than KAZI_ACCOUNT_DELETION_GRACE_DAYS ago, one
    transaction each; two workers never take the same account."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.KAZI_ACCOUNT_DELETION_GRACE_DAYS)
    erased = 0
    while True:
        with transaction.atomic():
            user = (
                User.objects.select_for_update(skip_locked=True)
                .filter(is_active=False, deletion_requested_at__lte=cutoff)
                .order_by("deletion_requested_at", "pk")
                .first()
            )
            if user is None:
                return erased
            account_erase(user=user)
            erased += 1
