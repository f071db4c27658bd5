"""`make bench`: every benchmark of bench/ against PostgreSQL and Redis, figures into the docs.

    make bench                 # full: 10k / 100k / 1M work items, 50 assistants for 60 s
    make bench SIZE=small      # a few minutes: 10k work items, shorter load phases
    .venv/bin/python bench/run.py --size full --skip reminders,scorecard

Steps (each one is a script that also runs alone; the command of each is printed and
written beside its figures):

    seed      bench/seed_size.py       the databases pq_bench_10k, pq_bench_100k and pq_bench
                                       (1M, reused: it takes ~20 min to seed), seed cost
    queue     bench/queue_pages.py     queue page and item panel, server time and queries
    pages     bench/page_times.py      patient page, escalation inbox, scorecard, playbook and
                                       campaign preview, server time and queries (full size
                                       writes a block per size)
    claims    bench/claim_contention.py  20 assistants claiming from one queue at once
    http      bench/http_load.py       gunicorn, 50 simulated assistants, 60 s
    idle      bench/idle_screens.py    gunicorn, 200 open screens polling, nobody acting: the
                                       server's CPU share (10k; full size also 1M, and writes
                                       its docs blocks)
    search    bench/search_speed.py    the patient search at 100k (small) or 100k and 1M (full),
                                       its own databases; full size writes its docs blocks
    scorecard bench/scorecard.py       (full size only) its own section of the docs
    reminders bench/reminder_pipeline.py --write-docs  (full size only) its own section

The full size rewrites the generated blocks of docs/PERFORMANCE.md (between
`<!-- bench:NAME -->` and `<!-- /bench:NAME -->` markers; the prose around them stays);
the small size writes var/bench/report-small.md and leaves the docs alone. Raw figures of
every step are kept as JSON in var/bench/.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "PERFORMANCE.md"
PY = ".venv/bin/python"
PG = "postgres://postgres@127.0.0.1:5432/"
sys.path.insert(0, str(ROOT / "bench"))

import seed_size  # noqa: E402

PLANS = {
    "small": {
        "sizes": ["10k"],
        "queue_runs": 45,
        "pages_runs": 30,
        "claims": 150,
        "http": {"users": 50, "seconds": 20, "saturation": 10},
        "idle_seconds": 30,
    },
    "full": {
        "sizes": ["10k", "100k", "1m"],
        "queue_runs": 90,
        "pages_runs": 60,
        "claims": 300,
        "http": {"users": 50, "seconds": 60, "saturation": 30},
        "idle_seconds": 60,
    },
}
LABEL = {"10k": "10,000", "100k": "100,000", "1m": "1,000,000"}


def sh(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine() -> dict:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    versions = sh(
        PY, "-c", "import django, gunicorn; print(django.get_version(), gunicorn.__version__)"
    ).split()
    redis = re.search(r"redis_version:(\S+)", sh("redis-cli", "INFO", "server"))
    pg = sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version", "postgres")
    return {
        "cpus": os.cpu_count(),
        "nproc": sh("nproc"),
        "cpu": cpu,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "django": versions[0] if versions else "?",
        "gunicorn": versions[1] if len(versions) > 1 else "?",
        "postgresql": pg.split()[0],
        "redis": redis.group(1) if redis else "?",
        "kernel": platform.release(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


QUIET = {"load": 3.0, "wait_s": 600.0}


def wait_for_quiet() -> None:
    """On a shared machine, start a step once the 1-minute load is below QUIET["load"] (or
    after QUIET["wait_s"] anyway: the load during each step is written beside its figures)."""
    deadline = time.time() + QUIET["wait_s"]
    while os.getloadavg()[0] >= QUIET["load"] and time.time() < deadline:
        time.sleep(10)


def step(name: str, command: list[str], env: dict | None = None) -> None:
    wait_for_quiet()
    printable = " ".join(command)
    if env and "DATABASE_URL" in env:
        printable = f"DATABASE_URL={env['DATABASE_URL']} {printable}"
    print(f"\n== {name}: {printable}   (load {os.getloadavg()[0]:.1f})", flush=True)
    subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})}, check=True)


def load_json(name: str) -> dict:
    path = OUT / name
    return json.loads(path.read_text()) if path.exists() else {}


# ------------------------------------------------------------------------------ markdown


def fmt(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def queue_block(sizes: list[str], runs: int) -> str:
    results = {size: load_json(f"queue-{size}.json") for size in sizes}
    results = {size: r for size, r in results.items() if r}
    if not results:
        return "_not run_"
    lines = [
        "Server time through Django's test client (middleware, view, template, every SQL query;"
        " no network), as `assistant.all`, who works all 20 practices (the widest queue). "
        f"{runs} requests per case in 3 rounds, interleaved; p50/p95 over all of them, and "
        "the median of each round to show the spread.",
        "",
        "| case | work items (open) | p50 ms | p95 ms | round medians ms | SQL ms p50 | queries |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: |",
    ]
    keys = ["queue_default", "queue_spanish", "queue_search", "item_htmx", "item_page"]
    for key in keys:
        for r in results.values():
            case = next((c for c in r["cases"] if c["key"] == key), None)
            if case is None:
                continue
            rounds = " · ".join(f"{v:.0f}" for v in case["round_p50_ms"])
            lines.append(
                f"| {case['label']} | {r['items']:,} ({r['open_items']:,}) | "
                f"{fmt(case['p50_ms'])} | {fmt(case['p95_ms'])} | {rounds} | "
                f"{fmt(case['sql_p50_ms'])} | {case['queries']} |"
            )
    loads = ", ".join(
        f"{LABEL[s]}: {r['load_before']:.1f} → {r['load_after']:.1f}" for s, r in results.items()
    )
    lines += ["", f"Load average (1 min) before → after each size: {loads}."]
    largest = list(results)[-1]
    others = [c for c in results[largest]["cases"] if c["key"] not in keys]
    if others:
        lines += [
            "",
            f"Other cases at {results[largest]['items']:,} work items:",
            "",
            "| case | p50 ms | p95 ms | SQL ms p50 | queries |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {c['label']} | {fmt(c['p50_ms'])} | {fmt(c['p95_ms'])} | "
            f"{fmt(c['sql_p50_ms'])} | {c['queries']} |"
            for c in others
        ]
    lines += ["", "Commands:", "", "```"]
    for size, r in results.items():
        flags = "" if size == largest and others else " --quick"
        lines.append(
            f"DATABASE_URL={PG}{r['database']} {PY} bench/queue_pages.py"
            f" --runs {r['runs']} --rounds {r['rounds']}{flags}"
        )
    lines.append("```")
    return "\n".join(lines)


def pages_block(size: str) -> str:
    r = load_json(f"pages-{size}.json")
    if not r:
        return "_not run_"
    lines = [
        f"{r['items']:,} work items; {r['runs']} requests per page in {r['rounds']} rounds, "
        f"interleaved; load average {r['load_before']:.1f} → {r['load_after']:.1f} on "
        f"{os.cpu_count()} CPUs.",
        "",
        "| page | p50 ms | p95 ms | round medians ms | SQL ms p50 | queries |",
        "| --- | ---: | ---: | --- | ---: | ---: |",
    ]
    for case in r["cases"]:
        rounds = " · ".join(f"{v:.0f}" for v in case["round_p50_ms"])
        lines.append(
            f"| {case['label']} | {fmt(case['p50_ms'])} | {fmt(case['p95_ms'])} | {rounds} | "
            f"{fmt(case['sql_p50_ms'])} | {case['queries']} |"
        )
    lines += [
        "",
        f"`{PY} bench/page_times.py --database {r['database']} --runs {r['runs']} "
        f"--rounds {r['rounds']}`",
    ]
    return "\n".join(lines)


# The pages of bench/page_times.py with a target (issue 21, item 1): p95 server time, ms.
PAGE_TARGETS = {"patient_page": 100, "scorecard_stored": 100}


def http_block() -> str:
    r = load_json("http.json")
    if not r:
        return "_not run_"
    lines = []
    for phase in r["phases"]:
        a = phase["actions"]["all"]
        lines += [
            f"**{phase['name']}**: {phase['users']} assistants, mean pause {phase['think_s']:g} s"
            f" between actions, {phase['seconds']:.0f} s; load {phase['load_before']:.1f} → "
            f"{phase['load_after']:.1f}. **{a['per_s']:.1f} requests/s, p95 {a['p95_ms']:.0f} ms,"
            f" {a['errors']} errors** in {a['requests']:,} requests. Server time (gunicorn's "
            f"own, without the wait for a free worker): p50 {phase['server_p50_ms']:.0f} ms, "
            f"p95 {phase['server_p95_ms']:.0f} ms. Client p95 per 10-second window: "
            f"{', '.join(str(v) for v in phase['window_p95_ms'])} ms. The load generator "
            f"itself used {phase.get('client_cpu_share', 0):.0%} of a CPU.",
            "",
            "| action | requests | per s | p50 ms | p95 ms | max ms | errors | outcomes |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for kind in ["list", "open", "claim", "verify", "send", "note", "all"]:
            m = phase["actions"].get(kind)
            if m:
                outcomes = ", ".join(f"{k} {v}" for k, v in sorted(m["outcomes"].items()))
                errs = f"{m['errors']}" + (f" ({m['error_kinds']})" if m["errors"] else "")
                lines.append(
                    f"| {kind} | {m['requests']:,} | {m['per_s']:.1f} | {m['p50_ms']:.0f} | "
                    f"{m['p95_ms']:.0f} | {m['max_ms']:.0f} | {errs} | "
                    f"{outcomes if kind != 'all' else ''} |"
                )
        lines.append("")
    steady = r["phases"][0]
    sat = r["phases"][1]["requested_s"] if len(r["phases"]) > 1 else 0
    lines += [
        "Command:",
        "",
        "```",
        f"{PY} bench/http_load.py --database {r['database']} --users {steady['users']} "
        f"--seconds {steady['requested_s']:g} --think {steady['think_s']:g} --saturation {sat:g}",
        "```",
    ]
    return "\n".join(lines)


def claims_block() -> str:
    r = load_json("claims.json")
    if not r:
        return "_not run_"
    lines = [
        f"{r['assistants']} assistants (one process each) claiming from the queue of "
        f"`{r['practice']}` ({r['available']} unassigned new items) at once, "
        f"{len(r['rounds'])} rounds; load {r['load_before']:.1f} → {r['load_after']:.1f}.",
        "",
        "| round | claims | seconds | claims/s | attempts | refused (someone was faster) "
        "| claim p50 / p95 ms | double claims | errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, x in enumerate(r["rounds"], 1):
        lines.append(
            f"| {n} | {x['claims']} | {x['seconds']:.1f} | {x['claims_per_s']:.0f} | "
            f"{x['attempts']} | {x['refused']} | {x['claim_p50_ms']:.0f} / "
            f"{x['claim_p95_ms']:.0f} | {x['double_claims']} | {len(x['errors'])} |"
        )
    lines += [
        "",
        f"**Median {r['claims_per_s_median']:.0f} claims/s "
        f"(rounds {r['claims_per_s_min']:.0f}–{r['claims_per_s_max']:.0f}); double claims: "
        f"{r['double_claims']}** (an item two assistants were both told they hold, or with "
        f"two `claimed` events; owner mismatches {r['owner_mismatch']}).",
        "",
        "```",
        f"DATABASE_URL={PG}{r['database']} {PY} bench/claim_contention.py --assistants "
        f"{r['assistants']} --rounds {len(r['rounds'])} --claims {r['target']}",
        "```",
    ]
    return "\n".join(lines)


def seed_block(sizes: list[str]) -> str:
    lines = [
        "| size | database | work items | seed wall | seed CPU | peak memory (seed_demo) "
        "| load | command |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for size in sizes:
        r = load_json(f"seed-{size}.json")
        if not r.get("wall_s"):
            database = seed_size.SIZES[size]["database"]
            lines.append(
                f"| {LABEL[size]} | {database} | {seed_size.item_count(database):,} | "
                "not measured by this run (database reused, see below) | | | | |"
            )
            continue
        lines.append(
            f"| {LABEL[size]} | {r['database']} | {r['items']:,} | {r['wall_s'] / 60:.1f} min | "
            f"{r['cpu_s'] / 60:.1f} min | {r['peak_rss_mib']:.0f} MiB | "
            f"{r['load_before']:.1f} | `{r['command']}` |"
        )
    return "\n".join(lines)


def summary_block(info: dict, sizes: list[str], started: float, steps: list[str]) -> str:
    largest = sizes[-1]
    q = load_json(f"queue-{largest}.json")
    http = load_json("http.json")
    claims = load_json("claims.json")

    def case(key: str) -> dict:
        return next((c for c in q.get("cases", []) if c["key"] == key), {})

    rows = []
    if q:
        for key, name in [
            ("queue_default", "queue page, default"),
            ("queue_spanish", "queue page, language filter"),
            ("queue_search", "queue page, search"),
            ("item_htmx", "item panel"),
        ]:
            c = case(key)
            if c:
                verdict = "met" if c["p95_ms"] < 50 else "**missed**"
                rows.append(
                    f"| {name}, p95 server time at {q['items']:,} items | < 50 ms | "
                    f"{c['p95_ms']:.1f} ms ({c['queries']} queries) | {verdict} |"
                )
    pages = load_json(f"pages-{largest}.json")
    for c in pages.get("cases", []):
        if c["key"] in PAGE_TARGETS:
            goal = PAGE_TARGETS[c["key"]]
            rows.append(
                f"| {c['label']}, p95 server time at {pages['items']:,} items | < {goal} ms | "
                f"{c['p95_ms']:.1f} ms ({c['queries']} queries) | "
                f"{'met' if c['p95_ms'] < goal else '**missed**'} |"
            )
    if http:
        a = http["phases"][0]["actions"]["all"]
        verdict = "met" if a["p95_ms"] < 150 and a["errors"] == 0 else "**missed**"
        rows.append(
            f"| HTTP, {http['phases'][0]['users']} assistants: p95, errors | < 150 ms, 0 | "
            f"{a['p95_ms']:.0f} ms, {a['errors']} errors ({a['per_s']:.1f} req/s) | {verdict} |"
        )
    idle = load_json(f"idle-{seed_size.SIZES[largest]['database']}.json")
    if idle:
        phase = next(iter(idle["phases"].values()))
        share = phase["gunicorn_share"]
        rows.append(
            f"| {idle['screens']} idle screens at {idle['items']:,} items: gunicorn CPU "
            f"| < 20% of one CPU | {share:.1%} ({phase['per_s']:.0f} polls/s, "
            f"{phase['empty'] / max(1, phase['requests']):.0%} empty) "
            f"| {'met' if share < 0.2 else '**missed**'} |"
        )
    if claims:
        verdict = "met" if claims["double_claims"] == 0 else "**missed**"
        rows.append(
            f"| claim contention, {claims['assistants']} assistants: double claims | 0 | "
            f"{claims['double_claims']} ({claims['claims_per_s_median']:.0f} claims/s) | "
            f"{verdict} |"
        )
    lines = [
        f"Written by `bench/run.py` on {info['date']} (steps run this time: "
        f"{', '.join(steps) or 'none, report only'}; {(time.time() - started) / 60:.0f} min). "
        "Each figure comes from the last run of its step (`var/bench/*.json`).",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gib']} GiB memory, "
        f"Linux {info['kernel']}; Python {info['python']}, Django {info['django']}, gunicorn "
        f"{info['gunicorn']}, PostgreSQL {info['postgresql']}, Redis {info['redis']}; all on "
        "this one machine. Load average at the start: "
        f"{info['load_start']:.1f}; other projects' test suites shared the machine, so every "
        "section gives the load during its own run.",
        "",
        "| target | goal | measured | |",
        "| --- | --- | --- | --- |",
        *rows,
    ]
    return "\n".join(lines)


def put_block(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.S)
    block = f"<!-- bench:{name} -->\n{body}\n<!-- /bench:{name} -->"
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip() + f"\n\n{block}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=PLANS, default="full")
    parser.add_argument("--skip", default="", help="comma-separated steps to skip")
    parser.add_argument("--only", default="", help="comma-separated steps to run")
    parser.add_argument("--report-only", action="store_true", help="rewrite the docs from JSON")
    parser.add_argument("--quiet-load", type=float, default=3.0, help="wait for this load")
    parser.add_argument("--quiet-wait", type=float, default=600, help="but at most seconds")
    args = parser.parse_args()
    QUIET.update(load=args.quiet_load, wait_s=args.quiet_wait)
    plan = PLANS[args.size]
    steps = ["seed", "queue", "pages", "claims", "http", "idle", "search", "scorecard", "reminders"]
    if args.size == "small":
        steps = steps[:7]
    if args.only:
        steps = [s for s in steps if s in args.only.split(",")]
    steps = [s for s in steps if s not in args.skip.split(",")]
    if args.report_only:
        steps = []
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.time()
    info = machine() | {"load_start": os.getloadavg()[0]}
    print(json.dumps(info, indent=1))
    sizes = plan["sizes"]
    largest_db = seed_size.SIZES[sizes[-1]]["database"]

    if "seed" in steps:
        for size in sizes:
            subprocess.run([PY, "bench/seed_size.py", "--size", size], cwd=ROOT, check=True)
    if "queue" in steps:
        for size in sizes:
            quick = [] if size == sizes[-1] else ["--quick"]
            command = [PY, "bench/queue_pages.py", "--runs", str(plan["queue_runs"]), "--rounds"]
            command += ["3", *quick, "--json", f"var/bench/queue-{size}.json"]
            step(
                f"queue pages {size}",
                command,
                {"DATABASE_URL": PG + seed_size.SIZES[size]["database"]},
            )
    if "pages" in steps:
        for size in sizes:
            database = seed_size.SIZES[size]["database"]
            command = [PY, "bench/page_times.py", "--database", database]
            command += ["--runs", str(plan["pages_runs"]), "--json", f"var/bench/pages-{size}.json"]
            step(f"pages {size}", command)
    if "claims" in steps:
        command = [PY, "bench/claim_contention.py", "--assistants", "20", "--rounds", "3"]
        command += ["--claims", str(plan["claims"]), "--json", "var/bench/claims.json"]
        step("claim contention", command, {"DATABASE_URL": PG + largest_db})
    if "http" in steps:
        h = plan["http"]
        command = [PY, "bench/http_load.py", "--database", largest_db, "--users", str(h["users"])]
        command += ["--seconds", str(h["seconds"]), "--saturation", str(h["saturation"])]
        step("http load", [*command, "--json", "var/bench/http.json"])
    if "idle" in steps:
        for size in sizes if args.size == "small" else [sizes[0], sizes[-1]]:
            database = seed_size.SIZES[size]["database"]
            command = [PY, "bench/idle_screens.py", "--database", database, "--screens", "200"]
            command += ["--seconds", str(plan["idle_seconds"])]
            docs = [] if args.size == "small" else ["--write-docs"]
            step(f"idle screens {size}", command + docs)
    if "search" in steps:
        for size in ["100k"] if args.size == "small" else ["100k", "1m"]:
            command = [PY, "bench/search_speed.py", "--size", size]
            step(f"search {size}", command + ([] if args.size == "small" else ["--write-docs"]))
    if "scorecard" in steps:
        with open(OUT / "scorecard.txt", "w") as out:
            print("\n== scorecard: bench/scorecard.py --runs 20 (output in var/bench/)")
            subprocess.run(
                [PY, "bench/scorecard.py", "--runs", "20"],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": PG + "pq_bench"},
                stdout=out,
                check=False,
            )
    if "reminders" in steps:
        step("reminder pipeline", [PY, "bench/reminder_pipeline.py", "--write-docs"])

    blocks = {
        "summary": summary_block(info, sizes, started, steps),
        "queue": queue_block(sizes, plan["queue_runs"]),
        "claims": claims_block(),
        "http": http_block(),
        **{f"pages-{size}": pages_block(size) for size in sizes},
        "seed": seed_block(["10k", "100k", "1m"] if args.size == "full" else sizes),
    }
    if args.size == "full":
        text = DOC.read_text()
        for name, body in blocks.items():
            text = put_block(text, name, body)
        DOC.write_text(text)
        print(f"\nwrote {DOC.relative_to(ROOT)}")
    else:
        report = OUT / "report-small.md"
        report.write_text(
            "\n\n".join(f"## {name}\n\n{body}" for name, body in blocks.items()) + "\n"
        )
        print("\n" + report.read_text())
        print(f"wrote {report.relative_to(ROOT)} (docs/PERFORMANCE.md holds the full size)")


if __name__ == "__main__":
    main()
