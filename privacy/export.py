"""The data export: a ZIP of JSON, one file per model that holds the person's data (privacy.inventory), their
uploaded files beside it, and a signed, expiring link to download it."""

import io
import json
import zipfile
from collections import defaultdict
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from psycopg.types.range import Range

from accounts.models import User
from core.mail import mail_queue
from privacy import signals
from privacy.inventory import HOLDINGS, USER_SECRETS, Holding
from privacy.models import DataExport, ExportStatus

_SIGNING_SALT = "privacy.export.download"
README = """Everything Kazi holds about you, as of {built_at} UTC.

Each JSON file holds the rows of one kind of record that refer to you: `fields_referring_to_you` says how
(`candidate`: your applications; `sender`: your chat messages; ...). Files you uploaded are under files/.
"""


def download_token(export: DataExport) -> str:
    return signing.dumps({"export": export.pk, "user": export.user_id}, salt=_SIGNING_SALT, compress=True)


def download_url(export: DataExport) -> str:
    return f"{settings.KAZI_SITE_URL}/api/auth/export/download/{download_token(export)}/"


def export_for_download(token: str) -> DataExport | None:
    """The ready export a download link names, or None when the link is forged, expired or the file is gone."""
    max_age = timedelta(days=settings.KAZI_DATA_EXPORT_DAYS)
    try:
        claims = signing.loads(token, salt=_SIGNING_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(claims, dict):
        return None
    return (
        DataExport.objects.filter(
            pk=claims.get("export"),
            user_id=claims.get("user"),
            user__is_active=True,
            status=ExportStatus.READY,
            expires_at__gt=timezone.now(),
        )
        .exclude(file="")
        .first()
    )


def rows_of(model: type[models.Model], holdings: list[Holding], user: User) -> models.QuerySet:
    lookup = Q()
    for holding in holdings:
        lookup |= Q(**{f"{holding.field}__iexact": user.email}) if holding.by_email else Q(**{holding.field: user})
    return model._default_manager.filter(lookup).order_by("pk")


def _row(instance: models.Model, secret: set[str]) -> dict:
    return {f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields if f.name not in secret}


def _files(instance: models.Model, secret: set[str]) -> list:
    return [
        getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if isinstance(f, models.FileField) and f.name not in secret and getattr(instance, f.attname)
    ]


def export_archive(*, user: User) -> bytes:
    """The ZIP of everything the inventory lists for the person."""
    by_model: dict[type[models.Model], list[Holding]] = defaultdict(list)
    for holding in HOLDINGS:
        by_model[holding.model].append(holding)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(built_at=timezone.now().strftime("%Y-%m-%d %H:%M")))
        _write_json(
            archive, "accounts.User.json", {"fields_referring_to_you": [], "rows": [_row(user, set(USER_SECRETS))]}
        )
        for model, holdings in by_model.items():
            if model is DataExport:
                continue  # the exports themselves: files of this same data
            secret = {name for holding in holdings for name in holding.secret}
            rows = list(rows_of(model, holdings, user))
            _write_json(
                archive,
                f"{model._meta.label}.json",
                {"fields_referring_to_you": [h.field for h in holdings], "rows": [_row(r, secret) for r in rows]},
            )
            for instance in rows:
                for stored in _files(instance, secret):
                    _write_file(
                        archive, f"files/{model._meta.label}/{instance.pk}/{PurePosixPath(stored.name).name}", stored
                    )
    return buffer.getvalue()


class _Encoder(DjangoJSONEncoder):
    """Django's JSON plus what model fields hold beyond it: a stored file is its name, a range its bounds,
    anything else its text."""

    def default(self, o):
        if isinstance(o, FieldFile):
            return o.name
        if isinstance(o, Range):
            return {"lower": o.lower, "upper": o.upper, "bounds": o.bounds}
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _write_json(archive: zipfile.ZipFile, name: str, content: dict) -> None:
    archive.writestr(name, json.dumps(content, cls=_Encoder, indent=2, ensure_ascii=False))


def _write_file(archive: zipfile.ZipFile, name: str, stored) -> None:
    try:
        with stored.open("rb") as source:
            archive.writestr(name, source.read())
    except FileNotFoundError:
        archive.writestr(f"{name}.missing.txt", "This file was listed but is no longer stored.")


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build a pending export, store it, announce it (notification and mail). Safe to run twice: an export
    that is no longer pending is left as it is."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=export_id, status=ExportStatus.PENDING)
            .first()
        )
        if export is None:
            return None
        archive = export_archive(user=export.user)
        now = timezone.now()
        export.file.save(f"{export.user_id}/{export.pk}-{now:%Y%m%d%H%M%S}.zip", ContentFile(archive), save=False)
        export.size, export.status = len(archive), ExportStatus.READY
        export.ready_at, export.expires_at = now, now + timedelta(days=settings.KAZI_DATA_EXPORT_DAYS)
        export.save(update_fields=["file", "size", "status", "ready_at", "expires_at"])
        url = download_url(export)
        mail_queue(
            key=f"data-export-ready:{export.pk}",
            to=export.user.email,
            template="privacy/data_export_ready",
            context={
                "name": export.user.first_name or export.user.email,
                "download_url": url,
                "expires_at": export.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
            },
        )
        signals.data_export_ready.send(sender=DataExport, export=export, download_url=url)
        return export


def data_export_fail(*, export_id: int, error: str) -> None:
    """A build that failed for good: the person may ask again (one pending export at a time)."""
    DataExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.FAILED, error=error[:2000]
    )


def data_exports_prune() -> int:
    """Remove the files of exports past their time; the row stays (expired) as a record that one was made."""
    pruned = 0
    for export in DataExport.objects.filter(status=ExportStatus.READY, expires_at__lte=timezone.now()):
        with transaction.atomic():
            if export.file:
                export.file.delete(save=False)
            export.status = ExportStatus.EXPIRED
            export.save(update_fields=["file", "status"])
            pruned += 1
    return pruned
