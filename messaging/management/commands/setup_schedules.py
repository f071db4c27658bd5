from django.core.management.base import BaseCommand

from messaging.schedules import ensure_periodic_tasks


class Command(BaseCommand):
    help = "Create the periodic jobs in the database scheduler (missing ones only)."

    def handle(self, *args, **options) -> None:
        created = ensure_periodic_tasks()
        self.stdout.write(f"{created} periodic task(s) created.")
