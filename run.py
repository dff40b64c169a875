#!/usr/bin/env python3
"""OpenUHC's two commands, for a fresh machine with Python 3.11 and the package index:

    python3 run.py demo     # virtual environment, install, migrate, demo province, web server
    python3 run.py test     # virtual environment, install with test tools, every test

    OPENUHC_COUNTRY=ph python3 run.py demo   # the same in another country pack (docs/country-pack.md)

Both create `.venv/` next to this file on first use and reinstall only when pyproject.toml changes.
Extra arguments go to the underlying command: `python3 run.py demo --port 8080`,
`python3 run.py test -k eligibility`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def _say(text: str) -> None:
    print(f"==> {text}", file=sys.stderr, flush=True)


def ensure_environment(extra: str = "") -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older python3
        sys.exit(f"OpenUHC needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = BIN / "python"
    if not python.exists():
        _say(f"creating the virtual environment in {VENV}")
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extra.encode()).hexdigest()
    stamp = VENV / f".installed-{extra or 'base'}"
    if not stamp.exists() or stamp.read_text() != digest:
        target = f".[{extra}]" if extra else "."
        _say(f"installing OpenUHC{' with ' + extra + ' tools' if extra else ''} (first run takes a few minutes)")
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target],
                       cwd=ROOT, check=True)
        stamp.write_text(digest)
    return python


def demo(args: list[str]) -> int:
    ensure_environment()
    env = {**os.environ}
    # Each country pack's demo in a folder of its own: a database holds one country's data.
    country = env.get("OPENUHC_COUNTRY", "th")
    env.setdefault("OPENUHC_DATA_DIR", str(ROOT / "data" if country == "th" else ROOT / "data" / country))
    _say(f"country pack: {country}; data folder: {env['OPENUHC_DATA_DIR']}")
    return subprocess.call([str(BIN / "openuhc"), "demo", *args], cwd=ROOT, env=env)


def test(args: list[str]) -> int:
    python = ensure_environment("test")
    env = {**os.environ}
    env.setdefault("OPENUHC_DATA_DIR", str(ROOT / "data" / "test"))
    # loadgroup: tests marked xdist_group("spark") share one worker, so Java starts once for them
    workers = [] if any(a.startswith("-n") for a in args) else ["-n", "auto", "--dist", "loadgroup"]
    database = env.get("OPENUHC_DATABASE_URL", "sqlite (in memory)")
    _say(f"running the tests on {database.split('@')[-1]}")
    return subprocess.call([str(python), "-m", "pytest", *workers, *args], cwd=ROOT, env=env)


def main() -> int:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
