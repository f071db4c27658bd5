"""What open screens cost the server when nobody does anything: 200 assistants, idle.

    .venv/bin/python bench/idle_screens.py --database pq_bench_10k --screens 200 --seconds 60

Starts gunicorn exactly as bench/http_load.py does (its helpers: production settings, 3 sync
workers, WhiteNoise, CONN_MAX_AGE=60), signs in N screens through the login form (cycling the
21 demo assistant accounts, each screen its own session), and has each one load the queue,
its alert banner and an item from it with the item's "I am here", as a person does. Then, for
--seconds, each screen polls exactly as the browser does, from a random phase (screens are
opened at different times): one POST every 10 s, the page's one poll (base.html's #live-poll,
static/js/live.js), with the data-live marks of every live part the screen shows:

    queue                the marker of the rows it holds (queue.html)
    item, conversation   the open item and the marker of its conversation (item.html)
    item, presence       the open item and the mark of who else it shows there (_presence.html)
    alerts               the marker of the escalation banner it holds (escalation/alerts.html)

A 204 leaves the screen as it is. A 200 names the parts that changed (HX-Trigger); the screen
then fetches each of them as htmx does (the rows' hx-get, the conversation's, the banner's,
the presence line's POST) and keeps the marks they bring. Each screen polls once before the
window, so what changed while the others were opening is not counted in it. Nothing changes
in the database during the window (no worker, no beat, nobody acting), so what is measured
is the idle cost: how many answers are empty, and the CPU time the gunicorn processes used
(utime + stime of the process group, from /proc, sampled every half second), as a share of
one CPU. The PostgreSQL backends of the bench database are measured the same way (found by
their process title) and reported beside it; the load generator's own CPU (this process)
separately, since all three share the 2 CPUs. The banner is drawn again every
BANNER_REDRAW_SECONDS (the server's setting, from this environment) even when nothing
changed: its safety net.

Two phases by default: the whole screen, and the poll carrying only the two parts of issue 21
(the queue and the conversation). The run writes sessions and access-audit rows only.
"""

import argparse
import html
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import http_load  # noqa: E402
import seed_size  # noqa: E402
from run import put_block  # noqa: E402

OUT = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "PERFORMANCE.md"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Seconds between two of the page's one poll (base.html's #live-poll).
INTERVAL = 10
# The parts of the screen whose marks each phase's poll carries.
PHASES = {
    "whole screen": ["queue", "conversation", "presence", "alerts"],
    "queue + conversation": ["queue", "conversation"],
}
# Each part's element on the page, which htmx names in HX-Trigger and HX-Target.
ELEMENTS = {
    "queue": "queue-rows",
    "conversation": "conversation",
    "alerts": "escalation-alerts-poll",
}
TARGET_SHARE = 0.20  # issue 21: 200 idle screens under 20 % of one CPU
POLL_HEADER = {"X-Background-Poll": "1"}
# A Redis database of its own (the change marks, presence, sessions' neighbours), emptied after.
REDIS_DB = 12


def fetch_of(body: str, element_id: str) -> tuple[str, dict]:
    """The hx-get URL and hx-headers of a part's element, as htmx reads them."""
    start = body.index(f'id="{element_id}"')
    tag = body[body.rindex("<", 0, start) : body.index(">", start)]
    url = re.search(r'hx-get="([^"]+)"', tag)
    headers = re.search(r"hx-headers='([^']+)'", tag)
    return html.unescape(url.group(1)) if url else "", json.loads(headers.group(1))


def live_marks(body: str) -> dict:
    """The data-live marks in this markup, merged in document order as static/js/live.js does."""
    marks: dict = {}
    for found in re.findall(r"data-live='([^']*)'", body):
        marks.update(json.loads(html.unescape(found)))
    return marks


def tag_of(body: str, marker: str) -> str:
    """The opening tag that holds `marker` (an id or an attribute)."""
    start = body.index(marker)
    return body[body.rindex("<", 0, start) : body.index(">", start) + 1]


class Screen(http_load.Assistant):
    """One browser tab: the queue with an item open beside it."""

    def open(self) -> bool:
        if not self.login():
            return False
        page = self.call("setup", "GET", "/")
        if 'id="queue-rows"' not in page:
            return False
        self.urls: dict[str, str] = {}
        self.headers: dict[str, dict] = {}
        self.marks: dict[str, dict] = {}
        self.keep("queue", page)
        # The banner's first fetch, on load: it brings the marker the poll sends next.
        self.keep("alerts", page)
        self.fetch("setup", "alerts")
        self.codes = http_load.ROW.findall(page)
        if not self.codes:
            return False
        self.item = self.rng.choice(self.codes)
        panel = self.call("setup", "GET", f"/items/{self.item}/", headers={"HX-Request": "true"})
        if 'id="conversation"' not in panel or "data-presence" not in panel:
            return False
        self.keep("conversation", panel)
        self.marks["presence"] = live_marks(tag_of(panel, "data-presence"))
        self.fetch("setup", "presence")  # "I am here", on load
        return True

    def keep(self, part: str, body: str) -> None:
        """What the part's element holds: its URL, its headers, the marks the poll sends."""
        element = ELEMENTS[part]
        self.urls[part], self.headers[part] = fetch_of(body, element)
        self.marks[part] = live_marks(tag_of(body, f'id="{element}"'))

    def fetch(self, kind: str, part: str) -> None:
        """A part's own request, as htmx makes it when the poll names it: the part drawn
        again, with its new marks."""
        if part == "presence":
            headers = {**self.csrf(), **POLL_HEADER}
            path = f"/items/{self.item}/presence/"
            line = self.call(kind, "POST", path, data={"typing": "0"}, headers=headers)
            self.marks["presence"] = {"item": self.item, "presence": "", **live_marks(line)}
            return
        element = ELEMENTS[part]
        sent = {"HX-Request": "true", "HX-Trigger": element, "HX-Target": element}
        sent |= self.headers[part]
        body = self.call(kind, "GET", self.urls[part], expect=(200, 204), headers=sent)
        if self.log[-1][2] == 200 and body:
            self.keep(part, body)

    def poll(self, parts: list[str]) -> None:
        """The page's one poll with the marks of these parts; then the parts it names."""
        sent = {"typing": "0"}
        for part in parts:
            sent |= self.marks[part]
        headers = {**self.csrf(), **POLL_HEADER}
        answer = {}
        # The answer names the changed parts in a header, which Assistant.call does not return.
        hooks = {"response": lambda response, **_: answer.update(response.headers)}
        self.call("live", "POST", "/live/", (200, 204), data=sent, headers=headers, hooks=hooks)
        named = json.loads(answer.get("HX-Trigger") or "{}")
        for part in parts:
            if f"{part}-stale" in named:
                self.fetch(part, part)

    def idle(self, started: float, until: float, parts: list[str]) -> None:
        # From a random phase, like the timer set when the page was opened.
        at = started + self.rng.uniform(0, INTERVAL)
        while at < until:
            time.sleep(max(0.0, at - time.perf_counter()))
            self.poll(parts)
            # Ticks that pass while the request is in flight collapse into one that runs when
            # it returns (htmx queues the last trigger of a busy element): a slow server is not
            # sent the backlog.
            at = max(at + INTERVAL, time.perf_counter())


# ---------------------------------------------------------------------------- CPU from /proc


def cpu_by_process(group: int, database: str) -> dict[int, tuple[str, float]]:
    """CPU seconds so far of every process of gunicorn's group and of every PostgreSQL
    backend connected to `database`, by pid."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            kind = ""
            if int(fields[2]) == group:
                kind = "gunicorn"
            elif name == "postgres":
                title = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode()
                kind = "postgresql" if f" {database} " in title else ""
        except (OSError, ValueError, IndexError):
            continue  # the process ended while it was read
        if kind:
            found[int(entry.name)] = (kind, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return found


class CpuMeter:
    """Samples /proc every half second over the window. A process that starts during it counts
    whole; one that ends (a PostgreSQL connection past CONN_MAX_AGE) counts up to its last
    sample, so at most half a second of its time is missed."""

    def __init__(self, group: int, database: str) -> None:
        self.group, self.database = group, database
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.stop = threading.Event()

    def sample(self) -> None:
        for pid, (kind, seconds) in cpu_by_process(self.group, self.database).items():
            self.first.setdefault(pid, 0.0)  # started during the window: all of it is in it
            self.last[pid] = (kind, seconds)

    def run(self) -> None:
        while not self.stop.wait(0.5):
            self.sample()

    def __enter__(self) -> "CpuMeter":
        self.last = cpu_by_process(self.group, self.database)
        self.first = {pid: seconds for pid, (_, seconds) in self.last.items()}
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.sample()

    def used(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for pid, (kind, seconds) in self.last.items():
            totals[kind] += seconds - self.first[pid]
        return dict(totals)


# ---------------------------------------------------------------------------- the run


def server_times(log_from: int) -> dict[str, list[float]]:
    """Gunicorn's own time per request (ms), by poll, from the access log."""
    kinds = {"/escalations/alerts/": "alerts", "/conversation/": "conversation"}
    kinds |= {"/presence/": "presence", "/live/": "live"}
    times: dict[str, list[float]] = defaultdict(list)
    with http_load.ACCESS_LOG.open() as access:
        access.seek(log_from)
        for line in access:
            parts = line.split()
            if len(parts) < 4:
                continue
            path = parts[-3]
            kind = next((k for p, k in kinds.items() if path.endswith(p)), "")
            times[kind or ("queue" if path == "/" else "other")].append(int(parts[-1]) / 1000)
    return times


def run_phase(screens: list[Screen], parts: list[str], seconds: float, group: int, db: str):
    for screen in screens:
        screen.log = []
    log_from = http_load.ACCESS_LOG.stat().st_size
    load = os.getloadavg()[0]
    started = time.perf_counter()
    until = started + seconds
    threads = [threading.Thread(target=s.idle, args=(started, until, parts)) for s in screens]
    client_before = os.times()
    with CpuMeter(group, db) as meter:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - started
    client_after = os.times()
    client_cpu = sum(client_after[:2]) - sum(client_before[:2])
    used = meter.used()
    server = server_times(log_from)
    log = [entry for screen in screens for entry in screen.log]
    polls = {}
    for kind in ["live", *parts]:
        entries = [e for e in log if e[0] == kind]
        statuses = Counter(str(e[2] or e[4]) for e in entries)  # an exception has no status
        polls[kind] = {
            "every": f"{INTERVAL} s" if kind == "live" else "when named",
            "requests": len(entries),
            "per_s": len(entries) / elapsed,
            "statuses": dict(sorted(statuses.items())),
            "errors": sum(1 for e in entries if not e[3]),
            "client_p50_ms": statistics.median(e[1] for e in entries) if entries else 0.0,
            "client_p95_ms": http_load.percentile([e[1] for e in entries], 0.95) if entries else 0,
            "server_p50_ms": statistics.median(server[kind]) if server[kind] else 0.0,
        }
    return {
        "polls": parts,
        "seconds": elapsed,
        "load_before": load,
        "load_after": os.getloadavg()[0],
        "requests": len(log),
        "per_s": len(log) / elapsed,
        "errors": sum(p["errors"] for p in polls.values()),
        "empty": sum(p["statuses"].get("204", 0) for p in polls.values()),
        "gunicorn_cpu_s": used.get("gunicorn", 0.0),
        "gunicorn_share": used.get("gunicorn", 0.0) / elapsed,
        "postgresql_cpu_s": used.get("postgresql", 0.0),
        "postgresql_share": used.get("postgresql", 0.0) / elapsed,
        "client_share": client_cpu / elapsed,
        "by_poll": polls,
    }


def open_screens(base: str, count: int) -> list[Screen]:
    accounts = ["assistant.all"] + [
        f"assistant.{slug}" for slug in ["lakeside", "mesa"] + [f"clinic-{n}" for n in range(3, 21)]
    ]
    screens = [Screen(base, accounts[n % len(accounts)], n) for n in range(count)]
    # Signing in hashes a password (PBKDF2): a few at a time keeps both CPUs busy.
    with ThreadPoolExecutor(max_workers=6) as pool:
        opened = list(pool.map(Screen.open, screens))
    if not all(opened):
        raise SystemExit(f"only {sum(opened)} of {count} screens could sign in and open an item")
    # One poll each before the window, as a screen open for a while has had: what changed while
    # the others were opening (a colleague arriving in the same item, the banner's period
    # turning during the sign-ins) is fetched before the measure, not in it.
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda screen: screen.poll(PHASES["whole screen"]), screens))
    return screens


def describe(r: dict) -> str:
    """The docs block of one run (one database, every phase)."""
    lines = [
        f"**{r['database']}** ({r['items']:,} work items, {r['open_items']:,} open): "
        f"{r['screens']} screens of {r['accounts']} assistant accounts, gunicorn with "
        f"{r['workers']} sync workers, the banner drawn again every "
        f"{r['banner_redraw_s']} s, {r['date']}.",
        "",
        "| polls | requests/s | empty answers (204) | errors | gunicorn CPU, share of one CPU "
        "| per request | PostgreSQL backends | load generator | load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, p in r["phases"].items():
        verdict = "met" if p["gunicorn_share"] < TARGET_SHARE else "**missed**"
        lines.append(
            f"| {name}, {p['seconds']:.0f} s | {p['per_s']:.1f} | "
            f"{p['empty']:,} of {p['requests']:,} ({p['empty'] / max(1, p['requests']):.0%}) | "
            f"{p['errors']} | **{p['gunicorn_share']:.1%}** ({p['gunicorn_cpu_s']:.1f} s; "
            f"{verdict}) | {1000 * p['gunicorn_cpu_s'] / max(1, p['requests']):.1f} ms | "
            f"{p['postgresql_share']:.1%} | {p['client_share']:.1%} | "
            f"{p['load_before']:.1f} → {p['load_after']:.1f} |"
        )
    lines += [
        "",
        "| phase | request | when | requests | statuses | client p50 / p95 ms | server p50 ms |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: |",
    ]
    for name, phase in r["phases"].items():
        for kind, p in phase["by_poll"].items():
            statuses = ", ".join(f"{code}: {n:,}" for code, n in p["statuses"].items())
            lines.append(
                f"| {name} | {kind} | {p['every']} | {p['requests']:,} | {statuses} | "
                f"{p['client_p50_ms']:.0f} / {p['client_p95_ms']:.0f} | "
                f"{p['server_p50_ms']:.1f} |"
            )
    lines += [
        "",
        "```",
        ".venv/bin/python bench/idle_screens.py --database "
        f"{r['database']} --screens {r['screens']} --seconds {r['requested_s']:g}",
        "```",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="pq_bench_10k")
    parser.add_argument("--screens", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--phases", default=",".join(PHASES), help="comma-separated")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8094)
    parser.add_argument("--json", type=Path, help="default var/bench/idle-<database>.json")
    parser.add_argument("--write-docs", action="store_true", help="its block in PERFORMANCE.md")
    args = parser.parse_args()

    env = http_load.server_env(args.database, ROOT / "var" / "bench" / "web", REDIS_DB)
    open_items = seed_size.psql(
        args.database, "SELECT count(*) FROM queue_app_workitem WHERE status <> 'resolved'"
    )
    result = {
        "database": args.database,
        "items": seed_size.item_count(args.database),
        "open_items": int(open_items),
        "screens": args.screens,
        "accounts": min(args.screens, 21),
        "workers": args.workers,
        "requested_s": args.seconds,
        "banner_redraw_s": int(env.get("BANNER_REDRAW_SECONDS", "60")),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "phases": {},
    }
    server = http_load.start_server(env, args.port, args.workers)
    try:
        screens = open_screens(f"http://127.0.0.1:{args.port}", args.screens)
        for name in args.phases.split(","):
            phase = run_phase(screens, PHASES[name], args.seconds, server.pid, args.database)
            result["phases"][name] = phase
            print(
                f"{name}: {phase['per_s']:.1f} requests/s, {phase['empty']} of "
                f"{phase['requests']} empty, {phase['errors']} errors; gunicorn "
                f"{phase['gunicorn_share']:.1%} of a CPU, PostgreSQL "
                f"{phase['postgresql_share']:.1%}, load generator {phase['client_share']:.1%}",
                flush=True,
            )
    finally:
        http_load.stop_server(server)
        subprocess.run(
            ["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], check=False, capture_output=True
        )
    body = describe(result)
    print(body)
    path = args.json or OUT / f"idle-{args.database}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1))
    if args.write_docs:
        DOC.write_text(put_block(DOC.read_text(), f"idle-{args.database}", body) + "\n")


if __name__ == "__main__":
    main()
