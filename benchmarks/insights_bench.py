"""Latency and memory of the personality insights engine, and of the profile API endpoint.

Run: .venv/bin/python benchmarks/insights_bench.py [--database sqlite|postgresql|both]
     [--engine-only]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapport.insights.engine.analyzer import analyze  # noqa: E402
from rapport.insights.engine.model import Model  # noqa: E402

SAMPLE = (
    "I spent the morning sorting out the delivery problem with the store and honestly I am "
    "tired of calling them, but the new agent was friendly and explained the steps clearly. "
    "We are planning a trip with my family next month so I need this fixed before then. "
    "I like to know exactly what happens next and when, and I would rather get it in writing. "
)
SIZES = [100, 1_000, 10_000]


def text_of(n_words: int) -> str:
    base = SAMPLE.split()
    return " ".join((base * (n_words // len(base) + 1))[:n_words])


def rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine_bench() -> None:
    rss_before = rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    model = Model.load()
    load_ms = (time.perf_counter() - started) * 1000
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"model {model.version}: load {load_ms:.0f} ms, python heap {current / 2**20:.1f} MB "
        f"(peak {peak / 2**20:.1f} MB), process max RSS {rss_before:.0f} -> {rss_mb():.0f} MB"
    )
    print()
    print(f"{'words':>7} | {'runs':>4} | {'median ms':>9} | {'p95 ms':>7}")
    print(f"{'-' * 7}-+-{'-' * 4}-+-{'-' * 9}-+-{'-' * 7}")
    for n in SIZES:
        text = text_of(n)
        analyze(text, model=model)  # warm-up
        runs = 50 if n <= 1_000 else 20
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            analyze(text, model=model)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"{n:>7} | {runs:>4} | {statistics.median(times):>9.1f} | {p95:>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--engine-only", action="store_true", help="skip the API measurement")
    args = parser.parse_args()
    engine_bench()
    if not args.engine_only:
        from benchmarks.insights_api_bench import api_bench  # database and HTTP: only when asked

        backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
        api_bench(backends, SIZES, text_of)


if __name__ == "__main__":
    main()
