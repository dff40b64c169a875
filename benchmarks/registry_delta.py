"""A month's registry changes against a loaded registry: births, deaths, moves, name changes, scheme and unit
changes, applied as `openuhc import persons FILE --mode delta` does.

    .venv/bin/python benchmarks/national_month.py --db oh_registry --workdir /tmp/nm_reg --persons 1000000 \\
        --op 1000 --ip 10 --hospitals 100 --until registry          # the registry the delta applies to
    .venv/bin/python benchmarks/registry_delta.py --db oh_registry --workdir /tmp/nm_reg --changes 1000000

The delta is written from the load file (WORKDIR/persons.csv, which national_month.py wrote and loaded), so every
row it leaves unchanged matches what is recorded: a fifth of the changes are births (new citizen IDs after the
last one), the rest change one thing each for the first persons of the file — a death (3 in 16), a move to
another sub-district (4 in 16), a new last name (3 in 16), a scheme change (UCS to social security, or to UCS with
units; 3 in 16) or a change of units (3 in 16, UCS members; others get a new last name). The file is applied once
per content: `--month` (1-12, default 11) picks the change date, so that a second run is a different file.
Prints the import's counts, its seconds per step and the load average.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national_month import cid_of, setup_django  # noqa: E402


def write_delta(source: Path, target: Path, changes: int, persons: int, month: int) -> dict[str, int]:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    subdistricts = sorted({r["subdistrict_code"] for r in rows})
    units = sorted({r["main_unit"] for r in rows if r["main_unit"]})
    on = date(2025, month, 1)
    births = changes // 5
    existing = min(changes - births, len(rows))
    counts = dict.fromkeys(("birth", "death", "move", "name", "scheme", "units"), 0)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "death_date"], restval="")
        writer.writeheader()
        for i in range(existing):
            row = dict(rows[i])
            kind = i % 16
            if kind < 3:
                row["death_date"] = on.isoformat()
                counts["death"] += 1
            elif kind < 7:
                row["subdistrict_code"] = subdistricts[(subdistricts.index(row["subdistrict_code"]) + 1)
                                                      % len(subdistricts)]
                counts["move"] += 1
            elif kind < 10 or (kind >= 13 and row["scheme"] != "UCS"):
                row["last_name_th"] = f"เปลี่ยน{i % 1013}"
                counts["name"] += 1
            elif kind < 13:
                if row["scheme"] == "UCS":  # to social security: no units (the registration stays as recorded)
                    row.update(scheme="SSS", coverage_from=on.isoformat(), main_unit="", primary_unit="",
                               referral_unit="", registered_from="")
                else:
                    unit = units[i % len(units)]
                    row.update(scheme="UCS", coverage_from=on.isoformat(), main_unit=unit, primary_unit=unit,
                               referral_unit=unit, registered_from=on.isoformat())
                counts["scheme"] += 1
            else:
                unit = units[(units.index(row["main_unit"]) + 7) % len(units)]
                row.update(main_unit=unit, primary_unit=unit, referral_unit=unit, registered_from=on.isoformat())
                counts["units"] += 1
            writer.writerow(row)
        for j in range(births):
            born = on.replace(day=1 + j % 28).isoformat()
            unit = units[j % len(units)]
            sex = 1 + (j & 1)
            writer.writerow({"citizen_id": cid_of(persons + j), "title": "ด.ช." if sex == 1 else "ด.ญ.",
                             "first_name_th": f"เกิดใหม่{j % 991}", "last_name_th": f"ระบบ{j % 1009}", "sex": sex,
                             "birth_date": born, "subdistrict_code": subdistricts[j % len(subdistricts)],
                             "scheme": "UCS", "coverage_from": born, "main_unit": unit, "primary_unit": unit,
                             "referral_unit": unit, "registered_from": born})
            counts["birth"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="openuhc_bench_national")
    parser.add_argument("--workdir", default=str(Path(__file__).resolve().parent / "out" / "national"))
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--month", type=int, default=11)
    args = parser.parse_args()
    work = Path(args.workdir)
    state = json.loads((work / "state.json").read_text())
    target = work / f"delta-{args.month:02d}.csv"
    started = time.monotonic()
    counts = write_delta(work / "persons.csv", target, args.changes, state["size"]["persons"], args.month)
    print(f"written {target} in {time.monotonic() - started:.1f} s: {counts}", flush=True)
    setup_django(args)
    from openuhc.registry.extract import apply_extract

    load = os.getloadavg()
    started = time.monotonic()
    report, record = apply_extract(target, mode="delta")
    seconds = time.monotonic() - started
    if not report.ok:
        raise SystemExit(f"refused: {[(e.row, e.field, e.code) for e in report.errors[:10]]}")
    print(json.dumps({"rows": record.rows_read, "added": record.added, "changed": record.changed,
                      "unchanged": record.unchanged, "seconds": round(seconds, 1),
                      "per_second": round(record.rows_read / seconds), "steps": record.detail.get("seconds"),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "load_before": [round(x, 2) for x in load],
                      "load_after": [round(x, 2) for x in os.getloadavg()]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
