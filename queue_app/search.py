"""How a patient's name is matched: accent- and case-insensitive, partial, on both databases.

One SQL function, `queue_app_search_name(first_name, last_name)`, gives the folded name
("Rosa Gómez" → "rosa gomez"): on PostgreSQL an IMMUTABLE wrapper of unaccent() that
migration 0011 defines, on SQLite the Python `search_name` below, registered on each
connection. `Patient.search_name` is a stored generated column of it, with a GIN trigram
index (pg_trgm) on PostgreSQL, so `LIKE '%gomez%'` reads the index, not every patient.

Why a column the database generates, rather than one the code fills, or an expression
index: nothing has to keep a copy in step (patients are written by intake, bulk imports, the
admin, the demo seed and `.update()` calls, any of which could forget it; the database
computes it on every write); and a trigram match is lossy, so every candidate row is
rechecked: against a stored value that costs nothing, against an expression index it called
the function again per row (100 ms for the 5,000 "gomez" among a million patients).
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import F, Func, TextField

SEARCH_NAME_FUNCTION = "queue_app_search_name"

# Letters that carry no combining mark, so NFKD leaves them, but unaccent() folds.
_EXTRA = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae"})


def fold(text: str) -> str:
    """Lowercase without accents: "Gómez" and "gomez" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_name(first_name: str | None, last_name: str | None) -> str:
    """The Python twin of the SQL function: what a name is matched against."""
    return fold(f"{first_name or ''} {last_name or ''}")


class SearchName(Func):
    """`queue_app_search_name(first_name, last_name)`: the expression of Patient.search_name."""

    function = SEARCH_NAME_FUNCTION
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(F("first_name"), F("last_name"))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give every SQLite connection the function that PostgreSQL has from migration 0011."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SEARCH_NAME_FUNCTION, 2, search_name, deterministic=True
        )


def connect() -> None:
    connection_created.connect(register_sqlite_functions, dispatch_uid="queue_app.search_name")
