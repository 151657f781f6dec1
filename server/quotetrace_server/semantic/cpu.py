"""Whether a core is spare for a second thread of this process (embedding a claim ahead).

The 1-minute load average, the first signal used, counts every runnable task alike: a
batch job at nice 19 makes it read "busy" although it yields a core to a process at normal
priority within a scheduler tick, and the caller's own thread counts too. This meter reads
the machine's CPU time from /proc/stat over the last CPU_WINDOW seconds or more and counts
as busy only the time spent on work at normal priority by other processes: niced work is
left out (when this process is niced itself, niced work competes with it and counts), and
so is this process's own time (os.times). A core is spare when that leaves at least half a
core beside the caller's thread. Where /proc/stat cannot be read, the load average decides.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# CPU time is compared over at least this many seconds (100 ticks a second per core).
CPU_WINDOW = 0.5
# What the caller's own thread takes, and the share of a core that must be left beside it.
CALLER_CORES = 1.0
SPARE_MIN = 0.5

PROC_STAT = Path("/proc/stat")


@dataclass(frozen=True)
class CpuTimes:
    """Seconds of CPU time since boot, machine-wide, and this process's own."""

    at: float  # when read (monotonic seconds)
    normal: float  # user + system + irq + softirq + steal: work at normal priority
    niced: float
    own: float


def read_stat(stat: Path = PROC_STAT) -> tuple[float, float] | None:
    """(normal, niced) CPU seconds since boot from /proc/stat's first line; None if unread."""
    try:
        first = stat.read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    if len(first) < 5 or first[0] != "cpu":
        return None
    ticks = [int(v) for v in first[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks + [0] * (8 - len(ticks))
    hz = float(os.sysconf("SC_CLK_TCK"))
    return (user + system + irq + softirq + steal) / hz, nice / hz


# Helper processes that work for this one (semantic.helper): their time is this process's.
_helpers: set[int] = set()


def count_helper(pid: int) -> None:
    _helpers.add(pid)


def forget_helper(pid: int) -> None:
    _helpers.discard(pid)


def own_cpu_seconds() -> float:
    """This process's CPU seconds and its helpers' (a claim embedded in a helper process
    is this process's work, not another's taking the spare core)."""
    times = os.times()
    return times.user + times.system + sum(_process_seconds(pid) for pid in tuple(_helpers))


def _process_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[-1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))


class CpuMeter:
    """Cores busy with other processes' work at this process's priority or above, over
    the last window. Thread-safe; reads /proc/stat at most once per CPU_WINDOW."""

    def __init__(
        self,
        stat: Callable[[], tuple[float, float] | None] = read_stat,
        own: Callable[[], float] = own_cpu_seconds,
        clock: Callable[[], float] = time.monotonic,
        cores: int | None = None,
        niced_self: Callable[[], bool] | None = None,
    ) -> None:
        self._stat, self._own, self._clock = stat, own, clock
        self.cores = cores or os.cpu_count() or 1
        self._niced_self = niced_self or _niced_self
        self._lock = threading.Lock()
        self._last: CpuTimes | None = None
        self._busy: float | None = None

    def _sample(self) -> CpuTimes | None:
        read = self._stat()
        if read is None:
            return None
        normal, niced = read
        return CpuTimes(self._clock(), normal, niced, self._own())

    def others_busy(self) -> float | None:
        """Cores other processes kept busy over the last window (None: not known yet)."""
        with self._lock:
            now = self._clock()
            if self._last is not None and now - self._last.at < CPU_WINDOW:
                return self._busy
            sample = self._sample()
            if sample is None:
                return None
            if self._last is not None:
                self._busy = _busy_between(self._last, sample, niced=self._niced_self())
            self._last = sample
            return self._busy

    def spare(self) -> bool:
        """Whether a core is left for a second thread beside the caller's."""
        if self.cores < 2:
            return False
        busy = self.others_busy()
        if busy is None:  # no window yet, or no /proc/stat: the load average decides
            return os.getloadavg()[0] < self.cores - SPARE_MIN
        return self.cores - CALLER_CORES - busy >= SPARE_MIN


def _busy_between(before: CpuTimes, after: CpuTimes, *, niced: bool) -> float:
    seconds = max(after.at - before.at, 1e-6)
    spent = after.normal - before.normal + (after.niced - before.niced if niced else 0.0)
    return max(0.0, spent - (after.own - before.own)) / seconds


def _niced_self() -> bool:
    try:
        return os.getpriority(os.PRIO_PROCESS, 0) > 0
    except OSError:
        return False


METER = CpuMeter()
