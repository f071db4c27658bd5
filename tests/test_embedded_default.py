"""With no environment set, the app boots on SQLite and serves its login page."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.embedded import ROOT, embedded_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_embedded_default_boots_on_sqlite_and_serves_login(tmp_path):
    env = embedded_env(tmp_path)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    assert (tmp_path / "db.sqlite3").exists()
    assert (tmp_path / "broker" / "data").is_dir()
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = ""
        # Django's checks take seconds on a loaded machine before the server listens.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/") as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.1)
        assert "Sign in" in body
    finally:
        server.terminate()
        server.wait(timeout=10)
