"""The columnar grouper gives exactly what the per-case grouper gives, column for column, on cases drawn
from the real TDRG 6.3 tables — edge cases included."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openuhc.drg import grouper as g
from openuhc.drg.services import OUTPUT_COLUMNS, explain_batch, group_batch

pytestmark = pytest.mark.django_db

COMPARED = [c for c in OUTPUT_COLUMNS if c != "table_version"]


def _pools(tables) -> dict[str, list[str]]:
    dx = tables.diagnoses.to_pydict()
    pr = tables.procedures.to_pydict()
    codes = dx["CODE"]
    pick = {
        "pdx": [c for c, a in zip(codes, dx["ACCPDX"], strict=True) if a == "Y"],
        "not_pdx": [c for c, a in zip(codes, dx["ACCPDX"], strict=True) if a != "Y"],
        "cc": [c for c, cc in zip(codes, dx["CC"], strict=True) if cc],
        "sexed": [c for c, s in zip(codes, dx["SEX"], strict=True) if s in ("M", "F")],
        "aged": [c for c, u in zip(codes, dx["AGEDUSE"], strict=True) if u == "Y"],
        "pregnancy": [c for c, m in zip(codes, dx["MDC"], strict=True) if m == "14"],
        "twice": sorted(c for c, n in Counter(codes).items() if n > 1),
        "any_dx": codes,
        "or": [c for c, o in zip(pr["CODE"], pr["ORP"], strict=True) if o == "Y"],
        "pre": [c for c, m in zip(pr["CODE"], pr["MMDC"], strict=True) if m == "00"],
        "mos": [c for c, m in zip(pr["CODE"], pr["MOSDC"], strict=True) if m],
        "any_proc": pr["CODE"],
        "drg": list(tables._drg),
    }
    # CC exclusions: a complication with a principal diagnosis it does not count with
    ccex = tables.diagnoses.to_pydict()
    groups = dict(zip(ccex["CODE"], ccex["MAINCC"], strict=True))
    pick["excluded_pairs"] = [(cc, pdx) for cc, pdx in ((c, random.Random(i).choice(pick["pdx"]))  # noqa: S311
                                                     for i, c in enumerate(pick["cc"][:400]))
                              if tables.excluded(groups[cc], pdx)]
    return pick


def _dotted(code: str, rng: random.Random) -> str:
    if rng.random() < 0.1 and len(code) > 3:
        return f"{code[:3]}.{code[3:]}".lower() if rng.random() < 0.5 else f" {code} "
    return code


def make_cases(tables, n: int, seed: int) -> pa.Table:
    rng = random.Random(seed)  # noqa: S311
    pool = _pools(tables)
    rows = []
    start = date(2026, 1, 1)
    for i in range(n):
        kind = rng.random()
        pdx = rng.choice(pool["pdx"])
        sdx = rng.sample(pool["cc"], rng.choice([0, 0, 1, 1, 2, 3, 5, 8]))
        if rng.random() < 0.2:
            sdx.append(rng.choice(pool["any_dx"]))
        if rng.random() < 0.1:
            sdx.append(rng.choice(pool["sexed"]))
        if rng.random() < 0.1:
            sdx.append(rng.choice(pool["aged"]))
        if rng.random() < 0.05:
            sdx += [pdx, sdx[0] if sdx else "", "ZZZ99"]
        procs = []
        if rng.random() < 0.4:
            procs = rng.sample(pool["or"], rng.choice([1, 1, 2]))
        if rng.random() < 0.05:
            procs.append(rng.choice(pool["pre"]))
        if rng.random() < 0.1:
            procs.append(rng.choice(pool["mos"]))
        if rng.random() < 0.1:
            procs.append(rng.choice(pool["any_proc"]))
        if rng.random() < 0.03:
            procs += ["999999", procs[0] if procs else ""]
        age: object = rng.randrange(1, 95)
        age_days: object = None
        weight: object = None
        sex: object = rng.choice([1, 2, 1, 2, None])
        if kind < 0.05:
            pdx = rng.choice(pool["pregnancy"])
        elif kind < 0.08:
            pdx = rng.choice(pool["not_pdx"])
        elif kind < 0.11:
            pdx = rng.choice(pool["sexed"])
        elif kind < 0.14:
            pdx = rng.choice(pool["twice"] or pool["pdx"])
        elif kind < 0.20:  # newborns and infants
            age, age_days = 0, rng.choice([0, 1, 5, 27, 28, 100, 365, 366, -1, None])
            weight = rng.choice([None, 600, 999, 1000, 1499, 1500, 2499, 2500, 3400])
            pdx = rng.choice(pool["aged"] + pool["pdx"][:50])
        elif kind < 0.23:
            age = rng.choice([None, -1, 125, 124, 0])
        elif kind < 0.25:
            pdx = rng.choice(["", "S82201D", "XYZ", "j18.9", " J189 "])
        elif kind < 0.28 and pool["excluded_pairs"]:
            cc, pdx = rng.choice(pool["excluded_pairs"])
            sdx = [cc] + sdx
        admitted = start + timedelta(days=rng.randrange(60))
        stay = rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 14, 25, 40, 90, 200])
        discharged: object = admitted + timedelta(days=stay)
        leave: object = rng.choice([0, 0, 0, 1, 3, None])
        hospital = ""
        if rng.random() < 0.1:
            hospital = rng.choice([rng.choice(pool["drg"]), "99999", " 04520 ", "26509", "0452"])
        row = {"an": f"A{i}", "pdx": _dotted(pdx, rng), "sdx": ";".join(_dotted(c, rng) for c in sdx),
               "proc": ";".join(procs), "sex": sex, "age": age, "age_days": age_days, "admit_date": admitted,
               "discharge_date": discharged, "leave_days": leave, "discharge_type": "1", "admit_weight": weight,
               "drg": hospital}
        if rng.random() < 0.02:
            row["discharge_date"] = admitted - timedelta(days=1)
        if rng.random() < 0.02:
            row[rng.choice(["admit_date", "discharge_date"])] = None
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=pa.schema([
        ("an", pa.string()), ("pdx", pa.string()), ("sdx", pa.string()), ("proc", pa.string()), ("sex", pa.int64()),
        ("age", pa.int64()), ("age_days", pa.int64()), ("admit_date", pa.date32()), ("discharge_date", pa.date32()),
        ("leave_days", pa.int64()), ("discharge_type", pa.string()), ("admit_weight", pa.int64()),
        ("drg", pa.string())]))


def as_text(table: pa.Table, rng: random.Random) -> pa.Table:
    """The same cases as a CSV gives them (every column text), with some values a parser must refuse."""
    rows = table.to_pylist()
    bad = ["x", "3", "1.0", " 2", "+1", "", "٣", "1_0", "12345678901"]
    bad_dates = ["2026-02-30", "2026-1-01", "20260101", "0000-01-01", "", " 2026-01-01", "2026-01-01T00:00"]
    out = []
    for row in rows:
        text = {k: ("" if v is None else str(v)) for k, v in row.items()}
        if rng.random() < 0.05:
            text[rng.choice(["sex", "age", "age_days", "leave_days", "admit_weight"])] = rng.choice(bad)
        if rng.random() < 0.03:
            text[rng.choice(["admit_date", "discharge_date"])] = rng.choice(bad_dates)
        if rng.random() < 0.01:
            text["pdx"] = text["pdx"] + "\u00e9"
        if rng.random() < 0.01:
            text["sdx"] = text["sdx"] + ";A00\t"
        out.append(text)
    return pa.Table.from_pylist(out, schema=pa.schema([(name, pa.string()) for name in table.schema.names]))


def assert_same(table: pa.Table, tables) -> None:
    fast = group_batch(table, tables=tables)
    slow = explain_batch(table, tables=tables, trace=False)
    assert fast.schema == slow.schema
    for name in COMPARED:
        a, b = fast.column(name).to_pylist(), slow.column(name).to_pylist()
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        assert not differ, (f"{name} differs on {len(differ)} rows, first: {table.slice(differ[0], 1).to_pylist()}"
                            f" → columnar {a[differ[0]]!r}, per-case {b[differ[0]]!r}")


def test_the_columnar_grouper_gives_exactly_the_per_case_results(tables):
    cases = make_cases(tables, 4000, seed=63)
    assert_same(cases, tables)
    grouped = group_batch(cases, tables=tables)
    # the sample reaches the rules it claims to cover
    drgs = set(grouped.column("drg").to_pylist())
    mdcs = set(grouped.column("mdc").to_pylist())
    errors = set(grouped.column("error").to_pylist())
    assert {"26509", "26519", "26539"} <= drgs
    assert {"00", "15", "26", "12", "13"} <= mdcs
    assert {None, "negative_los", "dates_missing"} <= errors
    assert "hospital" in grouped.column("source").to_pylist()
    assert any("does not exist" in (d or "") for d in grouped.column("disagreement").to_pylist())


def test_text_input_and_bad_values_give_the_same_results(tables):
    cases = as_text(make_cases(tables, 3000, seed=2569), random.Random(7))  # noqa: S311
    assert_same(cases, tables)
    errors = group_batch(cases, tables=tables).column("error").to_pylist()
    assert errors.count("bad_row") > 50


def test_a_batch_with_columns_of_other_types_goes_the_per_case_way(tables):
    cases = make_cases(tables, 200, seed=1)
    ages = pa.array([None if a is None else float(a) for a in cases.column("age").to_pylist()], pa.float64())
    cases = cases.set_column(cases.schema.get_field_index("age"), "age", ages)
    assert_same(cases, tables)
    assert set(group_batch(cases, tables=tables).column("error").to_pylist()) >= {"bad_row"}


def test_missing_optional_columns_and_an_empty_batch(tables):
    cases = make_cases(tables, 300, seed=5).drop_columns(["sdx", "proc", "age_days", "leave_days", "admit_weight",
                                                          "drg"])
    assert_same(cases, tables)
    assert_same(cases.slice(0, 0), tables)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hypothesis_any_case_groups_the_same_both_ways(tables, data):
    pool = data.draw(st.sampled_from(["J189", "A510", "O800", "P073", "K358", "B962", "N390", "", "S82201D"]))
    row = {
        "pdx": pool,
        "sdx": ";".join(data.draw(st.lists(st.sampled_from(["E119", "N179", "A202", "O800", "P073", "J189", "I10",
                                                            "E1165", "X"]), max_size=4))),
        "proc": ";".join(data.draw(st.lists(st.sampled_from(["5051", "3844", "4701", "8151", "3800", "6812", "9999"]),
                                            max_size=3))),
        "sex": data.draw(st.sampled_from([1, 2, None])),
        "age": data.draw(st.one_of(st.none(), st.integers(-2, 130))),
        "age_days": data.draw(st.one_of(st.none(), st.integers(-2, 400))),
        "admit_date": date(2026, 1, 1),
        "discharge_date": date(2026, 1, 1) + timedelta(days=data.draw(st.integers(-2, 120))),
        "leave_days": data.draw(st.integers(0, 3)),
        "admit_weight": data.draw(st.one_of(st.none(), st.integers(300, 5000))),
        "drg": data.draw(st.sampled_from(["", "04520", "99999", "04523"])),
    }
    assert_same(pa.Table.from_pylist([row]), tables)


def test_the_columnar_lookups_read_back_from_the_cache_equal_the_built_ones(tables, monkeypatch):
    from openuhc.drg import vector

    tables.vector  # noqa: B018 - built at install, and stored in the table cache
    assert any(p.name.startswith("columnar-") for p in tables.folder.iterdir())
    again = vector.VectorTables(tables)  # read back from the cache
    monkeypatch.setattr(vector, "_read_frames", lambda folder, names: None)
    monkeypatch.setattr(vector, "_write_frames", lambda folder, frames: None)
    built = vector.VectorTables(tables)  # built in this process
    for name in vector.VectorTables.LOOKUPS:
        assert again.__dict__[name].collect().equals(built.__dict__[name].collect()), name
    for name in ("main_by_rank", "mos_dc_by_pick", "dcl_levels"):
        assert again.__dict__[name].equals(built.__dict__[name]), name
    for name in ("pre_dc_by_rank", "mos_dc_by_rank", "or_dc_by_rank", "dcl_width", "plans"):
        assert again.__dict__[name] == built.__dict__[name], name
    assert again.plans and all(again.plans[dc] == g.severity_plan(tables, dc) for dc in tables.dcs)


def test_the_pcl_keyed_by_text_gives_the_same_results(tables, monkeypatch):
    from openuhc.drg import vector

    # a chunk where a case keeps more levels than one integer key holds is keyed by text: force that way
    monkeypatch.setattr(vector, "DIGITS", 1)
    monkeypatch.setattr(tables.vector, "pcls", {})
    assert_same(make_cases(tables, 1500, seed=18), tables)


def test_the_dcl_read_as_text_gives_the_same_results(tables, monkeypatch):
    # the DCL levels are read from one array by position; a table whose DC positions fall outside the digits
    # is read as text: force that way
    monkeypatch.setattr(tables.vector, "dcl_levels", None)
    assert_same(make_cases(tables, 1500, seed=19), tables)


def test_a_code_column_is_normal_only_when_no_byte_would_change():
    from openuhc.drg.vector import _normal

    normal = pa.chunked_array([pa.array(["J189", None, "I10;E119", ""]), pa.array(["A00-9_'/"])])
    assert _normal(normal)
    assert _normal(pa.chunked_array([normal.combine_chunks().cast(pa.large_string())]))
    assert _normal(pa.chunked_array([], pa.string()))
    assert _normal(pa.chunked_array([pa.array([None, None], pa.null())]))
    for changed in ("j189", "J18.9", "J18 9", "J189\t", "J189é"):
        column = pa.array(["J189", changed, "I10"])
        assert not _normal(pa.chunked_array([column]))
        assert not _normal(pa.chunked_array([column.cast(pa.large_string())]))
        assert _normal(pa.chunked_array([column.slice(2)]))  # a slice reads only its own values
        assert not _normal(pa.chunked_array([column.slice(1, 1)]))
