"""The queue over HTTP under load: gunicorn as in docker-compose, 50 simulated assistants.

    .venv/bin/python bench/http_load.py --database pq_bench --users 50 --seconds 60

Starts `gunicorn config.wsgi:application --workers 3` (the docker-compose command) with
production settings: DEBUG=False, a SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, WhiteNoise's
manifest static files (collected first), CONN_MAX_AGE=60 as in .env.example. Plain HTTP on
the loopback, so SECURE_SSL_REDIRECT and the Secure flag of the session and CSRF cookies are
turned off by their environment switches; nothing else differs from production. REDIS_URL
points at a Redis database of the bench's own (13, emptied afterwards): the responses sent
during the run are queued for a worker that is not running, as they would be in a burst.

Each simulated assistant is a thread with its own `requests` session, signed in through the
login form (assistants: managers would need their TOTP code). They cycle over the 21 demo
assistant accounts. After signing in, each one loops for `--seconds`:

    list   35 %  the queue: one in three a full page load, two in three the HTMX poll of rows
    open   30 %  an item's panel (the HTMX partial), a row of the last list
    claim  12 %  the Claim button on an unassigned row
    send   12 %  on an item they hold: the identity check, then Send (two requests)
    note   11 %  a structured note on an item they hold (or opened)

with a pause of `--think` seconds on average between actions (uniform 0 to 2x; default 2 s:
about 20 requests/s from 50 assistants, three to four times the pace of people, who poll
every 15 s and act every 10 to 30 s). `--think 0` gives the saturation figures: how
many requests per second the 3 workers serve when nobody pauses. The load generator runs on
the same machine and takes CPU from the server: figures are a floor for a separate client.

Reported per action and overall: requests, throughput, p50/p95/max latency (client side:
loopback, gunicorn's queue, Django, PostgreSQL), errors (a 5xx, a connection failure, or a
4xx where none is expected), and how the actions ended (claimed / already taken / sent / ...).
The run changes the database: claims, responses, notes, audit rows, as real work would.
"""

import argparse
import contextlib
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PASSWORD = "queue-demo-2026"  # the demo's password (demo.seed.DEMO_PASSWORD)
REDIS_DB = 13
ACCESS_LOG = ROOT / "var" / "bench" / "http-access.log"
MIX = [("list", 35), ("open", 30), ("claim", 12), ("send", 12), ("note", 11)]
NOTE = {
    "request": "Patient asked to move the 3/6 9:00 AM visit (work conflict)",
    "verified_details": "Identity confirmed (name + DOB)",
    "action_taken": "Moved to 3/13 at 2:10 PM; confirmation text sent",
    "promised_follow_up": "Reminder goes out 3/12; item closed",
    "escalation_status": "No clinical questions; escalation: none",
    "language": "en",
}
ROW = re.compile(r'data-queue-row data-code="([0-9a-f-]{36})"')
CLAIM = re.compile(r'action="/items/([0-9a-f-]{36})/claim/"')
VERIFY_FIELD = re.compile(r'name="verified" value="([a-z_]+)"(?![^>]*disabled)')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def server_env(database: str, var_dir: Path, redis_db: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "DEBUG": "False",
        "SECRET_KEY": "bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "CONN_MAX_AGE": "60",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    ACCESS_LOG.parent.mkdir(parents=True, exist_ok=True)
    ACCESS_LOG.write_text("")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            # Server-side time of every request (microseconds), beside the client's.
            "--access-logfile",
            str(ACCESS_LOG),
            "--access-logformat",
            "%(t)s %(m)s %(U)s %(s)s %(D)s",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        with contextlib.suppress(requests.RequestException):  # not listening yet
            if requests.get(f"http://127.0.0.1:{port}/login/", timeout=10).status_code == 200:
                return server
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited: {server.stderr.read()[-2000:]}")
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /login/ within 90 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # gunicorn's own process group only
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


class Assistant:
    def __init__(self, base: str, username: str, seed: int) -> None:
        self.base = base
        self.username = username
        self.http = requests.Session()
        self.rng = random.Random(seed)
        self.codes: list[str] = []
        self.claimable: list[str] = []
        self.held: list[str] = []
        self.log: list[tuple[str, float, int, bool, str, float]] = []

    # -- plumbing
    def csrf(self) -> dict:
        return {"X-CSRFToken": self.http.cookies.get("csrftoken", ""), "HX-Request": "true"}

    def call(self, kind: str, method: str, path: str, expect=(200,), **kwargs) -> str:
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, timeout=30, **kwargs)
        except requests.RequestException as exc:
            elapsed = (time.perf_counter() - started) * 1000
            self.log.append((kind, elapsed, 0, False, type(exc).__name__, started))
            return ""
        elapsed = (time.perf_counter() - started) * 1000
        ok = response.status_code in expect
        self.log.append((kind, elapsed, response.status_code, ok, "", started))
        return response.text if ok else ""

    def outcome(self, text: str) -> None:
        kind, elapsed, status, ok, _, started = self.log[-1]
        self.log[-1] = (kind, elapsed, status, ok, text, started)

    def login(self) -> bool:
        self.http.get(self.base + "/login/", timeout=30)
        response = self.http.post(
            self.base + "/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""),
            },
            timeout=60,
        )
        return response.status_code == 200 and "sessionid" in self.http.cookies

    # -- what an assistant does
    def do_list(self) -> None:
        if self.rng.random() < 2 / 3 and self.codes:
            headers = {"HX-Request": "true", "X-Background-Poll": "1"}
            body = self.call("list", "GET", "/?block=", headers=headers)
        else:
            body = self.call("list", "GET", "/")
        if body:
            self.codes = ROW.findall(body)
            self.claimable = CLAIM.findall(body)

    def do_open(self) -> None:
        if not self.codes:
            return self.do_list()
        code = self.rng.choice(self.codes)
        self.call("open", "GET", f"/items/{code}/", headers={"HX-Request": "true"})

    def do_claim(self) -> None:
        if not self.claimable:
            # Nothing to take on the current view: filter to the unassigned items first.
            body = self.call("list", "GET", "/?block=&scope=unassigned")
            self.claimable = CLAIM.findall(body)
            if not self.claimable:
                return None
        code = self.claimable.pop(self.rng.randrange(min(3, len(self.claimable))))
        body = self.call("claim", "POST", f"/items/{code}/claim/", headers=self.csrf())
        if "You have this item now" in body:
            self.held.append(code)
            self.outcome("claimed")
        elif body:
            self.outcome("taken by someone else")

    def do_send(self) -> None:
        if not self.held:
            return self.do_claim()
        code = self.rng.choice(self.held)
        panel = self.call("open", "GET", f"/items/{code}/", headers={"HX-Request": "true"})
        fields = VERIFY_FIELD.findall(panel)
        if fields:
            self.call(
                "verify",
                "POST",
                f"/items/{code}/verify/",
                headers=self.csrf(),
                data={"verified": fields},
            )
        body = self.call(
            "send",
            "POST",
            f"/items/{code}/send/",
            headers=self.csrf(),
            data={"channel": self.rng.choice(["sms", "portal"]), "token": str(uuid.uuid4())},
        )
        if "Response queued" in body or "scheduled" in body or "Already sent" in body:
            self.outcome("queued or scheduled")
        elif body:
            self.outcome("refused by a rule")

    def do_note(self) -> None:
        pool = self.held or self.codes
        if not pool:
            return self.do_list()
        code = self.rng.choice(pool)
        body = self.call("note", "POST", f"/notes/items/{code}/", headers=self.csrf(), data=NOTE)
        if body:
            self.outcome("saved" if "error" not in body[:2000] else "form shown again")

    def work(self, until: float, think: float) -> None:
        actions = {"list": self.do_list, "open": self.do_open, "claim": self.do_claim}
        actions.update(send=self.do_send, note=self.do_note)
        kinds, weights = zip(*MIX, strict=True)
        # People do not all click at the same instant: each starts within one pause.
        time.sleep(self.rng.uniform(0, 2 * think))
        self.do_list()
        while time.perf_counter() < until:
            actions[self.rng.choices(kinds, weights)[0]]()
            if think:
                time.sleep(self.rng.uniform(0, 2 * think))


def summarize(log: list, seconds: float) -> dict:
    by_kind: dict[str, list] = defaultdict(list)
    for entry in log:
        by_kind[entry[0]].append(entry)
    by_kind["all"] = list(log)
    out = {}
    for kind, entries in by_kind.items():
        times = [e[1] for e in entries]
        errors = [e for e in entries if not e[3]]
        out[kind] = {
            "requests": len(entries),
            "per_s": len(entries) / seconds,
            "p50_ms": statistics.median(times),
            "p95_ms": percentile(times, 0.95),
            "max_ms": max(times),
            "errors": len(errors),
            "error_kinds": dict(Counter(str(e[2] or e[4]) for e in errors)),
            "outcomes": dict(Counter(e[4] for e in entries if e[3] and e[4])),
        }
    return out


def run_phase(base: str, accounts: list[str], users: int, seconds: float, think: float) -> dict:
    assistants = [Assistant(base, accounts[n % len(accounts)], n) for n in range(users)]
    logged_in = sum(a.login() for a in assistants)
    if logged_in < users:
        raise SystemExit(f"only {logged_in} of {users} assistants could sign in")
    until = time.perf_counter() + seconds
    threads = [threading.Thread(target=a.work, args=(until, think)) for a in assistants]
    load = os.getloadavg()[0]
    log_from = ACCESS_LOG.stat().st_size  # sign-ins are not part of the figures
    cpu_before = os.times()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu_after = os.times()
    client_cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    with ACCESS_LOG.open() as access:
        access.seek(log_from)
        server_ms = [int(line.split()[-1]) / 1000 for line in access if line.strip()]
    log = [entry for a in assistants for entry in a.log]
    windows = defaultdict(list)  # the client's p95 per 10 s, to show bursts from elsewhere
    for entry in log:
        windows[int((entry[5] - started) // 10)].append(entry[1])
    return {
        "users": users,
        "think_s": think,
        "requested_s": seconds,
        "seconds": elapsed,
        "load_before": load,
        "load_after": os.getloadavg()[0],
        "client_cpu_share": client_cpu / elapsed,  # of one CPU, taken from the server
        "server_requests": len(server_ms),
        "server_p50_ms": statistics.median(server_ms) if server_ms else 0.0,
        "server_p95_ms": percentile(server_ms, 0.95) if server_ms else 0.0,
        "window_p95_ms": [round(percentile(windows[w], 0.95)) for w in sorted(windows)],
        "actions": summarize(log, elapsed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="pq_bench")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between actions")
    parser.add_argument("--saturation", type=float, default=30, help="seconds with no pause")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    var_dir = ROOT / "var" / "bench" / "web"
    env = server_env(args.database, var_dir, REDIS_DB)
    accounts = ["assistant.all"] + [
        f"assistant.{slug}" for slug in ["lakeside", "mesa"] + [f"clinic-{n}" for n in range(3, 21)]
    ]
    server = start_server(env, args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    result = {"database": args.database, "workers": args.workers, "phases": []}
    try:
        phases = [("steady", args.seconds, args.think)]
        if args.saturation:
            phases.append(("saturation", args.saturation, 0.0))
        for name, seconds, think in phases:
            phase = run_phase(base, accounts, args.users, seconds, think)
            phase["name"] = name
            result["phases"].append(phase)
            print(
                f"\n{name}: {args.users} assistants, think {think:g} s, {phase['seconds']:.0f} s, "
                f"load {phase['load_before']:.1f} -> {phase['load_after']:.1f}; server time "
                f"p50 {phase['server_p50_ms']:.0f} ms p95 {phase['server_p95_ms']:.0f} ms; "
                f"client p95 per 10 s: {phase['window_p95_ms']}; the load generator used "
                f"{phase['client_cpu_share']:.0%} of a CPU"
            )
            print("| action | requests | per s | p50 ms | p95 ms | max ms | errors | outcomes |")
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
            for kind in ["list", "open", "claim", "verify", "send", "note", "all"]:
                m = phase["actions"].get(kind)
                if not m:
                    continue
                outcomes = ", ".join(f"{k} {v}" for k, v in m["outcomes"].items())
                print(
                    f"| {kind} | {m['requests']} | {m['per_s']:.1f} | {m['p50_ms']:.0f} | "
                    f"{m['p95_ms']:.0f} | {m['max_ms']:.0f} | {m['errors']} | {outcomes} |"
                )
    finally:
        stop_server(server)
        subprocess.run(
            ["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], check=False, capture_output=True
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
