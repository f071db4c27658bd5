"""How a patient's name is matched: accent- and case-insensitive, partial, on both databases.

One SQL function, `queue_app_search_name(first_name, last_name)`, gives the folded name
("Gómez" → "gomez"): on PostgreSQL it is an IMMUTABLE wrapper of unaccent() that migration
0011 defines, with a GIN trigram index (pg_trgm) on it, so `LIKE '%gomez%'` reads the index
instead of every patient; on SQLite the same function is registered on each connection in
Python (the embedded default is small enough to scan).

Why an expression index and not a stored normalised column: nothing has to keep a copy in
step. Patients are written by intake, imports (bulk), the admin, the demo seed and
`.update()` calls; a stored column would be stale after any writer that forgets it, and a
million rows would need a backfill. The index is maintained by the database itself.
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
    """`queue_app_search_name(first_name, last_name)` of a patient, or of `prefix`'s patient.

    The call must read exactly like the index's expression for PostgreSQL to use it."""

    function = SEARCH_NAME_FUNCTION
    output_field = TextField()

    def __init__(self, prefix: str = "") -> None:
        super().__init__(F(f"{prefix}first_name"), F(f"{prefix}last_name"))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give every SQLite connection the function that PostgreSQL has from migration 0011."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SEARCH_NAME_FUNCTION, 2, search_name, deterministic=True
        )


def connect() -> None:
    connection_created.connect(register_sqlite_functions, dispatch_uid="queue_app.search_name")
