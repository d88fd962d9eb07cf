"""Raw SQL that names tables through the models, so a table renamed by a model change cannot go stale."""

from string import Template

from django.db import connection


def sql_tables(template: str, **models) -> str:
    """`template` with each `$name` replaced by the quoted table of `models[name]` (`$job` → "marketplace_job")."""
    return Template(template).substitute(
        {name: connection.ops.quote_name(model._meta.db_table) for name, model in models.items()}
    )
