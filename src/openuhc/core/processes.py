"""Who is doing a piece of work, and whether that process still exists: batch runs (engine) and claims
submissions record an owner `host:pid:token`; work whose owner died on this host is taken back or marked
failed by the next process that looks."""

from __future__ import annotations

import os
import socket
import uuid


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_gone(owner: str) -> bool:
    """True when the owner ran on this host and its process no longer exists."""
    try:
        host, pid, _token = owner.split(":")
    except ValueError:
        return False
    if host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False
