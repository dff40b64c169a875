"""Roll-ups: the claim-level facts summed by the dimensions dashboards break figures down by.

A national year is about 180 million claim rows; dashboards read these roll-ups (a few million rows at
most) so that a KPI query answers in well under a second (benchmarks/README.md). Built with DuckDB straight
from Parquet to Parquet, so memory does not grow with the number of claims.
"""

from __future__ import annotations

from openuhc.monitoring import store

DIMS = "fy, month, region, province, hcode, scheme, age_band, sex"

ROLLUPS: dict[str, tuple[str, str]] = {
    # roll-up name: (claim-level fact, SELECT over it)
    "op_visits": ("op_claims", f"SELECT {DIMS}, count(*)::BIGINT AS visits, sum(charge) AS charge "
                               f"FROM op_claims GROUP BY ALL"),
    # AdjRW (4 places) is summed exactly, then made a float: a float sum would depend on the order of the rows.
    "ip_admissions": ("ip_claims", f"SELECT {DIMS}, count(*)::BIGINT AS admissions, count(adjrw)::BIGINT AS grouped, "
                                   f"sum(adjrw::DECIMAL(18, 4))::DOUBLE AS adjrw, sum(charge) AS charge "
                                   f"FROM ip_claims GROUP BY ALL"),
}


def build_all() -> dict[str, int]:
    """Rebuild every roll-up whose claim-level fact is in the store; returns rows per roll-up."""
    present = set(store.facts_present())
    return {name: store.write_fact_sql(name, sql, facts=[source])
            for name, (source, sql) in ROLLUPS.items() if source in present}
