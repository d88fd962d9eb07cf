"""Loaded with `-p` before pytest-django reads the settings: tests run with the
development defaults unless the environment says otherwise."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
