"""The benchmark databases, and what `seed_demo` costs: wall minutes and peak memory.

    .venv/bin/python bench/seed_size.py --size 10k            # create pq_bench_10k if missing
    .venv/bin/python bench/seed_size.py --size 100k --json var/bench/seed-100k.json
    .venv/bin/python bench/seed_size.py --size 10k --fresh    # time a seed into a scratch database

Every size is the same practice group (20 practices, 150 patients each, the demo's traffic
mix) with more or less history behind it:

    10k   --weeks 0  --items-per-week 500   (one week)                  10,000 work items
    100k  --weeks 4  --items-per-week 1000  (five weeks)               100,000 work items
    1m    --weeks 50 --items-per-week 1000  (51 weeks, about a year) 1,020,000 work items

A database that is already seeded is reused, never dropped (`pq_bench`, the 1m one, took
about 19 minutes to seed). When this script seeds one, it measures the seed: wall time, CPU
time and the peak resident memory of the `seed_demo` process (from wait4's rusage), and keeps
the figures in var/bench/seed-<size>.json so later runs can report them.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432/"
OUT = ROOT / "var" / "bench"

SIZES = {
    "10k": {"database": "pq_bench_10k", "weeks": 0, "items_per_week": 500},
    "100k": {"database": "pq_bench_100k", "weeks": 4, "items_per_week": 1000},
    "1m": {"database": "pq_bench", "weeks": 50, "items_per_week": 1000},
}
PRACTICES = 20


def database_url(name: str) -> str:
    return PG + name


def psql(database: str, sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atq", "-d", database, "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def exists(database: str) -> bool:
    found = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    return found == "1"


def item_count(database: str) -> int:
    try:
        return int(psql(database, "SELECT count(*) FROM queue_app_workitem"))
    except subprocess.CalledProcessError:
        return 0


def run_measured(command: list[str], env: dict) -> dict:
    """Run a command; wall and CPU seconds and its peak resident memory (MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,  # Linux reports KiB
    }


def seed(size: str, database: str) -> dict:
    spec = SIZES[size]
    psql("postgres", f'CREATE DATABASE "{database}"')
    env = {**os.environ, "DATABASE_URL": database_url(database)}
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    command = [
        PYTHON,
        "manage.py",
        "seed_demo",
        "--practices",
        str(PRACTICES),
        "--weeks",
        str(spec["weeks"]),
        "--items-per-week",
        str(spec["items_per_week"]),
    ]
    load = os.getloadavg()[0]
    figures = run_measured(command, env)
    psql(database, "VACUUM ANALYZE")
    figures.update(
        size=size,
        database=database,
        items=item_count(database),
        command="DATABASE_URL="
        + database_url(database)
        + " .venv/bin/python "
        + " ".join(command[1:]),
        load_before=load,
        load_after=os.getloadavg()[0],
        when=time.strftime("%Y-%m-%d %H:%M"),
    )
    return figures


def ensure(size: str) -> dict:
    """The size's database, seeded once; its seed figures if this machine measured them."""
    database = SIZES[size]["database"]
    record = OUT / f"seed-{size}.json"
    if exists(database) and item_count(database) > 0:
        figures = json.loads(record.read_text()) if record.exists() else {}
        figures.update(size=size, database=database, items=item_count(database), reused=True)
        return figures
    if exists(database):
        psql("postgres", f'DROP DATABASE "{database}"')  # an empty leftover of a failed seed
    figures = seed(size, database)
    OUT.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(figures, indent=1))
    return figures


def fresh(size: str) -> dict:
    """Seed a scratch database of this size, measure it, drop it."""
    database = f"pq_bench_seedtime_{size}"
    if exists(database):
        psql("postgres", f'DROP DATABASE "{database}"')
    try:
        return seed(size, database)
    finally:
        psql("postgres", f'DROP DATABASE IF EXISTS "{database}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, required=True)
    parser.add_argument("--fresh", action="store_true", help="time a seed into a scratch db")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    figures = fresh(args.size) if args.fresh else ensure(args.size)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
