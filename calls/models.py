"""No tables (a call is an Interview of kind `call`). Django imports every app's models module when it starts,
in web processes and workers alike, which is where the receivers of the interviews' call signals are connected
(at module level, as the project keeps its imports)."""

from calls import handlers

handlers.connect()
