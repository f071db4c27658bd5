import hashlib

from django.db import migrations, models


def record_checksums(apps, schema_editor):
    # Files kept before checksums were recorded: hash what the storage holds now.
    Attachment = apps.get_model("messaging", "Attachment")
    stored = Attachment.objects.filter(status="stored", sha256="").only("pk", "file")
    for attachment in stored.iterator():
        try:
            with attachment.file.storage.open(attachment.file.name, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except FileNotFoundError:
            continue  # left blank; the restore drill reports the file as missing
        Attachment.objects.filter(pk=attachment.pk).update(sha256=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0009_sweep_every_10_seconds"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(record_checksums, migrations.RunPython.noop),
    ]
