"""The production shape on one machine: two web nodes and two workers, one PostgreSQL, one Redis.

Two `gunicorn config.wsgi:application` processes on two ports (DEBUG off, the same SECRET_KEY,
each its own empty VAR_DIR, so anything a node kept on its own disk or in its memory would
show) and two `celery -A config worker` processes share the pytest database, the run's Redis
database and the local fake Twilio. Two assistants of one practice work the same item, one
through each node, over plain HTTP. The proxy in front is left out: it only picks a node, and
each client here picks one itself (docs/DEPLOY.md has the nginx configuration).
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from uuid import uuid4

import pytest
import redis
import requests
from django.db import connection
from django.utils import timezone
from twilio.request_validator import RequestValidator

from config.celery import app as celery_app
from queue_app.models import Message, Role, WorkItem
from tests import factories
from tests.concurrency import at_once
from tests.messaging.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    BASE_URL,
    WorkerProcess,
    awake_quiet_hours,
)
from tests.messaging.fake_twilio import FakeTwilio
from tests.polling import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
PASSWORD = factories.PASSWORD
TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')
VERIFY_FIELD = re.compile(r'name="verified" value="([a-z_]+)"')


def production(fake: FakeTwilio, var_dir: Path) -> dict:
    """What every node is given: production settings on plain HTTP, one shared SECRET_KEY."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": os.environ["REDIS_URL"],
        "DEBUG": "False",
        "SECRET_KEY": "two-nodes-test-only-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "CONN_MAX_AGE": "60",
        "VAR_DIR": str(var_dir),
        "CHANNEL_BACKEND": "messaging.channels.TwilioBackend",
        "TWILIO_API_BASE": fake.url,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_MESSAGING_SERVICE_SID": "",
        "BASE_URL": BASE_URL,
        "LOG_LEVEL": "WARNING",
    }


class ProductionWorker(WorkerProcess):
    """The messaging tests' worker, with the web nodes' production settings; started without
    waiting, so that both workers and both nodes boot side by side."""

    def __init__(self, fake: FakeTwilio, db_name: str, var_dir: Path, name: str) -> None:
        super().__init__(fake, db_name)
        self.var_dir = var_dir
        self.name = f"pqtest-{name}-{uuid4().hex[:8]}@localhost"

    def env(self) -> dict:
        attachments = {"ATTACHMENTS_ROOT": str(self.attachments_root)}
        return {**production(self.fake, self.var_dir), **attachments}

    def launch(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             "--concurrency=1", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
             "-n", self.name],
            cwd=ROOT, env=self.env(), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip


def wait_for_workers(workers: list[ProductionWorker], timeout: float = 120) -> None:
    names = {worker.name for worker in workers}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = celery_app.control.ping(destination=sorted(names), timeout=0.5) or []
        names -= {name for reply in replies for name in reply}
        if not names:
            return
        if any(worker.proc.poll() is not None for worker in workers):
            raise RuntimeError("a celery worker exited at start")
    raise RuntimeError(f"celery workers {sorted(names)} did not answer within {timeout} s")


class WebNode:
    """One gunicorn in its own process group, on its own port and its own empty VAR_DIR."""

    def __init__(self, env: dict, static: Path) -> None:
        self.var_dir = Path(env["VAR_DIR"])
        # Static files are part of the build (the image runs collectstatic), not node state.
        (self.var_dir / "staticfiles").symlink_to(static)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        # A file, not a pipe: a pipe nobody reads until the end fills up and stalls gunicorn.
        self.log = self.var_dir / "gunicorn.log"
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [str(GUNICORN), "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "1", "--threads", "4", "--timeout", "30", "--graceful-timeout", "2"],
                cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=log,
            )  # fmt: skip

    def wait_ready(self, timeout: float = 120) -> None:
        deadline, answer = time.monotonic() + timeout, "nothing"
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):  # not listening yet
                answer = requests.get(self.url + "/login/", timeout=5).status_code
                if answer == 200:
                    return
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)
        raise RuntimeError(
            f"gunicorn on {self.port} did not answer 200 within {timeout} s (last: {answer}): "
            f"{self.log.read_text()[-2000:]}"
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # graceful, for --graceful-timeout
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


def clear_broker() -> None:
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def cluster(fake_twilio_server):
    """Two web nodes and two workers, every process ended afterwards, even on failure."""
    timings = {}
    with contextlib.ExitStack() as stack:
        # The session's fake: a worker left running by another test of the session (on the
        # same broker) would talk to it too, so every send is still counted.
        fake = fake_twilio_server
        fake.reset()
        scratch = Path(tempfile.mkdtemp(prefix="pqtest-nodes-"))
        stack.callback(shutil.rmtree, scratch, ignore_errors=True)
        clear_broker()
        stack.callback(clear_broker)

        # The static build first, as the image is built before any node starts: a node that
        # loads beside a half-written build (whitenoise reads its files at start) keeps an
        # empty manifest and answers 500 to every page. Then both nodes and both workers.
        started = time.monotonic()
        build = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=production(fake, scratch / "build"), start_new_session=True,
        )  # fmt: skip
        stack.callback(build.kill)
        assert build.wait(timeout=120) == 0
        static = scratch / "build" / "staticfiles"
        nodes = []
        for name in ("a", "b"):
            var_dir = scratch / f"node-{name}"
            var_dir.mkdir()
            node = WebNode(production(fake, var_dir), static)
            stack.callback(node.stop)
            nodes.append(node)
        workers = []
        for name in ("w1", "w2"):
            var_dir = scratch / f"worker-{name}"
            var_dir.mkdir()
            worker = ProductionWorker(fake, connection.settings_dict["NAME"], var_dir, name)
            stack.callback(shutil.rmtree, worker.attachments_root, ignore_errors=True)
            stack.callback(worker.kill)  # the test is over: nothing of theirs is waited for
            worker.launch()
            workers.append(worker)
        wait_for_workers(workers)
        for node in nodes:
            node.wait_ready()
        timings["start"] = time.monotonic() - started
        yield nodes, workers, fake, timings


class Assistant:
    """A person at a browser, whose requests all reach one web node."""

    def __init__(self, node: WebNode, username: str) -> None:
        self.base = node.url
        self.http = requests.Session()
        self.http.get(self.base + "/login/", timeout=30)
        data = {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": self.http.cookies["csrftoken"],
        }
        response = self.http.post(self.base + "/login/", data=data, timeout=30)
        assert response.status_code == 200 and "sessionid" in self.http.cookies

    def htmx(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-CSRFToken": self.http.cookies["csrftoken"], "HX-Request": "true"}
        headers.update(kwargs.pop("headers", {}))
        return self.http.request(method, self.base + path, headers=headers, timeout=30, **kwargs)


def sign_in(node: WebNode, username: str, password: str) -> requests.Response:
    """One attempt from a fresh browser."""
    http = requests.Session()
    http.get(node.url + "/login/", timeout=30)
    data = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": http.cookies["csrftoken"],
    }
    return http.post(node.url + "/login/", data=data, timeout=30)


def patient_texts(node: WebNode, patient, practice, body: str) -> requests.Response:
    """Twilio posting an inbound SMS to a node, signed for the public BASE_URL."""
    params = {
        "MessageSid": f"SM{uuid4().hex}",
        "From": patient.phone,
        "To": practice.phone,
        "Body": body,
    }
    signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE_URL + "/twilio/sms/", params)
    return requests.post(
        node.url + "/twilio/sms/",
        data=params,
        headers={"X-Twilio-Signature": signature},
        timeout=30,
    )


def test_two_assistants_on_two_web_nodes_share_one_item(cluster, settings):
    (node_a, node_b), _workers, fake, timings = cluster
    # The nodes check passwords with the real hashers: store them that way.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    practice = factories.make_practice(slug="twonode", languages=["en"])
    awake_quiet_hours(practice, timezone.now())
    patient = factories.make_patient(practice)
    item = factories.make_item(practice, patient=patient)
    for username in ("ana", "ben", "cara"):
        factories.make_user(username, practice, Role.ASSISTANT)

    ana, ben = Assistant(node_a, "ana"), Assistant(node_b, "ben")
    # Sessions live in the database: Ana's cookie is good on the other node too.
    elsewhere = ana.http.get(node_b.url + "/", timeout=30, allow_redirects=False)
    assert elsewhere.status_code == 200 and "/login/" not in elsewhere.url
    path = f"/items/{item.code}"

    # Failed sign-ins count in PostgreSQL: five spread over both nodes lock the account on both.
    for node in (node_a, node_b, node_a, node_b):
        assert "Too many failed" not in sign_in(node, "cara", "not-her-password").text
    assert "Too many failed sign-ins" in sign_in(node_a, "cara", "not-her-password").text
    assert "Too many failed sign-ins" in sign_in(node_b, "cara", PASSWORD).text

    # Both claim at the same moment, through different nodes: one owner, the other told who.
    started = time.monotonic()
    claims = at_once(
        lambda: ana.htmx("POST", f"{path}/claim/"), lambda: ben.htmx("POST", f"{path}/claim/")
    )
    timings["claim race"] = time.monotonic() - started
    assert [answer.status_code for answer in claims] == [200, 200]
    won = ["You have this item now." in answer.text for answer in claims]
    assert sorted(won) == [False, True]
    owner, other = (ana, ben) if won[0] else (ben, ana)
    loser_text = claims[won.index(False)].text
    owner_name = "ana" if owner is ana else "ben"
    assert f"{owner_name} already has this item." in loser_text
    item.refresh_from_db()
    assert item.owner.username == owner_name and item.status == WorkItem.Status.ASSIGNED

    # Presence is in Redis: each sees the other though their nodes never talk.
    assert other.htmx("POST", f"{path}/presence/", data={"typing": "0"}).status_code == 200
    seen = owner.htmx("POST", f"{path}/presence/", data={"typing": "1"}).text
    other_name = "ben" if owner_name == "ana" else "ana"
    assert f"Also here: <strong>{other_name}</strong>" in seen
    seen = other.htmx("POST", f"{path}/presence/", data={"typing": "0"}).text
    assert f"Also here: <strong>{owner_name}</strong> (typing)" in seen

    # The other keeps the conversation open; nothing new is an empty answer.
    first = other.htmx("GET", f"{path}/conversation/")
    etag = first.headers["ETag"]
    unchanged = other.htmx("GET", f"{path}/conversation/", headers={"If-None-Match": etag})
    assert unchanged.status_code == 204

    # The owner checks identity and sends; the same compose is posted to both nodes at once
    # (a double click that a proxy spread over two nodes): one message, one Twilio send.
    panel = owner.htmx("GET", f"{path}/").text
    fields = VERIFY_FIELD.findall(panel)
    assert fields
    verified = owner.htmx("POST", f"{path}/verify/", data={"verified": fields})
    assert "Identity check recorded." in verified.text
    token = TOKEN.search(verified.text).group(1)
    words = "Hi, we have your request and will call you back today."
    compose = {"choice": "free", "channel": "sms", "text": words, "token": token}
    send_started = time.monotonic()
    sends = at_once(
        lambda: owner.htmx("POST", f"{path}/send/", data=compose),
        lambda: owner.http.post(
            (node_b if owner is ana else node_a).url + f"{path}/send/",
            data=compose,
            headers={"X-CSRFToken": owner.http.cookies["csrftoken"], "HX-Request": "true"},
            timeout=30,
        ),
    )
    notices = sorted(
        "Already sent." if "Already sent." in s.text else "queued" if "queued" in s.text else s.text
        for s in sends
    )
    assert notices == ["Already sent.", "queued"]

    # The other's poll through the other node shows the reply at once.
    started = time.monotonic()
    live = other.htmx("GET", f"{path}/conversation/", headers={"If-None-Match": etag})
    timings["reply seen across nodes"] = time.monotonic() - started
    assert live.status_code == 200 and words in live.text

    sent = Message.objects.get(item=item, direction="out")
    assert wait_for(lambda: Message.objects.get(pk=sent.pk).status == "sent", timeout=30)
    timings["send to Twilio accepted"] = time.monotonic() - send_started
    assert fake.accepted_counts() == {str(sent.code): 1}
    assert fake.total_posts() == 1

    # The patient answers; Twilio posts to one node, a worker files it, the owner's poll on
    # the other node shows it.
    answer = "Thanks, Thursday after 3 works for me."
    etag = owner.htmx("GET", f"{path}/conversation/").headers["ETag"]
    assert patient_texts(node_b, patient, practice, answer).status_code == 200
    started = time.monotonic()
    assert wait_for(
        lambda: (
            answer
            in owner.htmx("GET", f"{path}/conversation/", headers={"If-None-Match": etag}).text
        ),
        timeout=30,
        interval=0.2,
    )
    timings["patient reply seen"] = time.monotonic() - started
    print("two nodes:", {name: f"{seconds:.2f} s" for name, seconds in timings.items()})
