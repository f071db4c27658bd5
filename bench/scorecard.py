"""Time the weekly scorecard on a year of history, beside hand-written SQL for the same numbers.

Seed a PostgreSQL database first (about 1,000,000 work items; skip if it is already seeded):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pq_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --practices 20 --weeks 50 --items-per-week 1000

then run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pq_bench .venv/bin/python bench/scorecard.py

It times, for one practice-week (the bilingual `lakeside`, four weeks before the newest data):
  0. the first `compute_scorecard` call of the process, which also compiles its querysets
     (compiled once per process and shape, then bound to each week's values: reports.metrics),
  1. `reports.metrics.compute_scorecard` (every ORM query plus the business-minute statistics),
  2. `manage.py scorecard --format json` in this process (the same, plus JSON output),
  3. hand-written SQL for the same aggregates, run directly with psycopg: one statement per
     source table using GROUPING SETS where the ORM groups by all dimensions at once, plus the
     same (received, first response) pairs put through the same Python statistics
     (`response_times.Calendar`, `_response`, `response_summary`);
  4. the scorecard page through Django's test client, cold (the 8 previous weeks computed
     live) and warm (the 8 previous weeks read from stored snapshots, as after weekly beat).
The hand-written results are checked against compute_scorecard's before anything is timed.
Snapshots built for the warm run are rolled back; the database is left as it was.
"""

import argparse
import io
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from queue_app.access import MANAGE, practices_for  # noqa: E402
from queue_app.models import Practice, WorkItem  # noqa: E402
from reports import compiled, metrics, response_times, services, weeks  # noqa: E402

ITEMS = """
SELECT m.key, i.language, i.channel, GROUPING(m.key, i.language, i.channel) AS g,
  count(*) FILTER (WHERE i.received_at >= %(start)s AND i.received_at < %(end)s),
  count(*) FILTER (WHERE i.resolved_at >= %(start)s AND i.resolved_at < %(end)s),
  count(*) FILTER (WHERE i.received_at < %(as_of)s
                   AND (i.status <> 'resolved' OR i.resolved_at >= %(as_of)s)),
  count(*) FILTER (WHERE i.received_at < %(as_of)s AND i.received_at < %(cutoff)s
                   AND (i.status <> 'resolved' OR i.resolved_at >= %(as_of)s)),
  count(*) FILTER (WHERE i.received_at < %(as_of)s AND i.channel = 'portal'
                   AND (i.status <> 'resolved' OR i.resolved_at >= %(as_of)s)),
  count(*) FILTER (WHERE i.received_at >= %(start)s AND i.received_at < %(end)s
                   AND i.channel <> 'schedule'),
  count(*) FILTER (WHERE i.received_at >= %(start)s AND i.received_at < %(end)s
                   AND i.channel <> 'schedule'
                   AND (i.repeat_of_id IS NOT NULL OR EXISTS (
                     SELECT 1 FROM queue_app_workitem e
                     WHERE e.practice_id = i.practice_id AND e.patient_id = i.patient_id
                       AND e.moment_id = i.moment_id AND e.received_at < i.received_at
                       AND e.received_at >= i.received_at - interval '7 days'))),
  count(*) FILTER (WHERE i.received_at >= %(start)s AND i.received_at < %(end)s
                   AND (i.boundary = 'complaint' OR m.key = 'service_recovery')),
  count(*) FILTER (WHERE i.received_at >= %(start)s AND i.received_at < %(end)s
                   AND (i.boundary = 'complaint' OR m.key = 'service_recovery')
                   AND i.triage_reasons::text ILIKE ANY (%(communication)s))
FROM queue_app_workitem i JOIN queue_app_communicationmoment m ON m.id = i.moment_id
WHERE i.practice_id = %(practice)s
  AND ((i.received_at >= %(start)s AND i.received_at < %(end)s)
       OR (i.resolved_at >= %(start)s AND i.resolved_at < %(end)s)
       OR (i.received_at < %(as_of)s AND (i.status <> 'resolved' OR i.resolved_at >= %(as_of)s)))
GROUP BY GROUPING SETS ((), (m.key), (i.language), (i.channel))
"""
CAUSES = """
SELECT CASE
  WHEN i.triage_reasons::text ILIKE ANY (%(no_response)s) THEN 'no_response'
  WHEN i.triage_reasons::text ILIKE ANY (%(dissatisfaction)s) THEN 'dissatisfaction'
  WHEN i.triage_reasons::text ILIKE ANY (%(redress)s) THEN 'redress'
  WHEN i.triage_reasons::text ILIKE ANY (%(charge_dispute)s) THEN 'charge_dispute'
  ELSE 'other' END AS cause, count(*)
FROM queue_app_workitem i JOIN queue_app_communicationmoment m ON m.id = i.moment_id
WHERE i.practice_id = %(practice)s AND i.received_at >= %(start)s AND i.received_at < %(end)s
  AND (i.boundary = 'complaint' OR m.key = 'service_recovery')
GROUP BY 1
"""
PAIRS = """
SELECT i.id, i.received_at,
  (SELECT min(greatest(s.created, coalesce(s.send_after, s.created))) FROM queue_app_message s
   WHERE s.item_id = i.id AND s.direction = 'out' AND s.template_id IS NOT NULL
     AND NOT s.is_automatic AND s.status IN ('sent', 'delivered') AND s.created <= %(now)s),
  (SELECT min(c.attempted_at) FROM queue_app_callattempt c
   WHERE c.item_id = i.id AND c.outcome = 'reached' AND c.attempted_at <= %(now)s),
  m.key, m.first_response_minutes, i.language, i.channel
FROM queue_app_workitem i JOIN queue_app_communicationmoment m ON m.id = i.moment_id
WHERE i.practice_id = %(practice)s AND i.received_at >= %(start)s AND i.received_at < %(end)s
ORDER BY i.received_at, i.id
"""
ESCALATIONS = """
SELECT m.key, i.language, i.channel, r.kind, GROUPING(m.key, i.language, i.channel, r.kind),
  count(DISTINCT e.item_id),
  count(DISTINCT e.item_id) FILTER (WHERE e.judged_appropriate IS NOT NULL),
  count(DISTINCT e.item_id) FILTER (WHERE e.judged_appropriate),
  count(DISTINCT e.item_id) FILTER (WHERE e.judged_appropriate IS NULL)
FROM escalation_escalation e
JOIN queue_app_workitem i ON i.id = e.item_id
JOIN queue_app_communicationmoment m ON m.id = i.moment_id
JOIN escalation_escalationroute r ON r.id = e.route_id
WHERE e.practice_id = %(practice)s AND e.created >= %(start)s AND e.created < %(end)s
  AND e.detected_by <> 'qa'
GROUP BY GROUPING SETS ((), (m.key), (i.language), (i.channel), (r.kind))
"""
MISSED = """
SELECT m.key, i.language, i.channel, GROUPING(m.key, i.language, i.channel), count(*)
FROM queue_app_workitem i JOIN queue_app_communicationmoment m ON m.id = i.moment_id
WHERE i.practice_id = %(practice)s AND i.id IN (
  SELECT q.item_id FROM notes_qareview q
  WHERE q.practice_id = %(practice)s AND q.week = %(week)s AND q.missed_escalation
  UNION
  SELECT e.item_id FROM escalation_escalation e
  WHERE e.practice_id = %(practice)s AND e.detected_by = 'qa'
    AND e.created >= %(start)s AND e.created < %(end)s
    AND NOT EXISTS (SELECT 1 FROM notes_qareview q
                    WHERE q.item_id = e.item_id AND q.missed_escalation))
GROUP BY GROUPING SETS ((), (m.key), (i.language), (i.channel))
"""
QA = """
SELECT m.key, i.language, i.channel, GROUPING(m.key, i.language, i.channel),
  count(*) FILTER (WHERE q.passed), count(*)
FROM notes_qareview q
JOIN queue_app_workitem i ON i.id = q.item_id
JOIN queue_app_communicationmoment m ON m.id = i.moment_id
WHERE q.practice_id = %(practice)s AND q.week = %(week)s AND q.status = 'done'
GROUP BY GROUPING SETS ((), (m.key), (i.language), (i.channel))
"""
APPOINTMENTS = """
SELECT p.preferred_language, GROUPING(p.preferred_language),
  count(*) FILTER (WHERE a.status <> 'cancelled'),
  count(*) FILTER (WHERE a.status <> 'cancelled' AND a.confirmation = 'confirmed'
                   AND a.confirmed_at < a.starts_at),
  count(*) FILTER (WHERE a.status = 'no_show'),
  count(*) FILTER (WHERE a.status = 'no_show' AND EXISTS (
    SELECT 1 FROM queue_app_appointment b
    WHERE b.patient_id = a.patient_id AND b.starts_at > a.starts_at
      AND b.created >= a.starts_at AND b.created < a.starts_at + interval '7 days'
      AND b.status <> 'cancelled'))
FROM queue_app_appointment a JOIN queue_app_patient p ON p.id = a.patient_id
WHERE a.practice_id = %(practice)s AND a.starts_at >= %(start)s AND a.starts_at < %(end)s
GROUP BY GROUPING SETS ((), (p.preferred_language))
"""
TEMPLATES = """
SELECT s.template_id, t.code, t.language, t.channel, t.purpose, t.version, m.key, m.name,
  count(DISTINCT s.item_id),
  count(DISTINCT s.item_id) FILTER (WHERE EXISTS (
      SELECT 1 FROM queue_app_workitem r
      WHERE r.patient_id = i.patient_id AND r.moment_id = i.moment_id
        AND r.received_at > i.received_at AND r.received_at <= i.received_at + interval '7 days'
        AND r.channel <> 'schedule')
    OR EXISTS (SELECT 1 FROM queue_app_workitem r WHERE r.repeat_of_id = i.id))
FROM queue_app_message s
JOIN queue_app_workitem i ON i.id = s.item_id
JOIN templates_lib_responsetemplate t ON t.id = s.template_id
JOIN queue_app_communicationmoment m ON m.id = t.moment_id
WHERE s.practice_id = %(practice)s AND s.direction = 'out' AND s.template_id IS NOT NULL
  AND NOT s.is_automatic AND s.status IN ('sent', 'delivered') AND s.created <= %(now)s
  AND i.practice_id = %(practice)s AND i.received_at >= %(start)s AND i.received_at < %(end)s
GROUP BY s.template_id, t.code, t.language, t.channel, t.purpose, t.version, m.key, m.name
"""
MOMENTS = "SELECT key, name FROM queue_app_communicationmoment WHERE practice_id = %(practice)s"


def needles(keys: tuple[str, ...]) -> list[str]:
    return [f"%{n}%" for key, _, ns in metrics.COMPLAINT_CAUSES if key in keys for n in ns]


def hand_written(conn: psycopg.Connection, w: weeks.Week) -> dict:
    """The scorecard's aggregates by hand, plus the same response-time statistics."""
    params = {
        "practice": w.practice.pk,
        "start": w.start,
        "end": w.end,
        "as_of": w.as_of,
        "now": w.now,
        "week": w.monday,
        "cutoff": metrics.older_cutoff(w),
        "communication": needles(metrics.COMMUNICATION_CAUSES),
        **{key: needles((key,)) for key, _, _ in metrics.COMPLAINT_CAUSES},
    }
    found = {}
    with conn.cursor() as cur:
        for name, sql in (
            ("items", ITEMS),
            ("causes", CAUSES),
            ("escalations", ESCALATIONS),
            ("missed", MISSED),
            ("qa", QA),
            ("appointments", APPOINTMENTS),
            ("templates", TEMPLATES),
            ("moments", MOMENTS),
            ("pairs", PAIRS),
        ):
            cur.execute(sql, params)
            found[name] = cur.fetchall()
    calendar = response_times.Calendar(w.hours)
    rows = [response_times._response(row, calendar, w.now) for row in found["pairs"]]
    found["first_response"] = metrics.response_summary(rows)
    for field in ("moment", "language", "channel"):
        for key in sorted({getattr(r, field) for r in rows}):
            metrics.response_summary(r for r in rows if getattr(r, field) == key)
    return found


def check_same(found: dict, card: dict) -> None:
    m = card["metrics"]
    totals = next(row for row in found["items"] if row[3] == 7)
    expected = (
        m["received"]["value"],
        m["resolved"]["value"],
        m["open_at_end"]["value"],
        m["open_older"]["value"],
        m["unresolved_portal"]["value"],
        m["repeat_contacts"]["of"],
        m["repeat_contacts"]["value"],
        m["complaints"]["value"],
        m["complaints"]["communication_related"]["value"],
    )
    assert tuple(totals[4:]) == expected, (totals, expected)
    assert found["first_response"] == {
        k: v for k, v in m["first_response"].items() if not k.endswith("drill") and "by_" not in k
    }
    esc = next(row for row in found["escalations"] if row[4] == 15)
    assert esc[5] == m["escalated"]["value"] and esc[7] == m["escalation_accuracy"]["value"]
    appts = next(row for row in found["appointments"] if row[1] == 1)
    assert appts[2:] == (
        m["confirmation_completion"]["of"],
        m["confirmation_completion"]["value"],
        m["no_show_recovery"]["of"],
        m["no_show_recovery"]["value"],
    )
    assert len(found["templates"]) == len(m["template_effect"])


def timed(fn, runs: int) -> list[float]:
    fn()  # warm caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def fmt(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   best {ordered[0]:7.1f} ms"
    )


def manager_of(practice: Practice) -> User:
    return next(u for u in User.objects.filter(username__startswith="manager.")
                if practices_for(u, MANAGE).filter(pk=practice.pk).exists())  # fmt: skip


def manager_client(practice: Practice) -> Client:
    return verified_client(manager_of(practice))


def verified_client(user: User) -> Client:
    """Signed in as `user` past the second factor (managers and admins must pass one), with a
    device made for the run: call it inside a transaction that is rolled back."""
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practice", default="lakeside")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--weeks-back", type=int, default=4)
    parser.add_argument("--jit-on", dest="jit_off", action="store_false", help="keep JIT on")
    args = parser.parse_args()
    practice = Practice.objects.get(slug=args.practice)
    newest = WorkItem.objects.filter(practice=practice).latest("received_at").received_at
    week = weeks.monday_of(practice=practice, instant=newest) - timedelta(weeks=args.weeks_back)
    now = newest + timedelta(days=1)
    w = weeks.week_of(practice=practice, week=week, now=now)
    total = WorkItem.objects.count()
    print(f"{total:,} work items in the database; {practice.slug}, week {weeks.iso_week(week)}")

    started = time.perf_counter()
    card = metrics.compute_scorecard(practice=practice, week=week, now=now)
    first = (time.perf_counter() - started) * 1000
    with CaptureQueriesContext(connection) as queries:
        metrics.compute_scorecard(practice=practice, week=week, now=now)
    print(f"items received that week: {card['metrics']['received']['value']}; "
          f"compute_scorecard runs {len(queries)} SQL queries; "
          f"first call of the process (compiles them) {first:.1f} ms")  # fmt: skip
    db = settings.DATABASES["default"]
    conn = psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
        dbname=db["NAME"], autocommit=True,
    )  # fmt: skip
    if args.jit_off:
        # PostgreSQL's JIT costs ~150 ms when a plan's cost estimate passes jit_above_cost (the
        # GROUPING SETS statement does): off on both connections, for a like-for-like ratio.
        conn.execute("SET jit = off")
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    check_same(hand_written(conn, w), card)
    print("hand-written SQL gives the same numbers: checked")
    cached = [key for key, compiled in compiled.COMPILED.items() if compiled is not None]
    print(f"queries compiled once and bound per week: {len(cached)} of {len(compiled.COMPILED)}")

    # Interleaved, so that load from other processes falls on all three alike.
    runners = {
        "orm": lambda: metrics.compute_scorecard(practice=practice, week=week, now=now),
        "sql": lambda: hand_written(conn, w),
        "command": lambda: call_command(
            "scorecard", practice=practice.slug, week=weeks.iso_week(week), live=True,
            stdout=io.StringIO(),
        ),
    }  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in runners}
    for run in runners.values():
        run()  # warm caches
    for _ in range(args.runs):
        for name, run in runners.items():
            started = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - started) * 1000)
    orm, sql, command = times["orm"], times["sql"], times["command"]
    print(f"compute_scorecard          {fmt(orm)}")
    print(f"manage.py scorecard (json) {fmt(command)}")
    print(f"hand-written SQL (psycopg) {fmt(sql)}")
    ratio = statistics.median(orm) / statistics.median(sql)
    best = min(orm) / min(sql)
    print(f"ratio compute_scorecard / hand-written SQL: {ratio:.2f}x median, {best:.2f}x best")

    url = f"/reports/{practice.slug}/{weeks.iso_week(week)}/"
    with transaction.atomic():
        client = manager_client(practice)
        page_cold = timed(lambda: client.get(url), max(3, args.runs // 4))
        for back in range(1, services.TREND_WEEKS + 1):
            services.build_weekly_scorecard(
                practice=practice, week=week - timedelta(weeks=back), now=now
            )
        services.build_weekly_scorecard(practice=practice, week=week, now=now)
        page_warm = timed(lambda: client.get(url), args.runs)
        assert client.get(url).status_code == 200
        transaction.set_rollback(True)
    print(f"page, 8 previous weeks live      {fmt(page_cold)}")
    print(f"page, snapshots stored (weekly)  {fmt(page_warm)}")
    conn.close()


if __name__ == "__main__":
    main()
