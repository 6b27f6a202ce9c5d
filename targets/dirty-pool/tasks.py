"""The task actions that a dirty worker runs: the workload of gunicorn's dirty-pool benchmark.

sleep_task(ms) blocks its thread without using the CPU (an I/O wait), cpu_task(ms) keeps a core
busy until `ms` milliseconds of wall time have passed, and mixed_task(sleep_ms, cpu_ms) does
the first and then the second, like a request that fetches and then computes. Durations are
wall-clock targets, as in the source: on an oversubscribed machine a cpu_task still lasts `ms`
but does fewer iterations. health() is the warm-up call; stats() reports what this worker did.

One TaskApp lives in each worker process and is shared by that worker's threads.
"""
import threading
import time


class TaskError(Exception):
    """A task was called with arguments it cannot take; the front answers 400."""


def _burn_until(deadline, intensity):
    # Floating-point work in fixed-size slices, checking the clock between slices so the task
    # ends within one slice (about 0.1 ms at intensity 1) of its deadline.
    iterations = 0
    slice_len = max(1, int(1000 * intensity))
    while time.perf_counter() < deadline:
        x = 0.0
        for i in range(slice_len):
            x = (x + i * 0.001) * (1.001 if x < 1e6 else 0.999)
        iterations += 1
    return iterations


def _milliseconds(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise TaskError(f"{name} must be a number of milliseconds >= 0, got {value!r}")
    return value


class TaskApp:
    """The actions a request may name (see ACTIONS), with per-worker counters."""

    ACTIONS = ("sleep_task", "cpu_task", "mixed_task", "health", "stats")

    def __init__(self):
        self._lock = threading.Lock()
        self.call_count = 0
        self.total_sleep_ms = 0.0
        self.total_cpu_ms = 0.0

    def call(self, action, args, kwargs):
        """Runs `action(*args, **kwargs)`; returns its JSON-able result.

        Raises TaskError for an unknown action or arguments the action cannot take.
        """
        if action not in self.ACTIONS:
            raise TaskError(f"unknown action {action!r}; one of {', '.join(self.ACTIONS)}")
        try:
            return getattr(self, action)(*args, **kwargs)
        except TypeError as e:
            raise TaskError(f"{action}: {e}") from None

    def _count(self, sleep_ms=0.0, cpu_ms=0.0):
        with self._lock:
            self.call_count += 1
            self.total_sleep_ms += sleep_ms
            self.total_cpu_ms += cpu_ms

    def sleep_task(self, duration_ms):
        duration_ms = _milliseconds(duration_ms, "duration_ms")
        time.sleep(duration_ms / 1000.0)
        self._count(sleep_ms=duration_ms)
        return {"slept_ms": duration_ms}

    def cpu_task(self, duration_ms, intensity=1.0):
        duration_ms = _milliseconds(duration_ms, "duration_ms")
        start = time.perf_counter()
        iterations = _burn_until(start + duration_ms / 1000.0, intensity)
        actual_ms = (time.perf_counter() - start) * 1000.0
        self._count(cpu_ms=actual_ms)
        return {"iterations": iterations, "target_ms": duration_ms,
                "actual_ms": round(actual_ms, 2), "intensity": intensity}

    def mixed_task(self, sleep_ms, cpu_ms, intensity=1.0):
        sleep_ms = _milliseconds(sleep_ms, "sleep_ms")
        cpu_ms = _milliseconds(cpu_ms, "cpu_ms")
        time.sleep(sleep_ms / 1000.0)
        start = time.perf_counter()
        iterations = _burn_until(start + cpu_ms / 1000.0, intensity)
        actual_cpu_ms = (time.perf_counter() - start) * 1000.0
        self._count(sleep_ms=sleep_ms, cpu_ms=actual_cpu_ms)
        return {"sleep_ms": sleep_ms, "cpu_iterations": iterations, "target_cpu_ms": cpu_ms,
                "actual_cpu_ms": round(actual_cpu_ms, 2),
                "total_ms": round(sleep_ms + actual_cpu_ms, 2)}

    def health(self):
        return {"status": "ok"}

    def stats(self):
        with self._lock:
            return {"call_count": self.call_count, "total_sleep_ms": self.total_sleep_ms,
                    "total_cpu_ms": round(self.total_cpu_ms, 2)}
