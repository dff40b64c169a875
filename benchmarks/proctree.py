"""Peak memory of a whole process tree, sampled from /proc (Linux): a process, its children and theirs — for
Spark, the driver's Python, the JVM it starts and the JVM's Python workers; for the in-process runner, its worker
processes. getrusage cannot: it reports only children that have ended and been waited for, and the largest of
them, not a sum.

    with TreePeak(pid) as peak:
        ...
    peak.pss_mib, peak.rss_mib, peak.largest_mib, peak.processes

Memory is summed as PSS (proportional set size: a page shared by N processes counts 1/N in each, so forked
workers sharing their parent's pages are not counted twice) where /proc/PID/smaps_rollup is readable, else RSS.
RSS summed over the tree is given too (an upper bound). Sampled every `interval` seconds: a peak shorter than that
may be missed.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended between listing and reading
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])  # after the command name, which may hold spaces
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, ()))
    return found


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; (0, 0) once it has ended."""
    try:
        rss = int((PROC / str(pid) / "statm").read_text().split()[1]) * PAGE_KIB
    except OSError:
        return 0, 0
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return rss, int(line.split()[1])
    except OSError:
        pass
    return rss, rss


@dataclass
class TreePeak:
    pid: int
    interval: float = 0.25
    rss_kib: int = 0  # the largest sum of the tree's RSS seen in one sample
    pss_kib: int = 0  # the largest sum of its PSS
    largest_kib: int = 0  # the largest RSS of one process
    processes: int = 0  # the most processes in the tree at once
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        pids = descendants(self.pid)
        sizes = [memory_kib(p) for p in pids]
        self.rss_kib = max(self.rss_kib, sum(r for r, _ in sizes))
        self.pss_kib = max(self.pss_kib, sum(p for _, p in sizes))
        self.largest_kib = max(self.largest_kib, *(r for r, _ in sizes))
        self.processes = max(self.processes, sum(1 for r, _ in sizes if r))

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> TreePeak:
        self.sample()
        self._thread = threading.Thread(target=self._loop, name="tree-peak", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / 1024

    @property
    def pss_mib(self) -> float:
        return self.pss_kib / 1024

    @property
    def largest_mib(self) -> float:
        return self.largest_kib / 1024
