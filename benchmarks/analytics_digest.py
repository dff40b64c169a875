"""What an analytics refresh stored, as one line per fact: a check that a faster refresh stores the same facts.

    .venv/bin/python benchmarks/analytics_digest.py /work/nm_analytics/data/analytics > after.txt
    diff before.txt after.txt

For each fact folder of the store (read as the dashboards read it: Parquet partitioned by fy and month) it prints
the columns and their types, the row count, the sum of every numeric column, and a digest of the rows that does not
depend on their order or on how the files were cut (the sum of a hash of each row's text).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from openuhc.monitoring.store import fact_source  # noqa: E402  (the store's own reading of a fact folder)


def digest(folder: Path) -> list[str]:
    con = duckdb.connect()
    lines = []
    for fact in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        con.execute(f'CREATE OR REPLACE VIEW "{fact.name}" AS SELECT * FROM {fact_source(fact)}')
        columns = con.execute(f'DESCRIBE "{fact.name}"').fetchall()
        schema = ", ".join(f"{name} {kind}" for name, kind, *_ in sorted(columns))
        numeric = [name for name, kind, *_ in sorted(columns)
                   if kind.split("(")[0] in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "DOUBLE", "DECIMAL")]
        sums = ", ".join(f'sum("{n}")' for n in numeric)
        row = con.execute(f'SELECT count(*), sum(hash(CAST(t AS VARCHAR))::HUGEINT) {", " + sums if sums else ""} '
                          f'FROM (SELECT {", ".join(chr(34) + c[0] + chr(34) for c in sorted(columns))} '
                          f'FROM "{fact.name}") t').fetchone()
        lines.append(f"{fact.name}: rows {row[0]:,}; digest {row[1]}; "
                     + "; ".join(f"sum({n}) {v}" for n, v in zip(numeric, row[2:], strict=True))
                     + f"; columns {schema}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="the analytics store folder (<data dir>/analytics)")
    args = parser.parse_args()
    if not args.store.is_dir():
        sys.exit(f"no store at {args.store}")
    print("\n".join(digest(args.store)))


if __name__ == "__main__":
    main()
