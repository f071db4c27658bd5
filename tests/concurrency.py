"""Races on purpose: run calls in threads released together, the way two clicks or two workers
arrive at once."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(
    *calls: Callable[[], Any], expected: tuple[type[Exception], ...] = (), timeout: float = 60
) -> list[Any]:
    """What each call returned, in the order given; an exception of an `expected` type stands
    in for its call's answer. Any other exception is raised here, once every thread is done,
    so a failure in a thread cannot pass unseen."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)
    unexpected: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except expected as exc:
            outcomes[index] = exc
        except Exception as exc:  # noqa: BLE001 - raised in the calling thread below
            unexpected.append(exc)
        finally:
            # Each thread has its own connection; left open, it keeps the test database busy.
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a call did not finish in time"
    if unexpected:
        raise unexpected[0]
    return outcomes
