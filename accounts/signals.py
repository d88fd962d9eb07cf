"""Signals of accounts, sent inside the transaction that made the change."""

from django.dispatch import Signal

# kwargs: user — a person registered (the marketplace gives a job seeker a profile; resumes link their records)
user_registered = Signal()
