"""A local stand-in for Twilio's REST API, for the real twilio SDK to talk to over HTTP.

It records every POST to the Messages resource, keyed by the message code in the status
callback URL (one per outbox row), and answers each according to a script: accept (201),
429, 500, a Twilio error code, or accept-then-drop (the message is taken, the connection is
closed before the answer: the ambiguous case). GET lists the accepted messages, and the
inbound ones it was told it received (`receive`), the way Twilio's Messages list does (To and
DateSent> filters, newest first), so reconciliation runs against it.

It also serves MMS media the way Twilio does: GET on a Media URL (with the account's basic
auth) redirects to the bytes, DELETE on the Media resource removes them.
"""

import json
import random
import socket
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MEDIA_HOST = "https://api.twilio.com"

ERRORS = {
    21610: "Attempt to send to unsubscribed recipient",
    21211: "The 'To' number is not a valid phone number.",
    21614: "'To' number is not a valid mobile number",
}


def _sent_after(message: dict, since: datetime) -> bool:
    # Twilio reads DateSent> by whole days (GMT); so does the fake.
    sent = message["date_sent"]
    return sent is not None and parsedate_to_datetime(sent).date() >= since.date()


class FakeTwilio:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.posts: dict[str, list[str]] = defaultdict(list)  # key → actions answered
        self.accepted: dict[str, list[dict]] = defaultdict(list)  # key → messages taken
        self.script: dict[str, list[str]] = {}  # key → actions for its next POSTs
        self.default = "accept"
        # A provider incident: unscripted POSTs answered with an action drawn at these odds
        # (e.g. {"500": 0.2, "429": 0.1, "drop": 0.05}), accepted otherwise.
        self.flaky: dict[str, float] = {}
        self.random = random.Random(19)
        self.delay = 0.0
        self._serial = 0
        self.media: dict[str, tuple[str, bytes]] = {}  # media SID → (declared type, bytes)
        self.media_auth: list[str] = []  # Authorization header of each media GET
        self.deleted_media: list[str] = []
        self.fail_deletes = False  # answer media DELETEs with 503 (Twilio down)
        self.received: list[dict] = []  # inbound messages Twilio holds (webhook or not)
        self.fail_lists = False  # answer Messages list GETs with 503 (Twilio down)
        self.sends: list[tuple[float, str]] = []  # (time.monotonic() on arrival, From) per POST
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeTwilio":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.posts.clear()
            self.accepted.clear()
            self.script.clear()
            self.default = "accept"
            self.flaky = {}
            self.random = random.Random(19)
            self.delay = 0.0
            self.media.clear()
            self.media_auth.clear()
            self.deleted_media.clear()
            self.fail_deletes = False
            self.received.clear()
            self.fail_lists = False
            self.sends.clear()

    def add_media(self, account: str, content: bytes, content_type: str) -> str:
        """Hold one MMS media item; the URL Twilio would put in MediaUrlN."""
        with self.lock:
            self._serial += 1
            message_sid, media_sid = f"MM{self._serial:032x}", f"ME{self._serial:032x}"
            self.media[media_sid] = (content_type, content)
        path = f"/2010-04-01/Accounts/{account}/Messages/{message_sid}/Media/{media_sid}"
        return MEDIA_HOST + path

    def receive(self, *, to: str, from_: str, body: str, sent: datetime) -> str:
        """Hold one inbound SMS as Twilio's list shows it (whether or not a webhook told us);
        its SID."""
        with self.lock:
            self._serial += 1
            sid = f"SM{self._serial:032x}"
            self.received.append(
                {
                    "sid": sid,
                    "account_sid": "AC" + "0" * 32,
                    "to": to,
                    "from": from_,
                    "messaging_service_sid": None,
                    "body": body,
                    "status": "received",
                    "date_created": format_datetime(sent, usegmt=True),
                    "date_sent": format_datetime(sent, usegmt=True),
                    "error_code": None,
                    "num_segments": "1",
                    "num_media": "0",
                    "direction": "inbound",
                    "uri": f"/2010-04-01/Accounts/AC/Messages/{sid}.json",
                }
            )
        return sid

    def next_action(self, key: str) -> str:
        with self.lock:
            queue = self.script.get(key) or self.script.get("*")
            action = queue.pop(0) if queue else self._unscripted()
            self.posts[key].append(action)
            return action

    def _unscripted(self) -> str:
        roll = self.random.random()
        for action, odds in self.flaky.items():
            if roll < odds:
                return action
            roll -= odds
        return self.default

    def accept(self, key: str, form: dict) -> dict:
        with self.lock:
            self._serial += 1
            message = {
                "sid": f"SM{self._serial:032x}",
                "account_sid": "AC" + "0" * 32,
                "to": form.get("To", ""),
                "from": form.get("From", ""),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": form.get("Body", ""),
                "status": "queued",
                "date_created": format_datetime(datetime.now(UTC), usegmt=True),
                "date_sent": None,
                "error_code": None,
                "num_segments": "1",
                "direction": "outbound-api",
                "uri": "/2010-04-01/Accounts/AC/Messages/x.json",
            }
            self.accepted[key].append(message)
            return message

    def sends_from(self, number: str) -> list[float]:
        """When each POST from `number` arrived (time.monotonic())."""
        with self.lock:
            return [at for at, sender in self.sends if sender == number]

    def most_in_a_second(self, number: str) -> int:
        """The most POSTs from `number` in any window [t, t + 1 s): what its rate limit caps."""
        times, most, start = sorted(self.sends_from(number)), 0, 0
        for end, at in enumerate(times):
            while at - times[start] >= 1.0:
                start += 1
            most = max(most, end - start + 1)
        return most

    def total_posts(self) -> int:
        return sum(len(v) for v in self.posts.values())

    def accepted_counts(self) -> dict[str, int]:
        return {key: len(v) for key, v in self.accepted.items()}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Headers and body go in two writes: without this, Nagle's algorithm and the
                # client's delayed ACK add 40 ms to every answer.
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args) -> None:
                """Quiet: the test output is for the tests."""

            def _send(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:
                    # The client died mid-request (a killed worker): like any HTTP server,
                    # Twilio never acts on a truncated body.
                    self.close_connection = True
                    return
                form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                with fake.lock:
                    fake.sends.append((time.monotonic(), form.get("From", "")))
                callback = form.get("StatusCallback", "")
                key = parse_qs(urlsplit(callback).query).get("m", [form.get("Body", "")])[0]
                action = fake.next_action(key)
                if fake.delay:
                    time.sleep(fake.delay)
                if action == "accept":
                    self._send(201, fake.accept(key, form))
                elif action == "lose":
                    # The connection drops before Twilio took the message.
                    self.close_connection = True
                    self.connection.close()
                elif action == "drop":
                    fake.accept(key, form)
                    self.close_connection = True
                    self.connection.close()
                elif action in ("429", "500", "503"):
                    self._send(
                        int(action),
                        {
                            "code": 20429 if action == "429" else 20500,
                            "message": "try later",
                            "status": int(action),
                        },
                    )
                else:
                    code = int(action)
                    self._send(
                        400,
                        {
                            "code": code,
                            "message": ERRORS.get(code, "refused"),
                            "more_info": f"https://www.twilio.com/docs/errors/{code}",
                            "status": 400,
                        },
                    )

            def _media_get(self, path: str) -> None:
                media_sid = path.rsplit("/", 1)[-1]
                if path.startswith("/_media/"):
                    with fake.lock:
                        found = fake.media.get(media_sid)
                    if found is None:
                        return self._send(404, {"code": 20404, "status": 404})
                    self.send_response(200)
                    self.send_header("Content-Type", found[0])
                    self.send_header("Content-Length", str(len(found[1])))
                    self.end_headers()
                    try:
                        self.wfile.write(found[1])
                    except (BrokenPipeError, ConnectionResetError):
                        self.close_connection = True  # the client stopped reading: too large
                    return None
                with fake.lock:
                    fake.media_auth.append(self.headers.get("Authorization", ""))
                    known = media_sid in fake.media
                if not self.headers.get("Authorization", "").startswith("Basic "):
                    return self._send(401, {"code": 20003, "status": 401})
                if not known:
                    return self._send(404, {"code": 20404, "status": 404})
                # Twilio hands media over through a redirect to short-lived storage.
                self.send_response(302)
                self.send_header("Location", f"/_media/{media_sid}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None

            def do_DELETE(self) -> None:
                media_sid = urlsplit(self.path).path.rsplit("/", 1)[-1].removesuffix(".json")
                if fake.fail_deletes:
                    return self._send(503, {"code": 20503, "status": 503})
                with fake.lock:
                    gone = fake.media.pop(media_sid, None)
                    if gone is not None:
                        fake.deleted_media.append(media_sid)
                if gone is None:
                    return self._send(404, {"code": 20404, "status": 404})
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if "/Media/" in path or path.startswith("/_media/"):
                    return self._media_get(path)
                if fake.fail_lists:
                    return self._send(503, {"code": 20503, "status": 503})
                query = parse_qs(urlsplit(self.path).query)
                to = query.get("To", [None])[0]
                after = query.get("DateSent>", [None])[0]
                since = datetime.fromisoformat(after) if after else None
                with fake.lock:
                    messages = [
                        m
                        for msgs in [*fake.accepted.values(), fake.received]
                        for m in msgs
                        if (to is None or m["to"] == to)
                        and (since is None or _sent_after(m, since))
                    ]
                self._send(
                    200,
                    {
                        "messages": list(reversed(messages))[:50],
                        "end": 0,
                        "first_page_uri": self.path,
                        "next_page_uri": None,
                        "page": 0,
                        "page_size": 50,
                        "previous_page_uri": None,
                        "start": 0,
                        "uri": self.path,
                    },
                )

        return Handler
