"""Receivers of the interviews' signals about calls: the note in the conversation (a few lines, the work in
services)."""

from calls import services
from interviews import signals as interview_signals


def on_call_finished(sender, interview, **kwargs) -> None:
    services.call_note_for(interview)


def connect() -> None:
    interview_signals.call_finished.connect(on_call_finished, dispatch_uid="calls.call_finished")
