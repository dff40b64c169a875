"""The per-MDC rules (drg/volume2.py) against the manual's own condition text of every DC (pdc_dc.csv, beside
the installed tables; the test skips, saying why, without it)."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openuhc.drg.logic import All, Any_, Atom, Not
from openuhc.drg.manual import exclude, order, pcl
from openuhc.drg.volume2 import CHAPTERS


def atoms(cond):
    if isinstance(cond, Atom):
        return [cond]
    if isinstance(cond, All | Any_):
        return [a for part in cond.parts for a in atoms(part)]
    return atoms(cond.part) if isinstance(cond, Not) else []


def outcomes():
    return {(o.value if o.kind == "dc" else o.value[:4]) for ch in CHAPTERS.values() for _c, o in ch.rules
            if o.kind in ("dc", "drg")}


@pytest.fixture
def volume2_text(tdrg_dir):
    path = tdrg_dir / "manual" / "pdc_dc.csv"
    if not path.exists():
        pytest.skip(f"the manual's DC conditions (pdc_dc.csv) are not at {path}")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_dc_the_manual_describes_is_an_outcome_of_some_rule(volume2_text):
    # DC 2611 is a MOS procedure's DC (c63proc MOSDC), reached by the unrelated-OR-procedure step
    missing = {r["dc"] for r in volume2_text} - outcomes() - {"2611"}
    assert not missing


def test_a_rule_for_a_dc_the_manual_ties_to_a_diagnosis_cluster_names_that_cluster(volume2_text):
    wanted: dict[str, set[str]] = {}
    for r in volume2_text:
        if re.match(r"PDx as \(?PDC", r["book2_condition"]) and not re.match(r"^\d+P", r["pdc"]):
            wanted.setdefault(r["dc"], set()).add(r["pdc"])
    for chapter in CHAPTERS.values():
        for cond, outcome in chapter.rules:
            if outcome.kind != "dc" or outcome.value not in wanted:
                continue
            named = {a.args[0] for a in atoms(cond) if a.kind == "pdx"}
            alternative = any(a.kind == "pdx_ax" for a in atoms(cond))  # DC 0510: "PDx as AX 5BX" instead
            assert named & wanted[outcome.value] or alternative, (outcome.value, cond.text())


def test_the_rules_read_as_the_manual_writes_them():
    rule = next(c for c, o in CHAPTERS["04"].rules if o.value == "0471")
    assert rule.text() == "PDx as PDC 4E and DischT 4"
    assert CHAPTERS["04"].page == 70


@pytest.mark.parametrize(("levels", "expected"), [
    ([3, 2, 2, 1, 1, 1, 1], 8),  # Volume 1 p. 171
    ([2, 1, 1, 1, 1, 1, 1], 5), ([2, 2], 4), ([2, 1, 1], 3), ([3, 3, 3, 2, 2, 1, 1], 9), ([], 0), ([1], 1),
])
def test_pcl_by_the_formula(levels, expected):
    assert pcl(levels) == expected


levels = st.lists(st.integers(min_value=0, max_value=5), max_size=15)


@given(levels)
def test_pcl_is_never_above_9(values):
    assert 0 <= pcl(sorted(values, reverse=True)) <= 9


@given(levels, st.integers(min_value=0, max_value=5))
def test_adding_a_diagnosis_that_excludes_nothing_never_lowers_the_pcl(values, added):
    assert pcl(sorted([*values, added], reverse=True)) >= pcl(sorted(values, reverse=True))


@given(st.lists(st.tuples(st.sampled_from("ABCDEFGH"), st.integers(1, 5)), max_size=8, unique_by=lambda t: t[0]),
       st.sets(st.tuples(st.sampled_from("ABCDEFGH"), st.sampled_from("ABCDEFGH"))))
def test_an_excluded_code_is_dropped_only_by_a_kept_code_above_it(entries, pairs):
    ordered = order(entries)
    kept, dropped = exclude(ordered, lambda code, by: (code, by) in pairs)
    position = {code: i for i, (code, _level) in enumerate(ordered)}
    kept_codes = {code for code, _level in kept}
    for code, by in dropped:
        assert by in kept_codes and position[by] < position[code] and (code, by) in pairs
    for code, _level in kept:
        assert not any((code, k) in pairs for k in kept_codes if position[k] < position[code])
