"""Weekly delivery: beat builds each practice's last week and emails its managers a summary.

Wire `build_last_week_scorecards_task` into beat hourly (e.g. crontab(minute=5)); it builds a
practice's snapshot at the first run after 06:00 local time on Monday and is safe to repeat.
"""

from celery import shared_task
from django.utils import timezone

from reports import services
from reports.models import WeeklyScorecard


@shared_task
def build_last_week_scorecards_task() -> None:
    for scorecard_id in services.build_last_week_scorecards(now=timezone.now()):
        send_scorecard_summary_task.delay_on_commit(scorecard_id)


@shared_task(acks_late=True)
def send_scorecard_summary_task(scorecard_id: int) -> None:
    scorecard = WeeklyScorecard.objects.select_related("practice").filter(pk=scorecard_id).first()
    if scorecard is not None:
        services.send_scorecard_summary(scorecard=scorecard, now=timezone.now())
