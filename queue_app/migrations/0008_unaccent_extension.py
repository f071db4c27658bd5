from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Accent-insensitive name search ("Gomez" finds "Gómez"). On SQLite the operation does
    nothing: queue_app registers its own unaccent() on every SQLite connection."""

    dependencies = [("queue_app", "0007_practice_quiet_hours_defaults")]

    operations = [UnaccentExtension()]
