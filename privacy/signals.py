"""Signals of privacy, sent inside the transaction that made the change."""

from django.dispatch import Signal

# kwargs: export, download_url — a person's data export was built and can be downloaded
data_export_ready = Signal()
