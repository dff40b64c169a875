"""The Volume 2 rules (drg/volume2.py) compiled to Polars expressions: the batch path's `logic.decide`.

The same `Chapter` data that `logic.decide` walks for one case is compiled here, once per process, into one
expression per chapter (`when/then` chains of four rules joined by `coalesce`) that gives the index of the first
rule that holds, over a frame with one row per case. Atoms read per-case columns:

- scalar facts — `pdx_pdc`, `pdx_mdc`, `age`, `age_days`, `discharge` (stripped, leading zeros removed), `los`,
  `weight`, `or_group` (the highest OR procedure group), `multiple_trauma`;
- tokens — `proc:<MDC>:<cluster>` and `anyproc:<MDC>` (its procedures' clusters, proc_pdc.csv), `pax:<list>`,
  `site:<site>`, `pdx_ax:<list>`, `sdx_ax:<list>`, `sdx_pdc:<MDC>:<cluster>` (a secondary diagnosis's cluster in
  that MDC): each token a rule reads has a bit in one of the Int64 columns `w0`, `w1`, … (`Rules.bits`), set
  when the case has it.

`ATOMS` gives each atom kind of `logic.TESTS` its expression; a test checks that both know the same kinds. The
step for OR procedures unrelated to the principal diagnosis (Volume 1 p. 122, `logic.unrelated_or`) is an
expression too, except where it moves the case to another MDC (a MOSDX principal diagnosis, a secondary
diagnosis of a procedure's MDC): those cases are marked `MOVE` and decided by `logic.decide` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

import polars as pl

from openuhc.drg.logic import (
    REASSIGN_14_WHY,
    SHORT_STAY_GROUPS,
    All,
    Always,
    Any_,
    Atom,
    Chapter,
    Cond,
    Not,
    group_dc_parts,
)

ENGINE: Any = "in-memory"  # as drg.vector.ENGINE
MOVE = "?"  # the unrelated-OR step moves the case to another MDC: the per-case interpreter decides it

_col = pl.col


def _tokens(a: Atom, mdc: str) -> list[str]:
    """The tokens any of which makes a token atom true."""
    kind, args = a.kind, a.args
    if kind == "proc":
        return [f"proc:{mdc}:{args[0]}"]
    if kind == "any_proc":
        return [f"anyproc:{mdc}"]
    if kind == "pax":
        return [f"pax:{args[0]}"]
    if kind in ("sdx_ax", "pdx_ax"):
        return [f"{kind}:{args[0]}"]
    if kind == "dx_ax":
        return [f"pdx_ax:{args[0]}", f"sdx_ax:{args[0]}"]
    if kind == "dx_pdc":
        return [f"sdx_pdc:{mdc}:{args[0]}"]
    if kind == "site":
        return [f"site:{s}" for s in args]
    return []


Bits = dict[str, tuple[int, int]]  # token → (word, bit): `Rules.bits`


@dataclass(frozen=True)
class Reader:
    """How a compiled rule reads a case: a token is a bit of a `w<n>` column (`bits`), a principal diagnosis's
    cluster a number (`clusters`; 0 for a cluster no rule names): `decide` numbers the `pdx_pdc` column so, and
    the rules compare numbers instead of text."""

    bits: Bits
    clusters: dict[str, int]

    def has(self, token: str) -> pl.Expr:
        word, bit = self.bits[token]
        return (_col(f"w{word}") & bit) != 0


def _has(a: Atom, mdc: str, r: Reader) -> pl.Expr:
    return reduce(lambda x, y: x | y, [r.has(t) for t in _tokens(a, mdc)])


# What `logic.TESTS` answers, per atom kind, as an expression over the case columns (null reads as false).
ATOMS: dict[str, Callable[[Atom, str, Reader], pl.Expr]] = {
    "pdx": lambda a, m, r: _col("pdx_pdc") == r.clusters[a.args[0]],
    "proc": _has, "any_proc": _has, "pax": _has, "sdx_ax": _has, "pdx_ax": _has, "dx_ax": _has, "site": _has,
    "dx_pdc": lambda a, m, r: (_col("pdx_pdc") == r.clusters[a.args[0]]) | _has(a, m, r),
    "age_over": lambda a, m, r: _col("age") > a.args[0],
    "age_days_over": lambda a, m, r: (_col("age") == 0) & (_col("age_days").fill_null(0) > a.args[0]),
    "discharge": lambda a, m, r: _col("discharge").is_in(list(a.args)),
    "los_over": lambda a, m, r: _col("los") > a.args[0],
    "los_under": lambda a, m, r: _col("los") < a.args[0],
    "weight_over": lambda a, m, r: _col("weight").fill_null(0) > a.args[0],
    "or_group_at_least": lambda a, m, r: _col("or_group") >= a.args[0],
    "multiple_trauma": lambda a, m, r: _col("multiple_trauma"),
    "pdx_mdc": lambda a, m, r: _col("pdx_mdc") == a.args[0],
    "newborn": lambda a, m, r: (_col("age") == 0) & _col("age_days").is_not_null() & (_col("age_days") < 28),
}


def atoms(cond: Cond) -> list[Atom]:
    if isinstance(cond, Atom):
        return [cond]
    if isinstance(cond, All | Any_):
        return [a for part in cond.parts for a in atoms(part)]
    if isinstance(cond, Not):
        return atoms(cond.part)
    return []


def tokens_needed(chapters: dict[str, Chapter]) -> list[str]:
    """Every token a rule of these chapters reads."""
    return sorted({t for ch in chapters.values() for cond, _o in ch.rules for a in atoms(cond)
                   for t in _tokens(a, ch.mdc)})


NEVER_NULL = frozenset({"proc", "any_proc", "pax", "sdx_ax", "pdx_ax", "dx_ax", "site", "pdx", "dx_pdc"})  # cond_expr
NO_CLUSTER = 0  # the number of a principal diagnosis's cluster that no rule names, or of none


TOKEN_KINDS = frozenset({"proc", "any_proc", "pax", "sdx_ax", "pdx_ax", "dx_ax", "site"})


def _token_test(tokens: list[str], bits: Bits, *, every: bool) -> pl.Expr:
    """Whether the case has every (or any) of these tokens: one mask test per word instead of one test per
    token — a chapter's query costs about 5 µs per expression node whatever its rows (docs/drg.md)."""
    masks: dict[int, int] = {}
    for token in tokens:
        word, bit = bits[token]
        masks[word] = masks.get(word, 0) | bit
    tests = [((_col(f"w{w}") & m) == m) if every else ((_col(f"w{w}") & m) != 0) for w, m in sorted(masks.items())]
    if len(tests) == 1:
        return tests[0]
    return pl.all_horizontal(tests) if every else pl.any_horizontal(tests)


def cond_expr(cond: Cond, mdc: str, r: Reader) -> pl.Expr:
    """`cond.test(f, mdc)` as a boolean expression (never null). The token atoms of an `All` (one token each) or
    of an `Any` become one mask test per word, and an `Any`'s clusters one `is_in`: the same answers in fewer
    expression nodes."""
    if isinstance(cond, Atom):
        if cond.kind in TOKEN_KINDS:
            return _token_test(_tokens(cond, mdc), r.bits, every=False)
        expr = ATOMS[cond.kind](cond, mdc, r)
        # `decide` fills the token words with 0 and numbers every cluster: one node less per atom
        return expr if cond.kind in NEVER_NULL else expr.fill_null(False)
    if isinstance(cond, All | Any_):
        every = isinstance(cond, All)
        tokens: list[str] = []
        clusters: list[int] = []
        rest: list[pl.Expr] = []
        for part in cond.parts:
            found = _tokens(part, mdc) if isinstance(part, Atom) and part.kind in TOKEN_KINDS else []
            if found and (len(found) == 1 or not every):
                tokens += found  # a token atom is true when the case has any of its tokens
            elif not every and isinstance(part, Atom) and part.kind == "pdx":
                clusters.append(r.clusters[part.args[0]])
            else:
                rest.append(cond_expr(part, mdc, r))
        if tokens:
            rest.append(_token_test(tokens, r.bits, every=every))
        if clusters:
            rest.append(_col("pdx_pdc").is_in(clusters) if len(clusters) > 1 else _col("pdx_pdc") == clusters[0])
        if len(rest) == 1:
            return rest[0]
        return pl.all_horizontal(rest) if every else pl.any_horizontal(rest)
    if isinstance(cond, Not):
        return ~cond_expr(cond.part, mdc, r)
    if isinstance(cond, Always):
        return pl.lit(True)
    raise TypeError(f"no expression for {cond!r}")


# --- OR procedures unrelated to the principal diagnosis (Volume 1 p. 122) ----------------------------------

def unrelated_or(mdcs: list[str]) -> pl.Expr:
    """`logic.unrelated_or(current, facts)` as a string, for rows of any of the chapters `mdcs` (`current` is
    the row's `_chapter`; null for a chapter without the step): null when it decides nothing (the chapter goes
    on), the DC it gives, or `MOVE` when it moves the case to another MDC. Reads the case's OR procedures as
    columns: `or_group` (the top group, 0 without one), `best_main` (the main MDC of the first procedure of that
    group by level and code), `best_mdcs` & `sdx_mdcs` (bit masks of the MDCs of the top group's procedures and
    of the secondary diagnoses), `mos_dc` (the MOS DC of the top group by hierarchy), `pdx_mos`, `los`. One
    expression for every chapter: computed once per step, not once per chapter (a sixth of the chapters'
    expression nodes)."""
    parts = {mdc: group_dc_parts(mdc) for mdc in mdcs}
    width = max((last for _first, _base, last in parts.values()), default=0) + 1
    # each chapter's DC per procedure group up to its `last`, in one list gathered at (chapter, group): building
    # the text per row cost more than the chapter's rules
    texts = [f"{first}{g + base:02d}" if g <= last else None for first, base, last in parts.values()
             for g in range(width)]
    current = _col("_chapter")
    at = current.replace_strict({m: n * width for n, m in enumerate(parts)}, default=None, return_dtype=pl.Int64)
    last = current.replace_strict({m: p[2] for m, p in parts.items()}, default=0, return_dtype=pl.Int64)
    top, los = _col("or_group"), _col("los")
    by_group = pl.lit(pl.Series(texts, dtype=pl.String)).gather(at + pl.min_horizontal(top, last).clip(0))
    short = reduce(lambda x, y: x | y, [(top == g) & ~(los < days).fill_null(False)
                                        for g, days in SHORT_STAY_GROUPS.items()])
    main = _col("best_main").fill_null("")
    return (pl.when(at.is_null() | (top <= 0)).then(None)
            .when(_col("pdx_mos") & (main != "")).then(pl.when(main == current).then(None).otherwise(pl.lit(MOVE)))
            .when((_col("best_mdcs") & _col("sdx_mdcs")) != 0).then(pl.lit(MOVE))
            .when(_col("mos_dc").is_not_null()).then(_col("mos_dc"))
            .when(short).then(None)
            .otherwise(by_group))


# --- chapters ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Compiled:
    """A chapter's rules as one expression (`choice`: the index of the first rule that holds, -1 for none),
    and what each index decides (`outcomes`: kind, value, words). The chain reads the unrelated-OR step's value
    as the column `_unrelated` (`Rules.unrelated`)."""

    mdc: str
    choice: pl.Expr
    outcomes: pl.DataFrame
    picks: tuple[pl.Expr, ...]  # each row's `kind`, `value`, `why`, gathered from `outcomes` by its rule


def _pdx_only(cond: Cond) -> list[str]:
    """The clusters of a rule that reads nothing but the principal diagnosis's cluster (else none)."""
    if isinstance(cond, Atom) and cond.kind == "pdx":
        return [cond.args[0]]
    if isinstance(cond, Any_) and cond.parts and all(isinstance(p, Atom) and p.kind == "pdx" for p in cond.parts):
        return [p.args[0] for p in cond.parts]  # type: ignore[union-attr]
    return []


def _one_token(cond: Cond, mdc: str) -> tuple[str, str] | None:
    """(token, required token or "") of a rule that holds when the case has one token — and, for a surgical
    rule, a procedure of the MDC (`All(any_proc, proc)`, Volume 2's commonest rule)."""
    if isinstance(cond, Atom) and cond.kind in TOKEN_KINDS:
        tokens = _tokens(cond, mdc)
        return (tokens[0], "") if len(tokens) == 1 else None
    if isinstance(cond, All) and len(cond.parts) == 2 and all(isinstance(p, Atom) for p in cond.parts):
        by_kind = {p.kind: p for p in cond.parts}  # type: ignore[union-attr]
        if set(by_kind) == {"any_proc", "proc"}:
            return _tokens(by_kind["proc"], mdc)[0], _tokens(by_kind["any_proc"], mdc)[0]
    return None


def compile_chapter(chapter: Chapter, r: Reader) -> Compiled:
    """The chapter's `choice`: the least index of a rule that holds, as the least of three parts. Rules that read
    only the principal diagnosis's cluster: one look-up of the cluster's first such rule. Rules that hold on one
    token (with "a procedure of the MDC"), per word, when their tokens' bits rise with the rules' order (`layout`
    lays an MDC's procedure clusters out so): the lowest bit the case has among them (`trailing zeros`) names the
    first that holds. Every other rule: `when/then` chains, in order. Each part gives the first rule of its own
    that holds; the least of them is the first of all, as the manual reads the chapter top to bottom."""
    by_cluster: dict[int, int] = {}
    by_token: dict[tuple[int, int], dict[int, int]] = {}  # (word, required bit) → {token bit: first rule}
    members: dict[tuple[int, int], list[int]] = {}  # the rules of each such group, in order
    chained: list[int] = []
    rows = []
    for i, (cond, outcome) in enumerate(chapter.rules):
        why = f"{cond.text()} (MDC {chapter.mdc}, {chapter.reference()})"
        if outcome.kind == "reassign_14":
            why = REASSIGN_14_WHY
        rows.append((i, outcome.kind, outcome.value, why))
        single = _one_token(cond, chapter.mdc) if outcome.kind != "unrelated_or" else None
        clusters = _pdx_only(cond) if outcome.kind != "unrelated_or" else []
        if clusters:
            for name in clusters:
                by_cluster.setdefault(r.clusters[name], i)
        elif single is not None and (not single[1] or r.bits[single[1]][0] == r.bits[single[0]][0]):
            word, bit = r.bits[single[0]]
            group = (word, r.bits[single[1]][1] if single[1] else 0)
            by_token.setdefault(group, {}).setdefault(bit, i)  # a later rule of the same token never comes first
            members.setdefault(group, []).append(i)
        else:
            chained.append(i)
    parts: list[pl.Expr] = []
    for (word, required), first in sorted(by_token.items()):
        order = [first[bit] for bit in sorted(first)]
        if order != sorted(order):  # bits not in the rules' order: these rules stay in the chains
            chained += members[word, required]
            continue
        at = [None] * 65  # a word's trailing zeros: 0–63, 64 when it has none of the tokens
        for bit, i in first.items():
            at[bit.bit_length() - 1] = i
        lowest = pl.lit(pl.Series(at, dtype=pl.Int32)).gather((_col(f"w{word}") & sum(first)).bitwise_trailing_zeros())
        parts.append(lowest if not required else pl.when((_col(f"w{word}") & required) != 0).then(lowest))
    if by_cluster:
        at = [None] * (max(r.clusters.values(), default=0) + 1)
        for code, i in by_cluster.items():
            at[code] = i
        parts.append(pl.lit(pl.Series(at, dtype=pl.Int32)).gather(_col("pdx_pdc")))
    blocks: list[pl.Expr] = []
    chain: Any = pl
    for n, i in enumerate(sorted(chained)):
        cond, outcome = chapter.rules[i]
        held = cond_expr(cond, chapter.mdc, r)
        if outcome.kind == "unrelated_or":
            held = held & _col("_unrelated").is_not_null()  # computed once per row, before the chain
        chain = chain.when(held).then(pl.lit(i, pl.Int32))
        if (n + 1) % BLOCK == 0:
            blocks.append(chain.otherwise(None))
            chain = pl
    if chain is not pl:
        blocks.append(chain.otherwise(None))
    if blocks:
        # the first block with a rule that holds gives the first such rule: the manual's order, in short chains
        parts.insert(0, pl.coalesce(blocks) if len(blocks) > 1 else blocks[0])
    rows.append((-1, "drg", "26509", f"no rule of MDC {chapter.mdc} applies ({chapter.reference()})"))
    outcomes = pl.DataFrame(rows, schema={"rule": pl.Int32, "kind": pl.String, "value": pl.String,
                                          "why": pl.String}, orient="row")
    choice = (pl.min_horizontal(parts) if len(parts) > 1 else parts[0]).fill_null(-1) if parts else pl.lit(-1)
    # the outcome of rule i is row i of `outcomes`, that of no rule (-1) its last row: gathered, not joined
    at = pl.col("rule").replace(-1, outcomes.height - 1)
    picks = tuple(pl.lit(outcomes.get_column(n)).gather(at).alias(n) for n in ("kind", "value", "why"))
    return Compiled(chapter.mdc, choice.cast(pl.Int32), outcomes, picks)


# Rules per `when/then` chain. Polars plans a chain of n rules in time that grows faster than n (a 60-rule chapter
# cost about 5 ms on 10 rows as one chain, 3 ms as chains of 4 joined by `coalesce`, and no more per row).
BLOCK = 4


BITS = 62  # token bits per Int64 column (the sign bit unused)


@dataclass(frozen=True)
class Rules:
    """The chapters compiled, each token's bit (`bits`: token → (column number, bit value)) and each cluster's
    number (`clusters`, from 1: `Reader`)."""

    chapters: dict[str, Compiled]
    bits: dict[str, tuple[int, int]]
    clusters: dict[str, int]
    unrelated: pl.Expr  # `unrelated_or` of the chapters with the step: a row's `_unrelated`
    unrelated_mdcs: frozenset[str]

    @property
    def words(self) -> list[str]:
        return [f"w{n}" for n in range(max((w for w, _b in self.bits.values()), default=-1) + 1)]

    def token_frame(self) -> pl.DataFrame:
        """(token, word, bit): what a batch joins its cases' tokens with to build the `w<n>` columns."""
        return pl.DataFrame([(t, w, b) for t, (w, b) in self.bits.items()], orient="row",
                            schema={"token": pl.String, "word": pl.Int64, "bit": pl.Int64})


def _token_group(token: str) -> str:
    """The tokens a rule tends to read together: an MDC's procedure clusters with its "any procedure" token
    (a chapter's surgical rules are "a procedure of the MDC and one of this cluster"), else a token's kind."""
    kind, _sep, rest = token.partition(":")
    return f"proc:{rest.partition(':')[0]}" if kind in ("proc", "anyproc") else kind


def layout(tokens: list[str], rank: dict[str, int] | None = None) -> Bits:
    """Each token's (word, bit): the groups of `_token_group`, largest first, each in the first word it fits in
    whole (a group larger than a word fills words of its own), so that an `All` of one MDC's tokens is one mask
    test (`_token_test`). Within a group, tokens by `rank` (then by name): `compile_rules` ranks them by the first
    rule that holds on them alone, so that their bits rise with the rules' order (`compile_chapter`). A pure
    function of its arguments: every process lays them out alike."""
    groups: dict[str, list[str]] = {}
    rank = rank or {}
    for token in sorted(tokens, key=lambda t: (rank.get(t, len(rank)), t)):
        groups.setdefault(_token_group(token), []).append(token)
    used: list[int] = []  # bits taken per word
    bits: Bits = {}
    for name in sorted(groups, key=lambda n: (-len(groups[n]), n)):
        members = groups[name]
        word = next((w for w, n in enumerate(used) if n + len(members) <= BITS), len(used))
        for token in members:
            if word == len(used):
                used.append(0)
            if used[word] == BITS:  # only a group larger than a word: on into a new one
                word = len(used)
                used.append(0)
            bits[token] = (word, 1 << used[word])
            used[word] += 1
    return bits


def compile_rules(chapters: dict[str, Chapter]) -> Rules:
    rank: dict[str, int] = {}
    for mdc, chapter in sorted(chapters.items()):
        for cond, _outcome in chapter.rules:
            single = _one_token(cond, mdc)
            if single is not None:
                rank.setdefault(single[0], len(rank))
    bits = layout(tokens_needed(chapters), rank)
    names = sorted({a.args[0] for ch in chapters.values() for cond, _o in ch.rules for a in atoms(cond)
                    if a.kind in ("pdx", "dx_pdc")})
    reader = Reader(bits, {name: n for n, name in enumerate(names, start=1)})
    stepping = sorted(m for m, ch in chapters.items() if any(o.kind == "unrelated_or" for _c, o in ch.rules))
    return Rules({m: compile_chapter(ch, reader) for m, ch in chapters.items()}, bits, reader.clusters,
                 unrelated_or(stepping), frozenset(stepping))


STEPS = 4  # chapters walked per case in the batch (pre-MDC, an MDC, two moves); a case going further: `MOVE`


def decide(cases: pl.DataFrame, rules: Rules, swaps: pl.DataFrame) -> pl.DataFrame:
    """`logic.decide` for every row of `cases` (the columns above, `_idx` a key): `_idx`, `d_mdc`, `d_dc`,
    `d_drg` (a DRG a rule gives), `d_why` (the words of the rule that gave it), `d_approx` (the decision's
    approximations) and `move` (true: the per-case interpreter must decide the case; the rest is then null).

    Chapters are walked as `logic.decide` walks them: the pre-MDC chapter, the MDC it leads to, and the MDC an
    unrelated OR procedure moves the case to — the procedure's main MDC for a MOSDX principal diagnosis, or
    the one MDC it shares with the secondary diagnoses, whose highest code becomes the principal diagnosis
    (`swaps`: per case and MDC bit `mdc_bit`, that diagnosis's MDC `new_mdc`, cluster `new_pdc` and AX-list
    bits `a0`, `a1`, … laid out as the `w` columns). Where the procedures share several MDCs with the
    secondary diagnoses, or after `STEPS` chapters, the case is left to the interpreter (`move`)."""
    compiled = rules.chapters
    words = rules.words
    pdx_bits = [0] * len(words)  # the bits of the principal diagnosis's AX lists, cleared on a swap
    for token, (word, bit) in rules.bits.items():
        if token.startswith("pdx_ax:"):
            pdx_bits[word] |= bit
    columns = [*cases.columns, "_chapter"]

    def number(cluster: pl.Expr) -> pl.Expr:  # what the rules compare (`Reader`)
        return cluster.replace_strict(rules.clusters, default=NO_CLUSTER, return_dtype=pl.UInt32)

    pending = cases.with_columns(pl.lit("00").alias("_chapter"), number(pl.col("pdx_pdc")).alias("pdx_pdc"),
                                 *(pl.col(w).fill_null(0) for w in words))
    results = []
    kind, unrelated = pl.col("kind"), pl.col("_unrelated")
    main = pl.col("best_main").fill_null("")
    both = pl.col("best_mdcs") & pl.col("sdx_mdcs")
    moving = (kind == "unrelated_or") & (unrelated == MOVE)
    by_mos = moving & pl.col("pdx_mos") & (main != "")
    by_secondary = moving & ~by_mos & ((both & (both - 1)) == 0)
    onward = kind.is_in(["mdc", "pdx_mdc"])
    fate = [onward.alias("_on"), by_mos.alias("_mos"), by_secondary.alias("_swap"), both.alias("mdc_bit")]
    for step in range(STEPS):
        if pending.height == 0:
            break
        following = pl.when(kind == "mdc").then(pl.col("value")).when(kind == "pdx_mdc").then(pl.col("pdx_mdc"))
        if step == 0:
            # the pre-MDC chapter, every case: nearly all of them go on, so the step keeps every column instead of
            # joining them back by `_idx` (that join of the whole chunk was about a sixth of the walk)
            chapters = {"00"}
            rows = pending.lazy().with_columns((rules.unrelated if "00" in rules.unrelated_mdcs
                                                else pl.lit(None, pl.String)).alias("_unrelated"))
            done = _apply_wide(rows, compiled.get("00"), "00").collect(engine=ENGINE).lazy()
            # not filtered: a case that stops here has no next chapter, and the next step's partition leaves it
            # out (filtering every column of the chunk's cases cost more than the rest of the step)
            going = done.select(*columns[:-1], pl.when(onward | by_mos).then(following.otherwise(main)).alias(
                "_chapter"))
            fates = done.filter(moving).select("_idx", *fate)
        else:
            rows = pending.with_columns(_unrelated(pending, rules))
            by_chapter = {current: part for (current,), part in rows.partition_by("_chapter", as_dict=True).items()
                          if current is not None}
            chapters = set(by_chapter)
            parts = [_apply(part.lazy(), compiled.get(current), current) for current, part in by_chapter.items()]
            if not parts:  # every case stopped at the pre-MDC chapter
                pending = pending.clear()
                break
            # the in-memory engine: the chapters' chains cost about a quarter less there than in the default one;
            # unoptimised: these selects have nothing to optimise, and optimising a chapter's chains cost more
            done = pl.concat(pl.collect_all(parts, engine=ENGINE, optimizations=pl.QueryOptFlags.none()),
                             how="vertical_relaxed").lazy()
            # the few cases that go on to another chapter or move, and how, read once (filtering the step's cases
            # once per fate cost more than the fates)
            fates = done.filter(onward | moving).select("_idx", *fate, following.otherwise(main).alias(
                "_next")).collect(engine=ENGINE).lazy()
            # the cases that go on, with all their columns (one lazy query: eager joins and filters of these frames
            # cost several times more)
            going = pending.lazy().join(fates.filter(pl.col("_on") | pl.col("_mos")).select("_idx", "_next"),
                                        on="_idx").with_columns(pl.col("_next").alias("_chapter")).select(columns)
        if not chapters & rules.unrelated_mdcs:  # no case moves (the pre-MDC chapter): no swaps to look for
            results.append(_result(done.filter(~onward)))
            pending = going.collect(engine=ENGINE)
            continue
        results.append(_result(done.filter(~moving & ~onward)))
        results.append(_left(fates.filter(~pl.col("_on") & ~pl.col("_mos") & ~pl.col("_swap"))))
        swapped = fates.filter(pl.col("_swap")).select("_idx", "mdc_bit").join(
            swaps.lazy(), on=["_idx", "mdc_bit"], how="left")
        results.append(_left(swapped.filter(pl.col("new_mdc").is_null())))
        swapped = pending.lazy().join(swapped.filter(pl.col("new_mdc").is_not_null()), on="_idx").with_columns(
            pl.col("new_mdc").alias("pdx_mdc"), number(pl.col("new_pdc")).alias("pdx_pdc"),
            pl.col("new_mdc").alias("_chapter"),
            *((pl.col(w) & ~pdx_bits[n] | pl.col(f"a{n}").fill_null(0)).alias(w) for n, w in enumerate(words))
        ).select(columns)
        pending = pl.concat([going, swapped], how="vertical_relaxed").collect(engine=ENGINE)
    results.append(_left(pending.lazy()))
    return pl.concat(pl.collect_all(results, engine="streaming"), how="vertical_relaxed")


READ = ["_idx", "_chapter", "pdx_mdc", "pdx_mos", "best_main", "best_mdcs", "sdx_mdcs"]  # what a step reads next


def _unrelated(rows: pl.DataFrame, rules: Rules) -> pl.Series:
    """`Rules.unrelated` of every row: computed for the rows with an OR procedure only, the others null (the
    step decides nothing without one), which cost about half as much on a chunk's cases."""
    with_or = rows.get_column("or_group") > 0
    found = rows.lazy().filter(with_or).select(rules.unrelated.alias("_unrelated")).collect(
        engine=ENGINE).get_column("_unrelated")
    return pl.Series("_unrelated", [None], pl.String).extend_constant(None, rows.height - 1).scatter(
        with_or.arg_true(), found) if rows.height else found


def _apply(rows: pl.LazyFrame, chapter: Compiled | None, current: str) -> pl.LazyFrame:
    """The rule of the chapter that decides each row: `rule`, `kind`, `value`, `why` and the unrelated-OR step's
    value `_unrelated`. A chapter the logic does not have (MDC 30's diagnoses) is ungroupable, in
    `logic.decide`'s words."""
    if chapter is None:
        return rows.select(*READ, pl.lit(-2, pl.Int32).alias("rule"), pl.lit(None, pl.String).alias("_unrelated"),
                           pl.lit("drg").alias("kind"), pl.lit("26509").alias("value"),
                           pl.lit(f"no logic for MDC {current}: ungroupable").alias("why"))
    return rows.select(*READ, chapter.choice.alias("rule"), "_unrelated").with_columns(*chapter.picks)


def _apply_wide(rows: pl.LazyFrame, chapter: Compiled | None, current: str) -> pl.LazyFrame:
    """`_apply`, keeping every column of the rows."""
    if chapter is None:
        return rows.with_columns(pl.lit(-2, pl.Int32).alias("rule"), pl.lit(None, pl.String).alias("_unrelated"),
                                 pl.lit("drg").alias("kind"), pl.lit("26509").alias("value"),
                                 pl.lit(f"no logic for MDC {current}: ungroupable").alias("why"))
    return rows.with_columns(chapter.choice.alias("rule")).with_columns(*chapter.picks)


# The columns of a decision, built once (building them for every step of every chunk cost about 1 ms a chunk).
LEFT = ["_idx", *(pl.lit(None, pl.String).alias(n) for n in ("d_mdc", "d_dc", "d_drg")), pl.lit("").alias("d_why"),
        pl.lit("").alias("d_approx"), pl.lit(True).alias("move")]


def _decided() -> list[Any]:
    kind, value = pl.col("kind"), pl.col("value")
    dc = (pl.when(kind == "dc").then(value).when(kind == "unrelated_or").then(pl.col("_unrelated"))
          .when(kind == "reassign_14").then(pl.lit("1452")))
    is_drg = kind == "drg"
    error = is_drg & value.str.starts_with("265")
    return [
        "_idx",
        pl.when(error).then(pl.lit("26")).when(is_drg | (kind == "reassign_14")).then(pl.col("_chapter"))
        .otherwise(dc.str.slice(0, 2)).alias("d_mdc"),
        pl.when(is_drg).then(value.str.slice(0, 4)).otherwise(dc).alias("d_dc"),
        pl.when(is_drg).then(value).alias("d_drg"),
        pl.when(error).then(pl.col("why")).otherwise(pl.lit("")).alias("d_why"),
        pl.when(kind == "reassign_14").then(pl.lit(REASSIGN_14_WHY)).otherwise(pl.lit("")).alias("d_approx"),
        pl.lit(False).alias("move")]


DECIDED = _decided()


def _left(rows: pl.LazyFrame) -> pl.LazyFrame:
    """Cases left to the interpreter."""
    return rows.select(LEFT)


def _result(rows: pl.LazyFrame) -> pl.LazyFrame:
    return rows.select(DECIDED)
