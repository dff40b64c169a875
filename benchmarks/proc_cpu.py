"""The CPU seconds a process of this machine has used so far (user + system), read from /proc (Linux): the
benchmarks read their own database backends' CPU this way, the PostgreSQL server running on the same machine."""

from __future__ import annotations

import os
from pathlib import Path


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of process `pid`; OSError when it has ended."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()  # after the name, which may hold ")"
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
