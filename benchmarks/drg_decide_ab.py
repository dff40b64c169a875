"""The compiled rules' walk (`logic_columns.decide`) of two source trees, timed alternately in one process.

    .venv/bin/python benchmarks/drg_decide_ab.py --before /path/to/other/tree/src [--after src] [--rows 100000]

The machine's speed drifts by ±10 % within minutes, more than most changes to the walk save; two trees timed in
one process, one chunk's walk after the other's, cancel most of the drift. Makes the cases of benchmarks/drg_group.py
(same seed, 500,000 cases) in a prepared folder, then, for each tree in a fresh process with that tree's `src`
first on the path, groups `--chunks` chunks of `--rows` cases (`vector.group_arrow`) and keeps what the walk
received (its cases and swaps: the token words depend on the tree's layout, so each tree walks its own). Then one
process loads both trees' `logic_columns.py` side by side, walks every kept chunk once per tree, alternating the
order per round, `--rounds` times, on one Polars thread, and prints per tree the CPU per chunk (minimum and
median of the rounds) and a digest of the decisions (the same digest: the same decisions).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ["POLARS_MAX_THREADS"] = "1"  # before anything imports Polars
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def capture(workdir: Path, src: Path, rows: int, chunks: int, out: Path) -> None:
    """In this process, with `src` first on the path: the walk's inputs of the first `chunks` chunks."""
    from drg_group import _django

    sys.path.insert(0, str(src))
    _django(workdir)
    import pyarrow.parquet as pq

    from openuhc.drg import logic_columns, vector
    from openuhc.drg.tables import active_tables

    assert Path(logic_columns.__file__).is_relative_to(src), logic_columns.__file__
    tables = active_tables()
    cases = pq.read_table(workdir / "cases.parquet")
    kept = []
    walk = logic_columns.decide

    def keep(frame, rules, swaps):  # type: ignore[no-untyped-def]
        kept.append((frame, swaps))
        return walk(frame, rules, swaps)

    vector.logic_columns.decide = keep
    for n in range(chunks):
        vector.group_arrow(cases.slice(n * rows, rows), tables)
    out.write_bytes(pickle.dumps(kept))


def _module(name: str, src: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, src / "openuhc" / "drg" / "logic_columns.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def compare(trees: dict[str, Path], inputs: dict[str, Path], rounds: int) -> None:
    sys.path.insert(0, str(trees["after"]))
    from openuhc.drg.volume2 import CHAPTERS

    walks = {}
    for label, src in trees.items():
        module = _module(f"logic_columns_{label}", src)
        rules = module.compile_rules(CHAPTERS)
        kept = pickle.loads(inputs[label].read_bytes())  # noqa: S301 - the file `capture` wrote just before
        digest = hashlib.sha256()
        for frame, swaps in kept:
            digest.update(module.decide(frame, rules, swaps).sort("_idx").write_ipc(None).getvalue())
        walks[label] = (module, rules, kept, digest.hexdigest()[:16])
    spent: dict[str, list[float]] = {label: [] for label in trees}
    for n in range(rounds):
        for label in (list(trees) if n % 2 == 0 else list(trees)[::-1]):
            module, rules, kept, _digest = walks[label]
            started = time.process_time()
            for frame, swaps in kept:
                module.decide(frame, rules, swaps)
            spent[label].append((time.process_time() - started) / len(kept) * 1000)
    for label, times in spent.items():
        print(f"{label} ({trees[label]}): {min(times):.1f} ms minimum, {statistics.median(times):.1f} ms median per "
              f"chunk; decisions' digest {walks[label][3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=Path, default=ROOT.parent / "shared" / "tdrg" / "6.3")
    parser.add_argument("--before", type=Path, default=None, help="the other tree's src folder")
    parser.add_argument("--after", type=Path, default=ROOT / "src")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--chunks", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--capture", nargs=2, default=None, help=argparse.SUPPRESS)  # internal: src, output
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if args.capture:
        capture(args.workdir, Path(args.capture[0]).resolve(), args.rows, args.chunks, Path(args.capture[1]))
        return
    if args.before is None:
        parser.error("--before is required")
    from drg_group import prepared_workdir

    workdir = args.workdir or prepared_workdir(args.tables, 500_000, "openuhc-drg-decide-")
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    inputs = {}
    for label, src in trees.items():
        inputs[label] = workdir / f"walk-{label}.pickle"
        subprocess.run([sys.executable, __file__, "--workdir", str(workdir), "--rows", str(args.rows), "--chunks",
                        str(args.chunks), "--capture", str(src), str(inputs[label])], check=True)
    compare(trees, inputs, args.rounds)


if __name__ == "__main__":
    main()
