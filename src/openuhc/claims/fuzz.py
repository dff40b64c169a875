"""Fuzz target for the claim-file reader: `python -m openuhc.claims.fuzz --seconds N`.

Feeds random mutations of a valid submission (bytes flipped, lines cut, separators and line ends added,
encodings mixed, zip members renamed) through the reader and the checks, and fails loudly if anything
raises. The reader must turn every input into problems, never into an exception."""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import traceback
import zipfile
from datetime import date
from pathlib import Path


def seed_files() -> dict[str, bytes]:
    from openuhc.claims.samples import SubmissionBuilder

    b = SubmissionBuilder("56001")
    b.patient(hn="H1", cid="1234567890121", dob=date(1980, 5, 17), sex=1, fname="สมชาย", lname="ใจดี")
    b.visit(hn="H1", seq="V1", on=date(2025, 9, 3), diagnoses=["J069", "R509"], drugs=1, emergency="E")
    b.admission(hn="H1", an="A1", admitted=date(2025, 9, 10), discharged=date(2025, 9, 14), procedures=["4709"],
                leave=[(date(2025, 9, 11), date(2025, 9, 12), 1)])
    return {f"{name}.txt": b.text(name).encode("cp874" if name in ("PAT", "ODX") else "utf-8") for name in b.rows}


_TOKENS = [b"|", b"\r", b"\n", b"\r\n", b"\x00", b"\xff", b"\xe0\xb8", "ก".encode("cp874"), b"25680903",
           b"20261331", b"1" * 30, b"-", b".", b"..", b"\"", b"'", b"HN", b"SEQ", b"AN", b"", b" ", b"\t"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        position = rng.randint(0, len(data)) if data else 0
        if choice < 0.3 and data:
            data[min(position, len(data) - 1)] = rng.randrange(256)
        elif choice < 0.6:
            data[position:position] = rng.choice(_TOKENS)
        elif choice < 0.8 and data:
            del data[position:position + rng.randint(1, 40)]
        else:
            data[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
    return bytes(data)


def one_case(rng: random.Random, files: dict[str, bytes], workdir: Path) -> Path:
    chosen = {name: (mutate(data, rng) if rng.random() < 0.5 else data) for name, data in files.items()
              if rng.random() < 0.95}
    if rng.random() < 0.5:
        path = workdir / f"case{rng.randrange(10**9)}.zip"
        with zipfile.ZipFile(path, "w", rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])) as archive:
            for name, data in chosen.items():
                archive.writestr(rng.choice([name, name.lower(), f"sub/{name}", f"../{name}"]) if rng.random() < 0.1
                                 else name, data)
        if rng.random() < 0.2:
            raw = bytearray(path.read_bytes())
            for _ in range(rng.randint(1, 5)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            path.write_bytes(bytes(raw))
        return path
    folder = workdir / f"case{rng.randrange(10**9)}"
    folder.mkdir()
    for name, data in chosen.items():
        (folder / name).write_bytes(data)
    return folder


def run_one(path: Path, *, with_rules: bool) -> None:
    from openuhc.claims.checking import check
    from openuhc.claims.reader import read_submission

    if with_rules:
        with check(path, unit_code="56001", received_on=date(2025, 10, 5)) as checked:
            list(checked.problems())
            checked.summary()
    else:
        with read_submission(path) as parsed:
            if parsed.usable:
                from openuhc.claims import rules

                rules.prepare(parsed)
                for name in parsed.files:
                    parsed.table(name).read_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rules", action="store_true", help="also run the validation rules (needs a database)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    import django

    django.setup()
    rng = random.Random(args.seed)  # noqa: S311 - fuzzing, not security
    files = seed_files()
    deadline = time.monotonic() + args.seconds
    cases = 0
    with tempfile.TemporaryDirectory(prefix="openuhc-fuzz-") as tmp:
        while time.monotonic() < deadline:
            path = one_case(rng, files, Path(tmp))
            try:
                run_one(path, with_rules=args.rules)
            except Exception:  # the point of the fuzzer: report any crash with the input that caused it
                keep = Path(tempfile.mkdtemp(prefix="openuhc-fuzz-crash-"))
                target = keep / path.name
                if path.is_dir():
                    import shutil

                    shutil.copytree(path, target)
                else:
                    target.write_bytes(path.read_bytes())
                traceback.print_exc()
                print(f"CRASH after {cases} cases; input kept at {target}", file=sys.stderr)
                return 1
            cases += 1
    print(f"{cases} cases in {args.seconds:g} s, no crash")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

