from django.core.management.base import BaseCommand

from queue_app.jobs import all_schedules, ensure_periodic_tasks


class Command(BaseCommand):
    help = "Create every app's periodic jobs in the database scheduler (missing ones only)."

    def handle(self, *args, **options) -> None:
        created = ensure_periodic_tasks(all_schedules())
        self.stdout.write(f"{created} periodic task(s) created.")
