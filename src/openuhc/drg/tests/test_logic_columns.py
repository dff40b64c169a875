"""The Volume 2 rules compiled to Polars expressions (drg.logic_columns) decide as the interpreter
(`logic.decide`) does, on facts drawn from the tokens and clusters the rules themselves name — no tables
needed. The batch path on real cases is compared with the per-case path in test_vector.py."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from openuhc.drg import logic_columns
from openuhc.drg.logic import ALWAYS, ANY_PROC, PDX_MDC, TESTS, All, Chapter, Facts, dc, decide, proc
from openuhc.drg.volume2 import CHAPTERS

RULES = logic_columns.compile_rules(CHAPTERS)
TOKENS = sorted(RULES.bits)
CLUSTERS = sorted({a.args[0] for ch in CHAPTERS.values() for cond, _o in ch.rules
                   for a in logic_columns.atoms(cond) if a.kind == "pdx"})
NONE: frozenset[str] = frozenset()


def test_every_atom_the_interpreter_knows_has_an_expression():
    assert set(logic_columns.ATOMS) == set(TESTS)


def _by_kind(tokens: set[str], kind: str) -> list[list[str]]:
    return [t.split(":")[1:] for t in tokens if t.startswith(kind + ":")]


def _facts(draw_tokens: set[str], pdx_pdc: str, pdx_mdc: str, age: int | None, days: int | None, discharge: str,
           los: int | None, weight: int | None, trauma: bool) -> Facts:
    proc_pdcs: dict[str, set[str]] = {}
    for mdc, pdc in _by_kind(draw_tokens, "proc"):
        proc_pdcs.setdefault(mdc, set()).add(pdc)
    sdx_pdcs: dict[str, set[str]] = {}
    for mdc, pdc in _by_kind(draw_tokens, "sdx_pdc"):
        sdx_pdcs.setdefault(mdc, set()).add(pdc)
    return Facts(
        pdx="X", pdx_mdc=pdx_mdc, pdx_pdc=pdx_pdc, pdx_axs=frozenset(n for (n,) in _by_kind(draw_tokens, "pdx_ax")),
        pdx_mos=False, sdx=(), sdx_axs=frozenset(n for (n,) in _by_kind(draw_tokens, "sdx_ax")),
        sdx_pdcs={m: frozenset(v) for m, v in sdx_pdcs.items()}, sdx_mdcs={},
        proc_pdcs={m: frozenset(v) for m, v in proc_pdcs.items()},
        paxs=frozenset(n for (n,) in _by_kind(draw_tokens, "pax")),
        proc_sites=frozenset(n for (n,) in _by_kind(draw_tokens, "site")), or_procs=(), multiple_trauma=trauma,
        age=age, age_days=days, discharge=discharge, los=los, weight=weight)


def _row(i: int, f: Facts) -> dict:
    tokens = {f"proc:{m}:{p}" for m, ps in f.proc_pdcs.items() for p in ps} | {f"anyproc:{m}" for m in f.proc_pdcs}
    tokens |= {f"sdx_pdc:{m}:{p}" for m, ps in f.sdx_pdcs.items() for p in ps}
    tokens |= {f"pdx_ax:{n}" for n in f.pdx_axs} | {f"sdx_ax:{n}" for n in f.sdx_axs}
    tokens |= {f"pax:{n}" for n in f.paxs} | {f"site:{s}" for s in f.proc_sites}
    words = [0] * len(RULES.words)
    for t in tokens & set(RULES.bits):
        word, bit = RULES.bits[t]
        words[word] |= bit
    return {"_idx": i, "pdx_pdc": f.pdx_pdc, "pdx_mdc": f.pdx_mdc, "pdx_mos": False, "age": f.age,
            "age_days": f.age_days, "discharge": f.discharge, "los": f.los, "weight": f.weight, "or_group": 0,
            "best_main": None, "best_mdcs": 0, "sdx_mdcs": 0, "mos_dc": None, "multiple_trauma": f.multiple_trauma,
            **dict(zip(RULES.words, words, strict=True))}


case = st.builds(
    _facts, st.sets(st.sampled_from(TOKENS), max_size=6), st.sampled_from(CLUSTERS),
    st.sampled_from([*CHAPTERS, "30"]), st.none() | st.integers(0, 99), st.none() | st.integers(0, 365),
    st.sampled_from(["", "1", "2", "4", "8", "9"]), st.none() | st.integers(-1, 40),
    st.none() | st.integers(0, 4000), st.booleans())


@settings(max_examples=15, deadline=None)
@given(st.lists(case, min_size=1, max_size=150))
def test_the_compiled_rules_decide_as_the_interpreter(cases):
    frame = pl.DataFrame([_row(i, f) for i, f in enumerate(cases)], schema_overrides={
        "age": pl.Int64, "age_days": pl.Int64, "los": pl.Int64, "weight": pl.Int64, "best_main": pl.String,
        "mos_dc": pl.String, "or_group": pl.Int64, "best_mdcs": pl.Int64, "sdx_mdcs": pl.Int64,
        **dict.fromkeys(RULES.words, pl.Int64)})
    swaps = pl.DataFrame(schema={"_idx": pl.Int64, "mdc_bit": pl.Int64, "new_mdc": pl.String, "new_pdc": pl.String,
                                 **{f"a{n}": pl.Int64 for n in range(len(RULES.words))}})
    got = {r["_idx"]: r for r in logic_columns.decide(frame, RULES, swaps).iter_rows(named=True)}
    for i, f in enumerate(cases):
        d = decide(f, CHAPTERS)
        row = got[i]
        if row["move"]:  # a walk longer than the batch's (a principal diagnosis of "MDC 00" loops): the interpreter
            assert f.pdx_mdc == "00"
            continue
        why = d.steps[-1][2] if d.drg.startswith("265") else ""
        assert (row["d_mdc"], row["d_dc"], row["d_drg"], row["d_why"], row["d_approx"]) == (
            d.mdc, d.dc or d.drg[:4], d.drg or None, why, "; ".join(d.approximate)), f


def test_the_token_layout_keeps_an_mdcs_procedure_tokens_in_one_word():
    bits = RULES.bits
    assert len(set(bits.values())) == len(bits)  # one bit per token
    words: dict[str, set[int]] = {}
    for token, (word, _bit) in bits.items():
        kind, _sep, rest = token.partition(":")
        if kind in ("proc", "anyproc"):
            words.setdefault(rest.partition(":")[0], set()).add(word)
    assert words and all(len(w) == 1 for w in words.values())


def test_a_group_larger_than_a_word_fills_words_of_its_own():
    bits = logic_columns.layout([f"pax:{n:03d}" for n in range(130)] + ["proc:01:1PA", "anyproc:01"])
    assert len(set(bits.values())) == 132
    assert bits["proc:01:1PA"][0] == bits["anyproc:01"][0]
    assert max(w for w, _b in bits.values()) == 2


def _decided(frame_rows: list[dict], rules: logic_columns.Rules) -> list[dict]:
    frame = pl.DataFrame(frame_rows, schema_overrides={
        "pdx_pdc": pl.String, "age": pl.Int64, "age_days": pl.Int64, "los": pl.Int64, "weight": pl.Int64,
        "best_main": pl.String, "mos_dc": pl.String, "or_group": pl.Int64, "best_mdcs": pl.Int64, "sdx_mdcs": pl.Int64,
        **dict.fromkeys(rules.words, pl.Int64)})
    swaps = pl.DataFrame(schema={"_idx": pl.Int64, "mdc_bit": pl.Int64, "new_mdc": pl.String, "new_pdc": pl.String,
                                 **{f"a{n}": pl.Int64 for n in range(len(rules.words))}})
    return logic_columns.decide(frame, rules, swaps).sort("_idx").to_dicts()


def test_an_mdcs_procedure_clusters_are_laid_out_in_the_order_of_its_rules():
    # MDC 08's first surgical rules name 8QE, then later clusters: their bits rise in that order, so that the
    # lowest bit a case has among them names its first rule that holds (`compile_chapter`)
    firsts = [logic_columns._one_token(cond, "08") for cond, _o in CHAPTERS["08"].rules]
    tokens = list(dict.fromkeys(t[0] for t in firsts if t is not None and t[0].startswith("proc:08:")))
    bits = [RULES.bits[t] for t in tokens]
    assert len({word for word, _bit in bits}) == 1
    assert [bit for _word, bit in bits] == sorted(bit for _word, bit in bits)


def test_one_token_rules_out_of_bit_order_stay_in_the_chains():
    # two surgical rules whose clusters' bits fall against the rules' order: both hold, the first still decides
    chapter = Chapter("08", None, [(All((ANY_PROC, proc("B"))), dc("0801")), (All((ANY_PROC, proc("A"))), dc("0802")),
                                   (ALWAYS, dc("0899"))])
    rank = {"proc:08:A": 0, "proc:08:B": 1}
    bits = logic_columns.layout(["anyproc:08", "proc:08:A", "proc:08:B"], rank)
    assert bits["proc:08:A"][1] < bits["proc:08:B"][1]
    compiled = logic_columns.compile_chapter(chapter, logic_columns.Reader(bits, {}))
    rules = logic_columns.Rules({"00": logic_columns.compile_chapter(Chapter("00", None, [(ALWAYS, PDX_MDC)]),
                                                                     logic_columns.Reader(bits, {})),
                                 "08": compiled}, bits, {}, logic_columns.unrelated_or([]), frozenset())
    word = bits["anyproc:08"][0]
    both = bits["anyproc:08"][1] | bits["proc:08:A"][1] | bits["proc:08:B"][1]
    only_a = bits["anyproc:08"][1] | bits["proc:08:A"][1]
    rows = [{"_idx": i, "pdx_pdc": None, "pdx_mdc": "08", "pdx_mos": False, "age": 40, "age_days": None,
             "discharge": "1", "los": 3, "weight": None, "or_group": 0, "best_main": None, "best_mdcs": 0,
             "sdx_mdcs": 0, "mos_dc": None, "multiple_trauma": False, **dict.fromkeys(rules.words, 0),
             f"w{word}": value} for i, value in enumerate([both, only_a, 0])]
    assert [r["d_dc"] for r in _decided(rows, rules)] == ["0801", "0802", "0899"]


def test_cases_the_pre_mdc_chapter_decides_take_no_further_step():
    rule, outcome = next((c, o) for c, o in CHAPTERS["00"].rules if o.kind == "drg")
    tokens = {t for a in logic_columns.atoms(rule) for t in logic_columns._tokens(a, "00")}
    words = dict.fromkeys(RULES.words, 0)
    for t in tokens:
        word, bit = RULES.bits[t]
        words[f"w{word}"] |= bit
    row = {"_idx": 0, "pdx_pdc": None, "pdx_mdc": "08", "pdx_mos": False, "age": 40, "age_days": None,
           "discharge": "1", "los": 3, "weight": None, "or_group": 0, "best_main": None, "best_mdcs": 0,
           "sdx_mdcs": 0, "mos_dc": None, "multiple_trauma": False, **words}
    assert [(r["d_drg"], r["move"]) for r in _decided([row], RULES)] == [(outcome.value, False)]
