from django.core.management.base import BaseCommand
from django.utils import timezone

from queue_app.models import Practice
from reports import services


class Command(BaseCommand):
    help = (
        "Store each practice's last finished week and the trend weeks before it, as the hourly "
        "job does, without waiting for Monday's delivery time (the emails stay that job's). "
        "`make run` calls it after seeding the demo, so the scorecard reads stored weeks "
        "instead of computing eight of them on every view."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        for practice in Practice.objects.order_by("pk"):
            services.store_finished_weeks(practice=practice, now=now)
        self.stdout.write("Scorecards stored for every practice's last finished weeks.")
