"""Sign-in throttling: too many failures for one email from one address pause its sign-in.

Kept in the process's memory, which is enough for one server: a restart forgets the
counts, and several server processes each count on their own (so the effective limit is
multiplied by their number). A shared store (the database or Redis) is the next step
when Rapport runs on several processes.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

MAX_FAILURES = 5  # per email and client address, within WINDOW_SECONDS
MAX_FAILURES_PER_ADDRESS = 30  # any emails from one address: password spraying
WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        max_per_address: int = MAX_FAILURES_PER_ADDRESS,
        window: float = WINDOW_SECONDS,
        clock=time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.max_per_address = max_per_address
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        failures = self._failures[key]
        horizon = self.clock() - self.window
        while failures and failures[0] < horizon:
            failures.popleft()
        return failures

    def retry_after(self, email: str, address: str) -> int:
        """Seconds until this email may try again from this address; 0 when it may now."""
        with self._lock:
            waits = []
            for key, limit in (
                ((email.strip().casefold(), address), self.max_failures),
                (("*", address), self.max_per_address),
            ):
                failures = self._recent(key)
                if len(failures) >= limit:
                    waits.append(failures[-limit] + self.window - self.clock())
            return max(1, int(max(waits)) + 1) if waits else 0

    def record_failure(self, email: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            self._failures[(email.strip().casefold(), address)].append(now)
            self._failures[("*", address)].append(now)

    def record_success(self, email: str, address: str) -> None:
        with self._lock:
            self._failures.pop((email.strip().casefold(), address), None)
