from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# The folded name of a patient, as queue_app.search.SearchName calls it. unaccent() itself is
# only STABLE (its dictionary could change), so it cannot be indexed; naming the dictionary
# explicitly in an IMMUTABLE wrapper is the documented way to index it. Keep in step with
# queue_app.search.search_name (its SQLite twin).
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION queue_app_search_name(first_name text, last_name text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT lower(public.unaccent('public.unaccent'::regdictionary,
                                coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) $$
"""
CREATE_INDEX = """
CREATE INDEX IF NOT EXISTS patient_search_name_trgm ON queue_app_patient
USING gin (queue_app_search_name(first_name, last_name) gin_trgm_ops)
"""
DROP = """
DROP INDEX IF EXISTS patient_search_name_trgm;
DROP FUNCTION IF EXISTS queue_app_search_name(text, text);
"""


def forwards(apps, schema_editor) -> None:
    # SQLite registers the function per connection (queue_app.search); nothing to create.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION)
        schema_editor.execute(CREATE_INDEX)


def backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    """Search by name (accent- and case-insensitive, partial) through a trigram index, and by
    date of birth through a plain one."""

    dependencies = [("queue_app", "0010_queue_order_waiting_last")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(fields=["practice", "date_of_birth"], name="patient_practice_dob"),
        ),
    ]
