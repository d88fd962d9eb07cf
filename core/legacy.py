"""Recognizes a database made by Kazi 0.1, whose `matcher` app held users, jobs and resumes.

0.2 split that app (accounts, marketplace, matcher, resumes) and started its migrations anew, so such a
database cannot migrate forward; migrate says so and what to do instead of failing on a dependency.
"""

LEGACY_MIGRATION = ("matcher", "0003_resume_import")

MESSAGE = (
    "This database was made by Kazi 0.1, before users, jobs and resumes moved out of the `matcher` app; "
    "its migrations cannot move forward.\n"
    "- The embedded demo database of `make run`: run `make clean` (it deletes var/: demo data and uploads), "
    "then `make run` again.\n"
    "- A database you keep: export what you need, then point DATABASE_URL at a new, empty database "
    "(README, 'Upgrading from 0.1')."
)


def legacy_layout_message(connection) -> str | None:
    """The message to show when `connection` holds a 0.1 database, else None."""
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(
            "SELECT 1 FROM django_migrations WHERE app = %s AND name = %s",
            list(LEGACY_MIGRATION),
        )
        return MESSAGE if cursor.fetchone() else None
