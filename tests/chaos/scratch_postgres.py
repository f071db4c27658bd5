"""A throwaway PostgreSQL cluster that may be stopped and started at will.

The suite's PostgreSQL (5432) is shared by the pytest-xdist workers and by anyone else's
tests on the machine, so a fault is only ever injected into a cluster of one's own: initdb
into a temporary folder, a free port, the socket in that folder. Used by the PostgreSQL
restart scenario (tests/chaos/conftest.py) and by bench/chaos.py.

PostgreSQL refuses to run as root (CI runs as root): the server programs then run as the
`postgres` user, who owns the folder.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def program(name: str) -> str:
    """A PostgreSQL program: on PATH, else in the server's bindir (Debian keeps initdb and
    pg_ctl out of PATH)."""
    found = shutil.which(name)
    if found:
        return found
    bindir = subprocess.run(
        ["pg_config", "--bindir"], check=True, capture_output=True, text=True
    ).stdout.strip()
    return str(Path(bindir) / name)


class ScratchPostgres:
    """A cluster in a temporary folder, made at once; stop/start keep its data, `remove`
    stops it (whatever state it is in) and deletes the folder."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pq-chaos-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        try:
            subprocess.run(
                as_postgres([program("initdb"), "-D", str(self.data), "-U", "postgres",
                             "-A", "trust", "--no-sync"]),
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def ctl(self, *args: str, check: bool = True) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        subprocess.run(
            as_postgres([program("pg_ctl"), "-D", str(self.data), "-l",
                         str(self.folder / "log"), "-o", options, "-w", *args]),
            check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def start(self) -> None:
        self.ctl("start")

    def stop(self) -> None:
        """A fast shutdown, as an operator's restart does: sessions are cut, work committed
        so far is kept."""
        self.ctl("stop", "-m", "fast")

    def log(self) -> str:
        path = self.folder / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    def copy_database(self, source_url: str, name: str) -> None:
        """`name` created here with the schema and rows of the database at `source_url`."""
        subprocess.run(
            [program("psql"), "-q", "-v", "ON_ERROR_STOP=1", f"{self.url}/postgres", "-c",
             f'CREATE DATABASE "{name}"'],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        dump = subprocess.Popen(
            [program("pg_dump"), "--no-owner", "--no-privileges", source_url],
            stdout=subprocess.PIPE,
        )
        try:
            subprocess.run(
                [program("psql"), "-q", "-v", "ON_ERROR_STOP=1", f"{self.url}/{name}"],
                stdin=dump.stdout, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        finally:
            dump.stdout.close()
            if dump.wait() != 0:
                raise RuntimeError(f"pg_dump of the source database exited {dump.returncode}")

    def remove(self) -> None:
        """Stopped at once (its data is thrown away, no checkpoint needed) and deleted; a
        cluster that never started, or is already down, is only deleted."""
        try:
            if (self.data / "postmaster.pid").exists():
                self.ctl("stop", "-m", "immediate", check=False)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
