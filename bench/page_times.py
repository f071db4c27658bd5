"""Server time and SQL queries of the pages a person waits on, beside the queue and the search.

    .venv/bin/python bench/page_times.py --database pq_bench_10k
    .venv/bin/python bench/page_times.py --database pq_bench --json var/bench/pages-1m.json

On a database of `bench/seed_size.py` (10k, 100k or 1M work items over the same 20 practices
and 3,000 patients; `--database` names one, else DATABASE_URL). The queue, the item panel
(bench/queue_pages.py) and the patient search (bench/search_speed.py) have benches of their
own; this one measures the rest, each as the person who uses it:

- the patient page of the patient with the most items (a year of history at 1M), as
  `assistant.all`;
- the escalation inbox, open and resolved, as a clinical user of all 20 practices (the demo
  has one clinician per practice; this one is made for the run: the widest inbox there is);
- the scorecard page of the last full week as `lakeside`'s manager: with the week and the 8
  weeks of its trend read from stored snapshots (as after the weekly job), and computed live
  (another bilingual practice, `clinic-3`, without snapshots);
- the playbook's moment list, a template's page and the training page, as `lakeside`'s admin;
- a campaign's preview (an appointment day and an overdue recall), as `lakeside`'s manager.

Everything the run makes (the clinician, second-factor devices, snapshots, campaigns, audit
rows) is rolled back at the end. Pages are requested through Django's test client in this
process, timed and counted as bench/queue_pages.py does (its `measure_all`).
"""

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import seed_size  # noqa: E402

PARSER = argparse.ArgumentParser(description=__doc__.splitlines()[0])
PARSER.add_argument("--database", help="a database of bench/seed_size.py (else DATABASE_URL)")
PARSER.add_argument("--runs", type=int, default=60, help="requests per page, in all")
PARSER.add_argument("--rounds", type=int, default=3, help="repeated runs of every page")
PARSER.add_argument("--practice", default="lakeside")
PARSER.add_argument("--live-practice", default="clinic-3", help="its scorecard is computed live")
PARSER.add_argument("--only", default="", help="comma-separated page keys (patient_page, …)")
PARSER.add_argument("--json", type=Path, help="write the figures here too")
ARGS = PARSER.parse_args()
if ARGS.database:  # before the imports below set Django up
    os.environ["DATABASE_URL"] = seed_size.database_url(ARGS.database)

import queue_pages  # noqa: E402  (sets Django up)
import scorecard  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from queue_app.access import grant_role  # noqa: E402
from queue_app.clock import zone  # noqa: E402
from queue_app.models import Appointment, Patient, Practice, Role, WorkItem  # noqa: E402
from reports import services, weeks  # noqa: E402
from templates_lib.models import ResponseTemplate  # noqa: E402
from tests.campaigns.helpers import LIST_BODY, day_campaign  # noqa: E402


def widest_clinician() -> Client:
    """A clinician of every practice, signed in (no second factor for the clinical role)."""
    user = User.objects.create(username="clinical.bench-all")
    for practice in Practice.objects.all():
        grant_role(user=user, practice=practice, role=Role.CLINICAL)
    client = Client()
    client.force_login(user)
    return client


def admin_client(practice: Practice) -> Client:
    return scorecard.verified_client(User.objects.get(username=f"admin.{practice.slug}"))


def busiest_patient() -> Patient:
    row = WorkItem.objects.values("patient_id").annotate(n=Count("id")).order_by("-n").first()
    return Patient.objects.get(pk=row["patient_id"])


def last_full_week(practice: Practice):
    """The week before the newest item's: the last week with a whole week of data."""
    newest = WorkItem.objects.filter(practice=practice).latest("received_at").received_at
    return weeks.monday_of(practice=practice, instant=newest) - timedelta(weeks=1)


def store_snapshots(practice: Practice, week, now) -> None:
    """The week and the weeks of its trend, as the weekly job leaves them."""
    for back in range(services.TREND_WEEKS + 1):
        monday = week - timedelta(weeks=back)
        services.build_weekly_scorecard(practice=practice, week=monday, now=now)


def campaigns_for(practice: Practice, author: User, now) -> tuple[Campaign, Campaign]:
    """An appointment-day campaign for the practice's busiest booked day, and a recall of
    everyone last seen more than a month ago."""
    booked = Appointment.objects.filter(
        practice=practice, status=Appointment.Status.BOOKED, starts_at__gte=now
    )
    tz = zone(practice.timezone)
    days = [a.starts_at.astimezone(tz).date() for a in booked.only("starts_at")]
    day = max(set(days), key=days.count) if days else now.astimezone(tz).date()
    by_day = day_campaign(practice, author, day)
    recall = day_campaign(
        practice,
        author,
        None,
        audience=Campaign.Audience.OVERDUE_RECALL,
        recall_months=1,
        body_en=LIST_BODY,
        body_es="Hola {first_name}, {practice_name} abre por la tarde. Llame al {practice_phone}.",
    )
    return by_day, recall


def cases_for(practice_slug: str, live_slug: str) -> tuple[list, dict[str, Client]]:
    """(key, label, url, headers) of each case, and the client each key is requested with."""
    now = timezone.now()
    practice = Practice.objects.get(slug=practice_slug)
    live = Practice.objects.get(slug=live_slug)
    manager = scorecard.verified_client(scorecard.manager_of(practice))
    admin = admin_client(practice)
    clinician = widest_clinician()
    assistant = Client()
    assistant.force_login(User.objects.get(username="assistant.all"))

    patient = busiest_patient()
    week = last_full_week(practice)
    store_snapshots(practice, week, now)
    live_manager = scorecard.manager_client(live)
    template = (
        ResponseTemplate.objects.filter(practice=practice, status="approved", channel="sms")
        .order_by("-version", "pk")
        .first()
    )
    by_day, recall = campaigns_for(practice, scorecard.manager_of(practice), now)
    inbox = reverse("escalation:inbox")
    slug = practice.slug
    cases = [
        (
            "patient_page",
            f"patient page ({patient.items.count()} items)",
            reverse("patients:patient", args=[patient.code]),
            {},
        ),
        ("inbox_open", "escalation inbox, open (20 practices)", inbox, {}),
        ("inbox_resolved", "escalation inbox, resolved", f"{inbox}?view=resolved", {}),
        (
            "scorecard_stored",
            f"scorecard {weeks.iso_week(week)}, snapshots stored",
            reverse("reports:scorecard", args=[slug, week]),
            {},
        ),
        (
            "scorecard_live",
            f"scorecard {weeks.iso_week(last_full_week(live))}, computed live",
            reverse("reports:scorecard", args=[live.slug, last_full_week(live)]),
            {},
        ),
        ("playbook_moments", "playbook, moment list", reverse("playbook:moments", args=[slug]), {}),
        (
            "playbook_template",
            "playbook, a template's page",
            reverse("playbook:template", args=[slug, template.code]),
            {},
        ),
        ("playbook_training", "playbook, training", reverse("playbook:training", args=[slug]), {}),
        (
            "campaign_day",
            "campaign preview, appointment day",
            reverse("campaigns:campaign", args=[slug, by_day.code]),
            {},
        ),
        (
            "campaign_recall",
            "campaign preview, overdue recall",
            reverse("campaigns:campaign", args=[slug, recall.code]),
            {},
        ),
    ]
    clients = {
        "patient_page": assistant,
        "inbox_open": clinician,
        "inbox_resolved": clinician,
        "scorecard_stored": manager,
        "scorecard_live": live_manager,
        "playbook_moments": admin,
        "playbook_template": admin,
        "playbook_training": admin,
        "campaign_day": manager,
        "campaign_recall": manager,
    }
    return cases, clients


def main() -> None:
    assert connection.vendor == "postgresql", "run against a seeded PostgreSQL database"
    total = WorkItem.objects.count()
    load_before = os.getloadavg()[0]
    with transaction.atomic():
        cases, clients = cases_for(ARGS.practice, ARGS.live_practice)
        if ARGS.only:
            cases = [case for case in cases if case[0] in ARGS.only.split(",")]
        print(f"database {connection.settings_dict['NAME']}: {total:,} work items")
        print(
            f"{ARGS.runs} requests per page in {ARGS.rounds} rounds, after 3 warm-up requests; "
            f"load {load_before:.1f}"
        )
        results = queue_pages.measure_all(None, cases, ARGS.runs, ARGS.rounds, clients)
        transaction.set_rollback(True)
    load_after = os.getloadavg()[0]
    print()
    print("| page | p50 ms | p95 ms | max ms | round p50s | SQL ms p50 / p95 | queries |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")
    for m in results:
        rounds = " · ".join(f"{v:.0f}" for v in m["round_p50_ms"])
        print(
            f"| {m['label']} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} | {m['max_ms']:.1f} | "
            f"{rounds} | {m['sql_p50_ms']:.1f} / {m['sql_p95_ms']:.1f} | {m['queries']} |"
        )
    print(f"\nload average after the run: {load_after:.1f} on {os.cpu_count()} CPUs")
    if ARGS.json:
        ARGS.json.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "database": connection.settings_dict["NAME"],
            "items": total,
            "runs": ARGS.runs,
            "rounds": ARGS.rounds,
            "load_before": load_before,
            "load_after": load_after,
            "cases": results,
        }
        ARGS.json.write_text(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
