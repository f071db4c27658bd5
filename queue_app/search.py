"""Accent- and case-insensitive matching of names, the same on PostgreSQL and SQLite."""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import Func, TextField
from django.db.models.functions import Lower


def fold(text: str) -> str:
    """Lowercase without accents: "Gómez" and "gomez" read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Unaccent(Func):
    # PostgreSQL's unaccent extension (migration 0008); on SQLite the function below.
    function = "UNACCENT"
    output_field = TextField()


def folded(field: str) -> Lower:
    return Lower(Unaccent(field))


def _sqlite_unaccent(value: str | None) -> str | None:
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give every SQLite connection the unaccent() that PostgreSQL has as an extension."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, _sqlite_unaccent, deterministic=True)


def connect() -> None:
    connection_created.connect(register_sqlite_functions, dispatch_uid="queue_app.unaccent")
