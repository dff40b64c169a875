"""Pricing a synthetic national month end to end with the pure functions of `openuhc.payment.pricing` (issue 5).

    .venv/bin/python benchmarks/payment_pricing.py                        # 500,000 IP + 15,000,000 OP claims
    .venv/bin/python benchmarks/payment_pricing.py --ip 50000 --op 1500000 # a tenth, for a quick look

1. Writes the month as Parquet (not timed): `ip.parquet` — accepted admissions of 1,000 hospitals in the 13
   regions with AdjRW, CCUF, multiplier code, days late, public/private, road-traffic insurance amounts;
   `op.parquet` — itemised OP claims (fee schedule) of 5,000,000 people at 10,000 units: ANC, postnatal care,
   ultrasound, and an unknown item now and then, with age and sex.
2. In a fresh process (so that its peak memory is its own): reads both files, prices the IP claims under the
   FY2569 demo configuration as one inpatient round charging the year's budget (each region's whole budget left;
   the rate floats where a region's round would exceed it), prices the OP claims by the fee schedule with caps per
   person and fiscal year and decimal quantities (`--partitions` groups of people one after the other, as the
   batch engine would hand them out), checks that the totals are the sums of the lines and that no region exceeds
   its budget, and writes the priced lines back as Parquet. Prints a Markdown table: seconds per step, rows, peak
   RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
ITEMS = ["ANC", "ANC", "ANC", "PNC", "US", "US", "XRAY"]  # XRAY is not in the fee schedule: refused


def generate(folder: Path, ip_rows: int, op_rows: int, seed: int) -> None:
    import polars as pl

    def pick(column: str, salt: int, modulo: int) -> pl.Expr:
        return (pl.col(column).hash(seed + salt) % modulo).cast(pl.Int64)

    ip = pl.DataFrame({"claim_id": pl.int_range(1, ip_rows + 1, eager=True)}).with_columns(
        hospital=pick("claim_id", 1, 1000))
    ip = ip.select(
        "claim_id",
        hcode=(pl.col("hospital") + 10000).cast(pl.String),
        region=(pl.col("hospital") % 13 + 1).cast(pl.Int32),
        fiscal_year=pl.lit(2569, pl.Int32),
        adjrw=(pick("claim_id", 2, 60000) / 10000 + 0.1),
        ccuf=pl.lit(1.0),
        multiplier_code=pl.when(pick("claim_id", 3, 20) == 0).then(pl.lit("REMOTE")).otherwise(None),
        late_days=pick("claim_id", 4, 50),
        is_public=pick("hospital", 5, 5) != 0,
        rti_amount=pl.when(pick("claim_id", 6, 100) == 0).then(pick("claim_id", 7, 3_000_000).cast(pl.Decimal(16, 0))
                                                               / 100).otherwise(None).cast(pl.Decimal(16, 2)),
    )
    ip.write_parquet(folder / "ip.parquet")
    op = pl.DataFrame({"claim_id": pl.int_range(1, op_rows + 1, eager=True)}).with_columns(
        person=pick("claim_id", 11, 5_000_000), unit=pick("claim_id", 12, 10000))
    op = op.select(
        "claim_id",
        hcode=(pl.col("unit") + 20000).cast(pl.String),
        region=(pl.col("unit") % 13 + 1).cast(pl.Int32),
        service_date=(pl.lit(20454) + pick("claim_id", 13, 31)).cast(pl.Int32).cast(pl.Date),  # January 2026
        person_key=pl.col("person"),
        item=pick("claim_id", 14, len(ITEMS)).replace_strict(dict(enumerate(ITEMS)), return_dtype=pl.String),
        age=(pick("person", 15, 40) + 15).cast(pl.Int32),
        sex=pl.when(pick("person", 16, 10) < 8).then(2).otherwise(1).cast(pl.Int32),
    )
    op.write_parquet(folder / "op.parquet")


def price(folder: Path, partitions: int) -> dict:
    import django

    django.setup()
    import polars as pl
    import pyarrow.parquet as pq

    from openuhc.budget.config import parse
    from openuhc.budget.defaults import year_config
    from openuhc.payment.pricing import FeeRules, IpRules, price_fee, price_ip

    config = parse(year_config(2569))
    timings = {}
    start = time.perf_counter()
    ip = pq.read_table(folder / "ip.parquet")
    op = pq.read_table(folder / "op.parquet")
    timings["read Parquet"] = time.perf_counter() - start

    mark = time.perf_counter()
    budgets = {(r.region, 2569): r.ip_budget for r in config.ip_regions}
    claims, summary = price_ip(ip, IpRules.from_config(config, budgets))
    timings["price IP (global budget, floating rate)"] = time.perf_counter() - mark

    mark = time.perf_counter()
    lines, units = price_fee(op, FeeRules.from_config(config, 10), partitions=partitions)
    timings[f"price OP (fee schedule, caps; {partitions} groups of people)"] = time.perf_counter() - mark

    mark = time.perf_counter()
    c = pl.from_arrow(claims)
    s = pl.from_arrow(summary)
    by_region = c.group_by("region", "fiscal_year").agg(pl.col("amount").sum()).join(
        s.select("region", "fiscal_year", "total", "budget"), on=["region", "fiscal_year"])
    assert (by_region["amount"] == by_region["total"]).all(), "IP lines do not sum to the totals"
    assert (by_region["total"] <= by_region["budget"]).all(), "a region exceeds its budget"
    assert pl.from_arrow(lines)["amount"].sum() == pl.from_arrow(units)["amount"].sum()
    timings["check totals = Σ lines, budgets"] = time.perf_counter() - mark

    mark = time.perf_counter()
    pq.write_table(claims, folder / "ip_priced.parquet")
    pq.write_table(lines, folder / "op_priced.parquet")
    timings["write priced Parquet"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - start
    floated = int(pl.from_arrow(summary)["floated"].sum())
    return {"timings": timings, "ip_rows": ip.num_rows, "op_rows": op.num_rows, "floated": floated,
            "ip_total": str(pl.from_arrow(summary)["total"].sum()),
            "op_total": str(pl.from_arrow(units)["amount"].sum()),
            "paid_op_lines": int((pl.from_arrow(lines)["amount"] > 0).sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ip", type=int, default=500_000)
    parser.add_argument("--op", type=int, default=15_000_000)
    parser.add_argument("--seed", type=int, default=2569)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--partitions", type=int, default=16, help="groups of people priced one after another")
    parser.add_argument("--price-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.price_only:
        print(json.dumps(price(args.price_only, args.partitions)))
        return
    folder = args.dir or Path(tempfile.mkdtemp(prefix="openuhc-pricing-"))
    folder.mkdir(parents=True, exist_ok=True)
    mark = time.perf_counter()
    generate(folder, args.ip, args.op, args.seed)
    generated = time.perf_counter() - mark
    sizes = {p.name: p.stat().st_size for p in folder.glob("*.parquet")}
    child = subprocess.run([sys.executable, __file__, "--price-only", str(folder), "--partitions",
                            str(args.partitions)], capture_output=True, text=True,
                           check=True)
    result = json.loads(child.stdout.strip().splitlines()[-1])
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"Synthetic month: {result['ip_rows']:,} IP + {result['op_rows']:,} OP claims "
          f"(generated in {generated:.1f} s, not timed; ip.parquet {sizes['ip.parquet'] / 1e6:.1f} MB, "
          f"op.parquet {sizes['op.parquet'] / 1e6:.1f} MB); {os.cpu_count()} CPUs.")
    print(f"IP regions whose rate floated: {result['floated']} of 13; IP total {result['ip_total']} baht; "
          f"OP fee lines paid {result['paid_op_lines']:,}, total {result['op_total']} baht.\n")
    print("| step | seconds |\n|---|---:|")
    for step, seconds in result["timings"].items():
        print(f"| {step} | {seconds:.2f} |")
    print(f"\nPeak memory of the pricing process (max RSS): {peak_kb / 1024 / 1024:.2f} GB")


if __name__ == "__main__":
    main()
