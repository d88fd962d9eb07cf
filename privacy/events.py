"""Who hears what of privacy: the person hears that their data export is ready, in the notification center."""

from notifications.broadcaster import broadcaster
from notifications.frames import iso
from privacy import signals
from privacy.models import DataExport


def on_data_export_ready(sender, export: DataExport, download_url: str, **kwargs) -> None:
    broadcaster.publish(
        user_ids=[export.user_id],
        event_type="notification",
        notification_type="data_export_ready",
        title="Your data export is ready",
        message="A ZIP of everything Kazi holds about you. The download link works until "
        f"{export.expires_at:%Y-%m-%d %H:%M} UTC.",
        payload={
            "export_id": str(export.pk),
            "download_url": download_url,
            "size": export.size,
            "expires_at": iso(export.expires_at),
        },
        related=export,
        expires_at=export.expires_at,
    )


def connect() -> None:
    signals.data_export_ready.connect(on_data_export_ready, dispatch_uid="privacy.events.data_export_ready")
