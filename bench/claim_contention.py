"""Claim contention: 20 assistants claiming from one practice's queue at the same moment.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pq_bench .venv/bin/python \
        bench/claim_contention.py --assistants 20 --claims 300

Each assistant is a process with its own database connection, as each gunicorn worker has.
All of them start together (a barrier) and do what an assistant does: read the top of the
queue's unassigned items (`selectors.queue_items`, the query the queue page runs) and claim
one of the first three (`--spread`; `ownership.claim_item`, the service the Claim button
calls); when someone else was faster, they read the queue again. Twenty people aiming at the
same three rows is a worst case for collisions, not a friendly spread.

Reported: successful claims per second, attempts and refusals, and double claims: an item
that two assistants were both told they hold, or that has two "claimed" events in the run.
It must be 0. The bench's claims are released afterwards (release_item, with its events),
so the queue is as open as before; `bench.claimer.N` users are created once and kept.
"""

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from queue_app import selectors  # noqa: E402
from queue_app.access import grant_role  # noqa: E402
from queue_app.models import ItemEvent, Practice, Role, StaffProfile, WorkItem  # noqa: E402
from queue_app.services import ownership  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def claimers(practice: Practice, count: int) -> list[User]:
    users = []
    for n in range(1, count + 1):
        user, created = User.objects.get_or_create(username=f"bench.claimer.{n}")
        if created:
            StaffProfile.objects.create(user=user, languages=["en", "es"])
        grant_role(user=user, practice=practice, role=Role.ASSISTANT)
        users.append(user)
    return users


def unassigned_top(user: User, practice: Practice, now) -> list[WorkItem]:
    filters = selectors.QueueFilters(scope="unassigned", status="new")
    items = selectors.queue_items(user=user, filters=filters, now=now, practices=[practice])
    return list(items[:5])


def assistant(user_id: int, practice_id: int, spread: int, seconds: float, shared) -> None:
    """One assistant, in its own process (as in separate gunicorn workers: no shared GIL)."""
    barrier, counter, results = shared
    user = User.objects.get(pk=user_id)
    practice = Practice.objects.get(pk=practice_id)
    rng = random.Random(user_id)
    won, latencies, attempts, refused, errors = [], [], 0, 0, []
    try:
        barrier.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline and counter.value > 0:
            top = unassigned_top(user, practice, timezone.now())[:spread]
            if not top:
                break
            item = rng.choice(top)
            t0 = time.perf_counter()
            attempts += 1
            try:
                ownership.claim_item(item=item, actor=user, now=timezone.now())
            except shared.ActionRefused:
                refused += 1
                continue
            finally:
                latencies.append((time.perf_counter() - t0) * 1000)
            won.append(item.pk)
            with counter.get_lock():
                counter.value -= 1
    except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()
        results.put((user_id, won, latencies, attempts, refused, errors))


def run(practice: Practice, users: list[User], target: int, seconds: float, spread: int) -> dict:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(users) + 1)
    counter = context.Value("i", target)
    results = context.Queue()
    connections.close_all()  # no connection may be shared across fork
    window_start = timezone.now()
    processes = [
        context.Process(
            target=assistant,
            args=(u.pk, practice.pk, spread, seconds, (barrier, counter, results)),
        )
        for u in users
    ]
    for process in processes:
        process.start()
    barrier.wait()  # every assistant is connected and ready: go
    started = time.perf_counter()
    collected = [results.get() for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    won: dict[int, list[int]] = defaultdict(list)  # item id -> users told they hold it
    latencies, errors, attempts, refused = [], [], 0, 0
    for user_id, items, lat, tries, refusals, errs in collected:
        for pk in items:
            won[pk].append(user_id)
        latencies += lat
        attempts += tries
        refused += refusals
        errors += errs
    claimed_ids = list(won)
    told_twice = sum(1 for holders in won.values() if len(holders) > 1)
    events = Counter(
        ItemEvent.objects.filter(
            item_id__in=claimed_ids, kind="claimed", created__gte=window_start
        ).values_list("item_id", flat=True)
    )
    two_events = sum(1 for n in events.values() if n > 1)
    owners = dict(WorkItem.objects.filter(pk__in=claimed_ids).values_list("pk", "owner_id"))
    wrong_owner = sum(1 for pk, holders in won.items() if owners.get(pk) != holders[0])
    claims = sum(len(v) for v in won.values())
    return {
        "assistants": len(users),
        "practice": practice.slug,
        "claims": claims,
        "seconds": elapsed,
        "claims_per_s": claims / elapsed if elapsed else 0.0,
        "attempts": attempts,
        "refused": refused,
        "claim_p50_ms": statistics.median(latencies) if latencies else 0.0,
        "claim_p95_ms": percentile(latencies, 0.95) if latencies else 0.0,
        "double_claims": told_twice + two_events,
        "told_twice": told_twice,
        "two_claimed_events": two_events,
        "owner_mismatch": wrong_owner,
        "errors": errors,
        "claimed_ids": claimed_ids,
    }


def release_all(claimed_ids: list[int]) -> None:
    now = timezone.now()
    for item in WorkItem.objects.filter(pk__in=claimed_ids).select_related("owner", "practice"):
        if item.owner is not None and item.owner.username.startswith("bench.claimer."):
            ownership.release_item(item=item, actor=item.owner, now=now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assistants", type=int, default=20)
    parser.add_argument("--claims", type=int, default=300, help="stop after this many claims")
    parser.add_argument("--seconds", type=float, default=20.0, help="or after this long")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--spread",
        type=int,
        default=3,
        help="each claims one of the top N unassigned (1: all the top one)",
    )
    parser.add_argument("--practice", default="", help="slug; default: most new items")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "row locks are what is measured: use PostgreSQL"

    if args.practice:
        practice = Practice.objects.get(slug=args.practice)
    else:
        busiest = (
            WorkItem.objects.open()
            .filter(status="new", owner=None)
            .values("practice")
            .annotate(n=django.db.models.Count("id"))
            .order_by("-n")
            .first()
        )
        practice = Practice.objects.get(pk=busiest["practice"])
    available = WorkItem.objects.open().filter(practice=practice, status="new", owner=None).count()
    target = min(args.claims, available)
    users = claimers(practice, args.assistants)
    load_before = os.getloadavg()[0]
    print(
        f"database {connection.settings_dict['NAME']}: practice {practice.slug}, "
        f"{available} unassigned new items; {args.assistants} assistants; load {load_before:.1f}"
    )
    rounds = []
    for n in range(args.rounds):
        result = run(practice, users, target, args.seconds, args.spread)
        release_all(result.pop("claimed_ids"))
        rounds.append(result)
        print(
            f"round {n + 1}: {result['claims']} claims in {result['seconds']:.2f} s = "
            f"{result['claims_per_s']:.0f}/s; attempts {result['attempts']}, refused "
            f"{result['refused']}; claim p50 {result['claim_p50_ms']:.1f} ms p95 "
            f"{result['claim_p95_ms']:.1f} ms; double claims {result['double_claims']}; "
            f"errors {len(result['errors'])}"
        )
        for error in result["errors"][:3]:
            print("  ", error)
    summary = {
        "database": connection.settings_dict["NAME"],
        "practice": practice.slug,
        "assistants": args.assistants,
        "available": available,
        "target": target,
        "rounds": rounds,
        "claims_per_s_median": statistics.median(r["claims_per_s"] for r in rounds),
        "claims_per_s_min": min(r["claims_per_s"] for r in rounds),
        "claims_per_s_max": max(r["claims_per_s"] for r in rounds),
        "double_claims": sum(r["double_claims"] for r in rounds),
        "owner_mismatch": sum(r["owner_mismatch"] for r in rounds),
        "errors": sum(len(r["errors"]) for r in rounds),
        "claims": sum(r["claims"] for r in rounds),
        "attempts": sum(r["attempts"] for r in rounds),
        "refused": sum(r["refused"] for r in rounds),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }
    print(
        f"median {summary['claims_per_s_median']:.0f} claims/s; double claims "
        f"{summary['double_claims']}; load after {summary['load_after']:.1f}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
