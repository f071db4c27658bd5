"""Time triage per message on the corpus, and on long texts (it must stay linear and bounded).

    python bench/triage_speed.py

Prints a Markdown table: p50 / p95 / max milliseconds per message over corpus/messages, then
the time for texts of growing length (triage reads the first MAX_CHARS characters).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

import eval_triage  # noqa: E402

from escalation.triage import MAX_CHARS, context, triage  # noqa: E402


def _ms(text: str) -> float:
    start = time.perf_counter()
    triage(text)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    texts = [
        row["text"]
        for path in sorted((REPO_ROOT / "corpus/messages").glob("*.jsonl"))
        for row in eval_triage.load(path)
    ]
    context.warm_up()  # builds the spaCy pipeline once per process
    triage("warm up")  # and loads the model
    times = sorted(_ms(text) for text in texts)
    p95 = times[int(len(times) * 0.95)]
    print("| messages | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    print(f"| {len(times)} | {statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} |")
    print()
    print(f"| characters (read: first {MAX_CHARS:,}) | ms |")
    print("|---|---|")
    sentence = "I need to move my appointment, my chest feels tight since this morning. "
    for size in (1_000, 4_000, 8_000, 16_000, 32_000, 1_000_000):
        text = (sentence * (size // len(sentence) + 1))[:size]
        print(f"| {size:,} | {_ms(text):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
