"""Columnar Thai DRG grouping: the same rules as `drg.grouper`, over a whole batch at once (Polars).

`grouper.group` is the explaining path: one case, a trace of every decision, used for a claim's "why this
DRG", the one-case API and the `/drg/` page. This module is the batch path used by the engine function
`drg.group` (and so by `openuhc drg group`): it gives exactly the same drg, rw, adjrw, los, exact, reason,
mdc, dc, source, own_drg, disagreement and error for every row — same edits, same approximations, same
words — without a trace. `drg/tests/test_vector.py` groups thousands of cases drawn from the real tables
both ways and compares every column.

How the rules become columns:
- the principal diagnosis is joined to a look-up of the diagnosis rows by (code, sex) — the row that
  `LoadedTables.diagnosis(code, sex)` picks — and the edits become one `when/then` chain;
- secondary diagnoses and procedures are split into long frames (one row per case and code), joined to the
  tables, filtered by the same edits, then counted or ranked per case; the CC exclusion test is a search in
  the sorted pair keys of `tables.CcExclusions`;
- the per-MDC and per-cluster choices of the grouper (`_first_dc`, `_medical_dc`, `_pre_mdc_dc`) are
  computed once per table set by calling the grouper's own functions on every value the tables hold, and
  stored beside the tables (`columnar-<digest of this code>/`, Arrow IPC) so that later processes read them;
- with the manual's files, the Volume 2 rules are compiled to expressions (`drg.logic_columns`) over per-case
  columns (`_facts`: the principal diagnosis's cluster and MDC, bits for the procedure clusters and AX lists,
  the OR procedures' group, MDCs and MOS DC) and decide every case at once; the PCL is the exclusion walk
  position by position over the sorted codes (`_pcl`) and `manual.pcl` once per distinct sequence of levels;
- AdjRW is computed in Decimal by `adjrw.adjrw` itself on the distinct (DRG, LOS) pairs only (a few
  thousand per batch, cached per process), then taken back to the rows: the money rule stays in one place.

Rows whose raw values the columnar parser does not accept exactly as Python would (a value that is not a
plain whole number or YYYY-MM-DD date, a sex other than 1 or 2, codes with non-printable or non-ASCII
characters) are handed to the per-case grouper, which gives them their error code and message; a batch
whose columns have types other than text, integers or dates goes the per-case way entirely.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
import uuid
from collections.abc import Collection
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import polars as pl
import pyarrow as pa

from openuhc.drg import grouper as g
from openuhc.drg import logic_columns
from openuhc.drg import manual as manual_rules
from openuhc.drg.adjrw import key_on
from openuhc.drg.logic import All, Any_, Atom, Cond, Not
from openuhc.drg.volume2 import CHAPTERS

if TYPE_CHECKING:
    from openuhc.drg.tables import LoadedTables

INT_COLUMNS = ("sex", "age", "age_days", "leave_days", "admit_weight")
DATE_COLUMNS = ("admit_date", "discharge_date")
CODE_COLUMNS = ("pdx", "sdx", "proc", "drg")
REQUIRED = ("pdx", "sex", "age", "admit_date", "discharge_date")
WHOLE = r"^-?[0-9]{1,9}$"  # what int(str(v).strip()) reads identically in both paths
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DECIMAL = pl.Decimal(9, 4)  # the output's rw / adjrw, as the per-case path writes them
# Polars' in-memory engine: on chunks of 25,000–100,000 rows it ran 1.5× faster than the streaming default
ENGINE: Any = "in-memory"
PRINTABLE = r"^[ -~]*$"  # printable ASCII: Python's strip()/upper() and Polars' agree on it

PRE_MDC, NEWBORN, SURGICAL, SEVERITY, HOSPITAL, DECIDED = (g.PRE_MDC, g.NEWBORN, g.SURGICAL, g.SEVERITY, g.HOSPITAL,
                                                         g.DECIDED)


def _code_digest() -> str:
    """A digest of the code that decides the columnar look-up frames (this module, the grouper, the tables, the
    rules' compiled token bits)."""
    digest = hashlib.sha256(pl.__version__.encode())
    for name in ("vector.py", "grouper.py", "tables.py", "logic.py", "volume2.py", "manual.py", "logic_columns.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


def _atoms(cond: Cond) -> list[Atom]:
    if isinstance(cond, Atom):
        return [cond]
    if isinstance(cond, All | Any_):
        return [a for part in cond.parts for a in _atoms(part)]
    if isinstance(cond, Not):
        return _atoms(cond.part)
    return []


def _site(expr: pl.Expr) -> pl.Expr:
    """`tables._site`: a body site, "" for none ("N" in diagnoses, "-" in procedures)."""
    text = expr.fill_null("").str.strip_chars()
    return pl.when(text.is_in(["", "N", "-"])).then(pl.lit("")).otherwise(text)


def _normalise(expr: pl.Expr) -> pl.Expr:
    """`tables.normalise` on printable ASCII: no dots, no spaces, upper case."""
    return expr.str.replace_all(".", "", literal=True).str.replace_all(" ", "", literal=True).str.to_uppercase()


UNCHANGED = r"[^!-\-/-`{-~]"  # a character `_normalise` may change: not printable ASCII, or a space, a dot, a-z


# the bytes `_normalise` keeps as they are (UNCHANGED's complement): printable ASCII but a space, a dot and a-z
KEPT = bytes(b for b in range(0x21, 0x7F) if b != 0x2E and not 0x61 <= b <= 0x7A)


def _normal(column: pa.ChunkedArray) -> bool:
    """Whether no value of an input text column holds a byte `_normalise` may change, read in one pass over the
    column's Arrow data buffer (the regular expression per value, on the parsed column, cost about 2 ms a column
    per 100,000 rows; this about 0.2 ms). Bytes of null values are read too: at worst a normal column is
    normalised, which changes nothing."""
    for chunk in column.chunks:
        if pa.types.is_null(chunk.type) or len(chunk) == 0:
            continue
        offsets, data = chunk.buffers()[1:3]
        if data is None:
            continue
        at = memoryview(offsets).cast("q" if pa.types.is_large_string(chunk.type) else "i")  # type: ignore[arg-type]
        if bytes(memoryview(data)[at[chunk.offset]:at[chunk.offset + len(chunk)]]).translate(None, KEPT):  # type: ignore[arg-type]
            return False
    return True


def _normalised(frame: pl.DataFrame, name: str, normal: bool = False) -> pl.Expr:
    """A column of codes normalised, or as it is when no value holds a character `_normalise` changes (most
    batches: its three string passes were about 3 % of the grouping; `normal`: already known, `_normal`).
    Normalising a `;`-separated column normalises each of its codes: `;` is kept and no code boundary moves."""
    if not normal and frame.get_column(name).str.contains(UNCHANGED).any():
        return _normalise(pl.col(name)).alias(name)
    return pl.col(name)


def _read_frames(folder: Path, names: tuple[str, ...]) -> dict[str, pl.DataFrame] | None:
    """The frames stored by `_write_frames`, or None when one is missing or unreadable. Read memory-mapped through
    Arrow: a fifth of the CPU of `pl.read_ipc` (about 4 ms instead of 20 for the frames of TDRG 6.3)."""
    frames = {}
    try:
        for name in names:
            with pa.memory_map(str(folder / f"{name}.arrow")) as source:
                frame = pl.from_arrow(pa.ipc.open_file(source).read_all())
            assert isinstance(frame, pl.DataFrame)
            frames[name] = frame
    except (OSError, ValueError, pl.exceptions.PolarsError):  # pyarrow's ArrowInvalid is a ValueError
        return None
    return frames


def _write_frames(folder: Path, frames: dict[str, pl.DataFrame]) -> None:
    """Store the frames in `folder`, all or none: written in a staging folder that is then renamed."""
    staging = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}")
    try:
        staging.mkdir()
        for name, frame in frames.items():
            frame.write_ipc(staging / f"{name}.arrow")
        staging.rename(folder)
    except OSError:  # a read-only cache, or another process wrote the same frames first
        shutil.rmtree(staging, ignore_errors=True)


class VectorTables:
    """The look-up frames of one table set for the columnar grouper, built once per process."""

    # built from the tables (`_build`), then with the compiled rules' token bits made into what a batch reads
    # (`_ready`): the frames `CACHED` names, stored together in the table cache
    FRAMES = ("dx", "proc", "severity", "drgs", "ranks", "dcl_digits", "dcl_at", "pcl_drgs", "proc_tokens", "dx_axs")
    LOOKUPS = ("dx", "proc", "severity", "drgs", "dcl_digits", "dcl_at", "pcl_drgs", "pdx_rows", "proc_bits",
               "pdx_ax_bits", "sdx_ax_bits", "sdx_pdc_bits", "pdx_ax_words")
    CACHED = (*LOOKUPS, "ranks", "main_by_rank", "mos_dc_by_pick", "dcl_levels", "plans")

    def __init__(self, tables: LoadedTables) -> None:
        self.version = tables.version
        self.ccex = tables.ccex
        self.tables = tables
        # the Volume 2 rules as expressions (drg.logic_columns), compiled once per process
        self.rules = logic_columns.compile_rules(CHAPTERS)
        # Built once per table set and code version, then read back from the table cache (about 10 ms instead
        # of about 150 ms): the folder name carries a digest of the code that builds the frames.
        folder = tables.folder / f"columnar-{_code_digest()}"
        frames = _read_frames(folder, self.CACHED)
        if frames is None:
            self._build(tables)
            frames = self._ready(tables)
            _write_frames(folder, frames)
        self._restore(frames)
        # the ages and stays the rules compare with (Age > n, LOS > n, LOS < n; Volume 1 p. 122's 4 and 5 days)
        found = [a for ch in CHAPTERS.values() for cond, _o in ch.rules for a in _atoms(cond)]
        self.age_cuts = sorted({0, 1} | {a.args[0] + 1 for a in found if a.kind == "age_over"})
        self.los_cuts = sorted({4, 5} | {a.args[0] + 1 for a in found if a.kind == "los_over"}
                               | {a.args[0] for a in found if a.kind == "los_under"})
        self._weights: dict[tuple[str, int, str], Decimal] = {}
        self.decisions: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # facts → decision (drg.vector._decided_per_key)
        self.pcls: dict[str, int] = {}  # the kept levels, high to low ("4,2,1") → PCL
        self._weight_frame: pl.DataFrame | None = None
        self._lock = threading.Lock()

    def _ready(self, tables: LoadedTables) -> dict[str, pl.DataFrame]:
        """The built frames made into what a batch reads (`CACHED`), as frames to store: the token look-ups and
        word columns of the compiled rules, the DCL levels as one array, the principal diagnosis's rows, and
        each DC's severity plan (`grouper.severity_plan`)."""
        for name in self.FRAMES:
            setattr(self, name, getattr(self, name).lazy())
        self.token_bits = self.rules.token_frame().lazy()
        self._token_lookups()
        self._word_columns()
        self._dcl_flat()
        # each code's row of the DCL table: a batch reads a code's level by position without joining its rows by
        # DCLMAIN (text)
        self.dx = self.dx.join(self.dcl_rows, on="dcl_main", how="left", maintain_order="left").collect().lazy()
        # what the manual's path reads of a principal diagnosis's row: a chunk's cases carry no other text
        words = [f"a{n}" for n in range(len(self.rules.words))]  # its AX lists' token words
        self.pdx_rows = self.dx.select(*PDX_READ, *words).collect().lazy() if tables.manual is not None else self.dx
        frames = {name: getattr(self, name).collect() for name in self.LOOKUPS}
        # a fixed row order where a join or group-by keeps none: the stored frames are the same in every build
        for name in ("proc_bits", "pdx_ax_bits", "sdx_ax_bits", "sdx_pdc_bits", "pdx_ax_words"):
            frames[name] = frames[name].sort(frames[name].columns)
        frames["ranks"] = self.ranks.collect()
        frames["main_by_rank"] = self.main_by_rank.to_frame()
        frames["mos_dc_by_pick"] = self.mos_dc_by_pick.to_frame()
        frames["dcl_levels"] = (pl.DataFrame(schema={"level": pl.UInt8}) if self.dcl_levels is None
                                else self.dcl_levels.to_frame())
        plans = [(dc, *g.severity_plan(tables, dc)) for dc in tables.dcs] if tables.manual is not None else []
        frames["plans"] = pl.DataFrame(plans, orient="row", schema={"dc": pl.String, "plan": pl.String,
                                                                    "drg": pl.String, "why": pl.String})
        return frames

    def _restore(self, frames: dict[str, pl.DataFrame]) -> None:
        for name in self.LOOKUPS:
            setattr(self, name, frames[name].lazy())
        ranks = frames["ranks"]
        self.pre_dc_by_rank = ranks.get_column("pre_dc").to_list()
        self.mos_dc_by_rank = ranks.get_column("mos_dc").to_list()
        self.or_dc_by_rank = ranks.get_column("or_dc").to_list()
        self.main_by_rank = frames["main_by_rank"].to_series()
        self.mos_dc_by_pick = frames["mos_dc_by_pick"].to_series()
        levels = frames["dcl_levels"].to_series()
        self.dcl_levels = levels if levels.len() else None
        # `_dcl_flat` makes the levels only from rows of equal width
        self.dcl_width = levels.len() // max(1, frames["dcl_digits"].height)
        self.plans: dict[str, tuple[str, str, str]] = {  # DC → grouper.severity_plan
            dc: (plan, drg, why) for dc, plan, drg, why in frames["plans"].iter_rows()}

    def _token_lookups(self) -> None:
        """The bit of each token a code brings (`proc_bits`: a procedure's clusters, PAX lists and site;
        `pdx_ax_bits` / `sdx_ax_bits`: a diagnosis's AX lists; `sdx_pdc_bits`: a secondary diagnosis's MDC and
        cluster): a batch joins its codes with these instead of building each row's token text."""
        bits = self.token_bits

        def named(frame: pl.LazyFrame, token: pl.Expr) -> pl.LazyFrame:
            return frame.with_columns(token.alias("token")).join(bits, on="token").select("code", "word", "bit")

        self.proc_bits = pl.concat([
            named(self.proc_tokens, pl.col("token")),
            named(self.proc.filter(pl.col("site_n") != ""), pl.concat_str(pl.lit("site:"), "site_n"))]).unique(
            ).sort(["code", "word", "bit"]).collect().lazy()
        self.pdx_ax_bits = named(self.dx_axs, pl.concat_str(pl.lit("pdx_ax:"), "ax")).collect().lazy()
        self.sdx_ax_bits = named(self.dx_axs, pl.concat_str(pl.lit("sdx_ax:"), "ax")).collect().lazy()
        pdc = pl.col("token").str.strip_prefix("sdx_pdc:").str.split_exact(":", 1)
        self.sdx_pdc_bits = bits.filter(pl.col("token").str.starts_with("sdx_pdc:")).select(
            pdc.struct.field("field_0").alias("mdc"), pdc.struct.field("field_1").alias("pdc"), "word", "bit"
        ).collect().lazy()

    def _word_columns(self) -> None:
        """Each code's token words summed once per process, so that a batch ORs a case's codes' words (one
        group-by) instead of joining and deduplicating one row per token: a procedure's (`p0`, `p1`, … on
        `proc`), a diagnosis's as a secondary one (`s0`, … on `dx`: its AX lists and its row's MDC and cluster)
        and as the principal one (`a0`, … on `dx`, so the principal diagnosis's join brings them; `pdx_ax_words`,
        only codes with a list, for a secondary diagnosis made principal). Also what
        Volume 1 p. 122 reads of a case's top OR procedures as ranks: `pre_rank` orders by level and code
        (`main_by_rank`: the main MDC of each rank), `mos_pick` by MOS DC, MOS hierarchy, level and code
        (`mos_dc_by_pick`)."""
        count = len(self.rules.words)
        self.pdx_ax_words = _words(self.pdx_ax_bits, ["code"], [f"a{n}" for n in range(count)]).collect().lazy()
        procs = _words(self.proc_bits, ["code"], [f"p{n}" for n in range(count)])
        keys = self.dx.select("code", "sexkey", "mdc", "pdc")
        secondary = _words(pl.concat([
            keys.join(self.sdx_ax_bits, on="code").select("code", "sexkey", "word", "bit"),
            keys.join(self.sdx_pdc_bits, on=["mdc", "pdc"]).select("code", "sexkey", "word", "bit")]),
            ["code", "sexkey"], [f"s{n}" for n in range(count)])
        zero = [pl.col(f"{kind}{n}").fill_null(0) for kind in "ps" for n in range(count)]
        self.proc = self.proc.join(procs, on="code", how="left", maintain_order="left").with_columns(
            zero[:count])
        self.dx = self.dx.join(secondary, on=["code", "sexkey"], how="left", maintain_order="left").join(
            self.pdx_ax_words, on="code", how="left", maintain_order="left").with_columns(
            *zero[count:], *(pl.col(f"a{n}").fill_null(0) for n in range(count)))
        order = self.proc.select("code", "pre_rank", "main_mdc", "mos_dc", "mos_hierarchy", "level").collect()
        self.main_by_rank = order.sort("pre_rank").get_column("main_mdc")
        picks = order.sort([pl.col("mos_dc") == "", "mos_hierarchy", "level", "code"],
                           descending=[False, False, True, True]).with_row_index("mos_pick")
        self.mos_dc_by_pick = picks.get_column("mos_dc")
        self.proc = self.proc.join(picks.lazy().select("code", "mos_pick"), on="code", how="left",
                                   maintain_order="left").collect().lazy()

    def _dcl_flat(self) -> None:
        """The DCL table as one array of levels (`dcl_levels`: row `dcl_row` of `dcl_rows` times `dcl_width`, plus
        the DC's position), so that a batch reads a code's level by position instead of joining each row with
        its DCLMAIN's digits (485 characters copied per row). A character other than 0–9 reads as level 0, as it
        did as text (the PCL keeps levels above 0). None unless every row has the same number of ASCII
        characters and every DC's position is inside them: the batch then reads the digits as text."""
        digits = self.dcl_digits.collect()
        self.dcl_rows = digits.select("dcl_main").with_row_index("dcl_row").lazy()
        self.dcl_levels: pl.Series | None = None
        text, at = digits.get_column("digits"), self.dcl_at.collect().get_column("at")
        self.dcl_width = int(text.str.len_bytes().min() or 0)  # type: ignore[arg-type]
        if not self.dcl_width or at.len() == 0 or at.min() < 0 or at.max() >= self.dcl_width:  # type: ignore[operator]
            return
        if text.str.len_bytes().max() != self.dcl_width or text.str.len_chars().max() != self.dcl_width:
            return
        # equal rows of one byte per character: the column's bytes, end to end, are the array
        column = text.to_arrow().cast(pa.large_string())
        offsets = memoryview(column.buffers()[1]).cast("q")  # type: ignore[arg-type]
        raw = bytes(memoryview(column.buffers()[2])[offsets[column.offset]:offsets[column.offset + len(column)]])  # type: ignore[arg-type]
        array = pa.Array.from_buffers(pa.uint8(), len(raw), [None, pa.py_buffer(raw.translate(LEVEL_OF_BYTE))])
        self.dcl_levels = pl.Series("level", array)  # UInt8: 3.5 million levels, cast once gathered

    def _build(self, tables: LoadedTables) -> None:
        ids = pl.DataFrame({"CODE": pl.Series(self.ccex.codes)}).with_row_index("code_id").with_columns(
            pl.col("code_id").cast(pl.Int64))
        dx = pl.from_arrow(tables.diagnoses).with_row_index("_row")  # type: ignore[union-attr]
        dx = dx.join(ids, on="CODE", how="left", maintain_order="left").join(
            ids.rename({"CODE": "MAINCC", "code_id": "maincc_id"}), on="MAINCC", how="left", maintain_order="left")
        # the row LoadedTables.diagnosis(code, sex) returns: the first row, or for sex 1 / 2 the first row of
        # MDC 12 / 13 when the code has one
        first = dx.group_by("CODE").agg(pl.col("_row").min())
        picks = [first.with_columns(pl.lit(0, pl.Int64).alias("sexkey"))]
        for sex, mdc in ((1, "12"), (2, "13")):
            wanted = dx.filter(pl.col("MDC") == mdc).group_by("CODE").agg(pl.col("_row").min().alias("_w"))
            pick = first.join(wanted, on="CODE", how="left").select(
                "CODE", pl.coalesce("_w", "_row").alias("_row"), pl.lit(sex, pl.Int64).alias("sexkey"))
            picks.append(pick)
        self.dx = pl.concat(picks).select("sexkey", "_row").join(dx, on="_row").select(
            pl.col("CODE").alias("code"), "sexkey", pl.col("MDC").alias("mdc"), pl.col("PDC").alias("pdc"),
            pl.col("CC").fill_null(False).alias("is_cc"), "maincc_id", "code_id", _sex_number("SEX").alias("row_sex"),
            (pl.col("ACCPDX") == "Y").fill_null(False).alias("acceptable"), pl.col("AGEMIN").alias("age_min"),
            pl.col("AGEMAX").alias("age_max"),
            pl.when(pl.col("AGEDUSE") == "Y").then(pl.col("AGEDMIN")).alias("age_days_min"))
        # procedures as LoadedTables.procedure() reads them (the last row of a code wins, as in its index)
        mdcs = sorted(set(dx.get_column("MDC").to_list()))
        masks = {m: 1 << i for i, m in enumerate(mdcs)}
        self.mdc_bits = pl.DataFrame({"mdc": mdcs, "mdc_mask": [masks[m] for m in mdcs]},
                                     schema={"mdc": pl.String, "mdc_mask": pl.Int64})
        pr = pl.from_arrow(tables.procedures).unique("CODE", keep="last", maintain_order=True)  # type: ignore[union-attr]
        related = [sum(masks.get(m, 0) for m in {main, *(o.strip() for o in (other or "").split(",") if o.strip())})
                   for main, other in zip(pr.get_column("MMDC").to_list(), pr.get_column("OMDCS").to_list(),
                                          strict=True)]
        pre_dc = [g._pre_mdc_dc(SimpleNamespace(description=d or ""), tables)
                  for d in pr.get_column("DESC").to_list()]
        frame = pr.select(
            pl.col("CODE").alias("code"), (pl.col("ORP") == "Y").fill_null(False).alias("is_or"),
            _sex_number("SEX").alias("proc_sex"), (pl.col("MMDC") == "00").fill_null(False).alias("pre"),
            pl.Series("related_mask", related, dtype=pl.Int64), pl.col("MOSDC").fill_null("").alias("mos_dc"),
            pl.Series("pre_dc", pre_dc, dtype=pl.String), pl.col("PROCGR").fill_null(0).alias("group"),
            pl.col("PROCLEV").fill_null(0).alias("level"), pl.col("SITE").fill_null("").alias("site"),
            _site(pl.col("SITE")).alias("site_n"), pl.col("MMDC").fill_null("").alias("main_mdc"),
            pl.when(pl.col("MOSHIERAR").fill_null("") == "").then(pl.lit("9")).otherwise(pl.col("MOSHIERAR"))
            .alias("mos_hierarchy"))
        # the site as a number (null for none): `_facts` compares a case's procedures' sites as integers, not text
        # (41.8-56.8 -> 38.6-50.9 ms per 100,000-case chunk)
        site_id = pl.when(pl.col("site_n") != "").then(pl.col("site_n").rank("dense"))
        frame = frame.with_columns(site_id.alias("site_id"))
        # ranks that turn the grouper's max()/min() by a key tuple into an integer max/min per case
        by_level = frame.sort(["level", "code"]).with_row_index("pre_rank")
        by_mos = frame.sort(["mos_hierarchy", "code"]).with_row_index("mos_rank")
        by_group = frame.sort(["group", "code"]).with_row_index("or_rank")
        self.proc = frame.join(by_level.select("code", "pre_rank"), on="code").join(
            by_mos.select("code", "mos_rank"), on="code").join(by_group.select("code", "or_rank"), on="code")
        self.ranks = pl.DataFrame({
            "pre_dc": by_level.get_column("pre_dc"), "mos_dc": by_mos.get_column("mos_dc"),
            "or_dc": [f"260{min(max(n, 1), 5)}" for n in by_group.get_column("group").to_list()]})
        # per MDC and per (MDC, cluster): the grouper's DC choices
        self.surgical_dc = pl.DataFrame({"mdc": mdcs, "surgical_dc": [g._first_dc(tables, m, surgical=True)
                                                                      for m in mdcs]})
        pairs = sorted(set(zip(dx.get_column("MDC").to_list(), dx.get_column("PDC").to_list(), strict=True)))
        by_letter: dict[tuple[str, str], str] = {}  # _medical_dc reads only the cluster's last character
        for m, p in pairs:
            if (m, (p or "")[-1:]) not in by_letter:
                by_letter[m, (p or "")[-1:]] = g._medical_dc(tables, m, p)
        medical = [by_letter[m, (p or "")[-1:]] for m, p in pairs]
        self.medical_dc = pl.DataFrame({
            "mdc": [m for m, _ in pairs], "pdc": [p for _, p in pairs], "medical_dc": medical,
            "medical_why": [f"medical DC {dc} guessed from the diagnosis cluster {p or '—'} without the manual's "
                            "DC logic" for (_, p), dc in zip(pairs, medical, strict=True)]})
        # the severity digit: DC × number of CCs (0–9) → DRG, as grouper._group chooses it
        sev: dict[str, list[Any]] = {"dc": [], "ncc": [], "own_drg": [], "split": []}
        for dc, drgs in tables.dcs.items():
            digits = sorted(d[-1] for d in drgs)
            for n in range(10):
                if len(drgs) == 1:
                    drg = drgs[0]
                else:
                    wanted = str(min(n, int(digits[-1])))
                    drg = dc + max((d for d in digits if d <= wanted), default=digits[0])
                sev["dc"].append(dc)
                sev["ncc"].append(n)
                sev["own_drg"].append(drg)
                sev["split"].append(len(drgs) > 1)
        self.severity = pl.DataFrame(sev, schema={"dc": pl.String, "ncc": pl.Int64, "own_drg": pl.String,
                                                  "split": pl.Boolean})
        # the principal diagnosis's row carries its MDC's choices: one join per batch instead of four
        self.dx = (self.dx.join(self.mdc_bits, on="mdc", how="left", maintain_order="left")
                   .join(self.surgical_dc, on="mdc", how="left", maintain_order="left")
                   .join(self.medical_dc, on=["mdc", "pdc"], how="left", maintain_order="left"))
        self._build_manual(tables)
        # a fixed row order: frames built in two processes (one reads the other's cache) compare equal
        self.dx, self.proc = self.dx.sort(["code", "sexkey"]), self.proc.sort("code")
        drg_rows = [tables.drg(code) for dc in tables.dcs for code in tables.dcs[dc]]
        self.drgs = pl.DataFrame({"hosp": [r.drg for r in drg_rows if r], "hosp_mdc": [r.mdc for r in drg_rows if r],
                                  "hosp_dc": [r.dc for r in drg_rows if r]})

    def _build_manual(self, tables: LoadedTables) -> None:
        """What the manual's logic reads, per code: a secondary diagnosis's DCL key and whether the DC rules can
        read it (an AX list, a trauma site, a cluster a rule names); a procedure's relevance to the rules (a
        cluster, a PAX list, a site, an OR procedure group); the DCL table as (DCLMAIN, DC, level > 0) rows."""
        manual = tables.manual
        dx = pl.from_arrow(tables.diagnoses.select(["CODE", "PDC", "TRAUMA", "DCLMAIN"]))
        assert isinstance(dx, pl.DataFrame)
        if manual is None:
            self.dx = self.dx.with_columns(pl.lit("").alias("dcl_main"), pl.lit(False).alias("relevant"),
                                           pl.col("code").alias("pdx_rep"), pl.col("code").alias("sdx_rep"))
            self.proc = self.proc.with_columns(pl.lit(False).alias("relevant"))
            self.dcl_digits = pl.DataFrame(schema={"dcl_main": pl.String, "digits": pl.String})
            self.dcl_at = pl.DataFrame(schema={"dc": pl.String, "at": pl.Int64})
            self.pcl_drgs = pl.DataFrame(schema={"dc": pl.String, "pcl": pl.Int64, "pcl_drg": pl.String})
            self.proc_tokens = pl.DataFrame(schema={"code": pl.String, "token": pl.String})
            self.dx_axs = pl.DataFrame(schema={"code": pl.String, "ax": pl.String})
            return
        # DC × PCL (0–9) → DRG, for the DCs split by severity
        pairs = [(dc, n, g.drg_in(ranges, n)) for dc in tables.dcs
                 for ranges in [g.ranges_of(tables, dc)[0]] if len(ranges) > 1 for n in range(10)]
        self.pcl_drgs = pl.DataFrame(pairs, schema={"dc": pl.String, "pcl": pl.Int64, "pcl_drg": pl.String},
                                     orient="row")
        named = {a.args[0] for ch in CHAPTERS.values() for cond, _o in ch.rules for a in _atoms(cond)
                 if a.kind == "dx_pdc"}
        lists = manual.dx_lists
        relevant = dx.select(pl.col("CODE").alias("code"), (
            pl.col("CODE").is_in(list(lists)) | ~pl.col("TRAUMA").fill_null("N").is_in(["", "N"])
            | pl.col("PDC").is_in(list(named))).alias("relevant"),
            pl.col("DCLMAIN").fill_null("").alias("dcl_main")).group_by("code").agg(
            pl.col("relevant").any(), pl.col("dcl_main").first())
        self.dx = self.dx.join(relevant, on="code", how="left", maintain_order="left").with_columns(
            pl.col("relevant").fill_null(False), pl.col("dcl_main").fill_null(""))
        # the DCLMAIN of a code is per row: take it from the row LoadedTables.diagnosis(code, sex) returns
        rows = pl.from_arrow(tables.diagnoses.select(["CODE", "MDC", "DCLMAIN", "MOSDX", "TRAUMA"]))
        assert isinstance(rows, pl.DataFrame)
        by_row = rows.select(pl.col("CODE").alias("code"), pl.col("MDC").alias("mdc"),
                             pl.col("DCLMAIN").fill_null("").alias("_dm"),
                             (pl.col("MOSDX").fill_null(0) > 0).alias("mos"),
                             _site(pl.col("TRAUMA")).alias("trauma")).unique(["code", "mdc"], keep="first")
        self.dx = self.dx.join(by_row, on=["code", "mdc"], how="left", maintain_order="left").with_columns(
            pl.coalesce("_dm", "dcl_main").alias("dcl_main")).drop("_dm")
        # Representatives: codes whose every fact the rules can read is the same decide alike, so a batch asks
        # `decide_dc` once per representative — for a principal diagnosis its MDC, cluster, AX lists, MOSDX and
        # trauma site; for a secondary one (when no OR procedure may move the case) its AX lists, trauma site,
        # and its MDC and cluster when a rule names that cluster.
        axs = pl.DataFrame({"code": list(lists), "axs": [";".join(sorted(v)) for v in lists.values()]})
        self.dx = self.dx.join(axs, on="code", how="left", maintain_order="left").with_columns(
            pl.col("axs").fill_null(""), pl.col("mos").fill_null(False), pl.col("trauma").fill_null(""))
        # the trauma site as a number (0 for none): `_facts` compares a case's sites as integers, not text (with the
        # principal diagnoses' join and the secondary diagnoses' rows, 78.1-85.6 -> 75.6-83.1 ms a 100,000-case chunk)
        site = pl.col("trauma")
        self.dx = self.dx.with_columns(pl.when(site != "").then(site.rank("dense")).otherwise(0).alias("trauma"))
        named_pdc = pl.when(pl.col("pdc").is_in(list(named))).then(pl.concat_str("mdc", pl.lit(":"), "pdc"))
        self.dx = self.dx.with_columns(
            pl.col("code").min().over(["sexkey", "mdc", "pdc", "axs", "mos", "trauma"]).alias("pdx_rep"),
            pl.col("code").min().over(["sexkey", "axs", "trauma", named_pdc.fill_null("")]).alias("sdx_rep"))
        clustered = {code for clusters in manual.proc_pdc.values() for code in clusters} | set(manual.proc_lists)
        self.proc = self.proc.with_columns(
            (pl.col("code").is_in(list(clustered)) | (pl.col("group") > 0)
             | ~pl.col("site").fill_null("-").is_in(["", "-", "N"])).alias("relevant"))
        # what the compiled rules (drg.logic_columns) read of a code: a procedure's clusters and PAX lists as
        # tokens, a diagnosis's AX lists
        tokens = [(code, t) for code, pairs in manual.proc_clusters.items() for mdc, pdc in pairs
                  for t in (f"proc:{mdc}:{pdc}", f"anyproc:{mdc}")]
        tokens += [(code, f"pax:{name}") for code, names in manual.proc_lists.items() for name in names]
        self.proc_tokens = pl.DataFrame(tokens, schema={"code": pl.String, "token": pl.String},
                                        orient="row").unique().sort(["code", "token"])
        self.dx_axs = pl.DataFrame([(code, ax) for code, names in lists.items() for ax in names],
                                   schema={"code": pl.String, "ax": pl.String}, orient="row").sort(["code", "ax"])
        # the DCL table as the manual holds it (`Manual.dcl`): each DCLMAIN's digits, and each DC's position in them
        self.dcl_digits = pl.DataFrame({"dcl_main": list(manual.dcl_codes), "digits": list(manual.dcl_codes.values())},
                                       schema={"dcl_main": pl.String, "digits": pl.String}).sort("dcl_main")
        self.dcl_at = pl.DataFrame({"dc": list(manual.dcl_dcs), "at": list(manual.dcl_dcs.values())},
                                   schema={"dc": pl.String, "at": pl.Int64}).sort("dc")

    def weight_frame(self, triples: pl.DataFrame) -> pl.DataFrame:
        """(drg, los, wkey, rw, adjrw, _known) for at least the given distinct triples: a per-process table that
        grows with the triples met, so each batch converts only its new ones from Decimal."""
        with self._lock:
            cached = self._weight_frame
            new = triples if cached is None else triples.join(cached, on=["drg", "los", "wkey"], how="anti")
            if new.height or cached is None:
                rws, adjrws = self.weights(list(new.iter_rows()))
                add = new.with_columns(pl.Series("rw", rws, dtype=DECIMAL), pl.Series("adjrw", adjrws, dtype=DECIMAL),
                                       pl.Series("_known", [r is not None for r in rws], dtype=pl.Boolean))
                cached = add if cached is None else pl.concat([cached, add])
                self._weight_frame = cached
            return cached

    def weights(self, triples: list[tuple[str, int, str]]) -> tuple[list[Decimal | None], list[Decimal | None]]:
        """RW and AdjRW of distinct (DRG, LOS, rule key) triples, by `grouper.weigh_drg` itself (cached)."""
        rws: list[Decimal | None] = []
        adjrws: list[Decimal | None] = []
        for drg, los, key in triples:
            row = self.tables.drg(drg)
            if row is None:
                rws.append(None)
                adjrws.append(None)
                continue
            value = self._weights.get((drg, los, key))
            if value is None:
                value = g.weigh_drg(row, los, key)
                self._weights[drg, los, key] = value
            rws.append(row.rw)
            adjrws.append(value)
        return rws, adjrws


# --- reading the input columns as the per-case parser would -------------------------------------------

def _supported(schema: pa.Schema) -> bool:
    for name in INT_COLUMNS + DATE_COLUMNS + CODE_COLUMNS:
        if name not in schema.names:
            continue
        kind = schema.field(name).type
        text = pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
        if name in INT_COLUMNS and not (text or pa.types.is_integer(kind)):
            return False
        if name in DATE_COLUMNS and not (text or pa.types.is_date32(kind)):
            return False
        if name in CODE_COLUMNS and not text:
            return False
    if "discharge_type" in schema.names:
        kind = schema.field("discharge_type").type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
                or pa.types.is_integer(kind)):
            return False
    return True


def _parse(frame: pl.DataFrame, normal: Collection[str] = ()) -> tuple[pl.DataFrame, pl.Series]:
    """The parsed columns, and for each row whether the columnar parse is the per-case parse (`clean`). `normal`:
    code columns `_normal` found to hold only bytes of KEPT, which are printable ASCII: their values are not
    matched with PRINTABLE one by one (2.7 ms a column per 100,000 rows: `_parse` 9.1-9.4 -> 1.3-1.4 ms)."""
    columns: list[pl.Expr] = [pl.col("_idx")]
    clean: list[pl.Expr] = []
    names = set(frame.columns)
    for name in INT_COLUMNS:
        if name not in names:
            columns.append(pl.lit(None, pl.Int64).alias(name))
            continue
        if frame.schema[name] == pl.String:
            raw = pl.col(name)
            columns.append(pl.when(raw.str.contains(WHOLE)).then(raw.cast(pl.Int64, strict=False)).alias(name))
            clean.append((raw.is_null() | (raw == "") | raw.str.contains(WHOLE)).fill_null(True))
        else:
            columns.append(pl.col(name).cast(pl.Int64, strict=False).alias(name))
            clean.append(pl.col(name).is_null() | pl.col(name).cast(pl.Int64, strict=False).is_not_null())
    for name in DATE_COLUMNS:
        if name not in names:
            columns.append(pl.lit(None, pl.Date).alias(name))
            continue
        if frame.schema[name] == pl.String:
            raw = pl.col(name)
            parsed = pl.when(raw.str.contains(ISO_DATE)).then(raw.str.to_date("%Y-%m-%d", strict=False))
            columns.append(parsed.alias(name))
            ok = raw.is_null() | (raw == "") | (parsed.is_not_null() & (parsed.dt.year() >= 1))
            clean.append(ok.fill_null(False))
        else:
            columns.append(pl.col(name).cast(pl.Date).alias(name))
    for name in CODE_COLUMNS:
        if name not in names:
            columns.append(pl.lit("", pl.String).alias(name))
            continue
        columns.append(pl.col(name).cast(pl.String).fill_null("").alias(name))
        if name not in normal:
            clean.append(pl.col(name).cast(pl.String).fill_null("").str.contains(PRINTABLE))
    if "discharge_type" in names:  # as the per-case parser reads it: str(value or "")
        raw = pl.col("discharge_type").cast(pl.String)
        text = pl.when(raw.is_null() | (raw == "0")).then(pl.lit("")).otherwise(raw)
        if frame.schema["discharge_type"] == pl.String:
            text = raw.fill_null("")
        columns.append(text.alias("discharge_type"))
        clean.append(raw.fill_null("").str.contains(PRINTABLE))
    else:
        columns.append(pl.lit("", pl.String).alias("discharge_type"))
    parsed = frame.select(columns)
    ok = frame.select(pl.all_horizontal(clean) if clean else pl.lit(True)).to_series()
    sex_ok = parsed.get_column("sex").is_null() | parsed.get_column("sex").is_in([1, 2])
    return parsed, (ok & sex_ok).fill_null(False)


# --- grouping -------------------------------------------------------------------------------------------

def _sex_number(column: str) -> pl.Expr:
    """A table row's sex as the cases' numbers: 1 for "M", 2 for "F", 0 for either. Compared as numbers, not text, in
    `_sex_conflict`: per 100,000-case chunk, the principal diagnoses' join and edits 14.7-15.7 -> 12.4-13.1 ms, the
    secondary diagnoses' and procedures' rows 31.8-32.9 -> 29.5-30.7 ms."""
    return pl.when(pl.col(column) == "M").then(1).when(pl.col(column) == "F").then(2).otherwise(0).cast(pl.Int8)


def _sex_conflict(row_sex: str) -> pl.Expr:
    """`diagnosis_problem` / `procedure_problem`: a row for one sex (`_sex_number`), a case of the other."""
    sex = pl.col("sex")
    return sex.is_in([1, 2]) & (pl.col(row_sex) > 0) & (pl.col(row_sex) != sex)


def _age_conflict() -> pl.Expr:
    """`diagnosis_problem`: an age outside the row's years, or a newborn younger than its days."""
    age, days = pl.col("age"), pl.col("age_days")
    return age.is_not_null() & (
        (pl.col("age_min").is_not_null() & (age < pl.col("age_min")))
        | (pl.col("age_max").is_not_null() & (age > pl.col("age_max")))
        | (pl.col("age_days_min").is_not_null() & (age == 0) & days.is_not_null() & (days < pl.col("age_days_min"))))


def _case_rules(c: pl.LazyFrame, vt: VectorTables) -> pl.LazyFrame:
    """Principal diagnosis edits: the error DRG and its reason, or null when the case passes them."""
    age, days = pl.col("age"), pl.col("age_days")
    pdx = pl.col("pdx_code")
    valid_age = age.is_not_null() & (age >= 0) & (age <= 124) & ~(
        (age == 0) & days.is_not_null() & ~((days >= 0) & (days <= 365)))
    sex_conflict, age_conflict = _sex_conflict("row_sex"), _age_conflict()
    found = pl.col("mdc").is_not_null()
    edits = [
        (pdx == "", g.UNGROUPABLE, pl.lit("no principal diagnosis")),
        (~found, g.UNGROUPABLE, pl.concat_str(pl.lit("principal diagnosis "), pdx,
                                              pl.lit(f" is not in TDRG {vt.version}"))),
        (~valid_age, g.BAD_AGE, pl.lit("age missing or invalid")),
        ((age == 0) & days.is_null(), g.BAD_AGE, pl.lit("age in days missing at age 0")),
        (~sex_conflict.fill_null(False) & age_conflict.fill_null(False), g.UNGROUPABLE, pl.concat_str(
            pl.lit("principal diagnosis "), pdx, pl.lit(" is not valid at age "), age.cast(pl.String))),
        (sex_conflict.fill_null(False), g.UNGROUPABLE, pl.concat_str(
            pl.lit("principal diagnosis "), pdx, pl.lit(" is not valid for this sex"))),
        (~pl.col("acceptable"), g.BAD_PDX, pl.concat_str(pdx, pl.lit(" is not acceptable as a principal diagnosis"))),
    ]
    drg: Any = pl
    why: Any = pl
    for condition, code, reason in edits:
        drg = drg.when(condition).then(pl.lit(code))
        why = why.when(condition).then(reason)
    return c.with_columns(drg.otherwise(None).alias("edit_drg"), why.otherwise(None).alias("edit_why"))


def _codes(c: pl.LazyFrame, column: str, *extra: pl.Expr, distinct: bool = False) -> pl.LazyFrame:
    """One row per case and code of a `;`-separated column (normalised by `group_frame`). Unless `distinct`, a
    code repeated in a case stays repeated: every rule of the no-manual path gives both copies the same fate, and
    its results count distinct codes or take a max / min, which repeats do not change. `distinct` drops repeats
    per case before the rows are made (a third of the cost of dropping them from the joined rows). A value
    without `;` is its one code: only the others are split (most cases have one code or none; on a 100,000-case
    chunk the secondary diagnoses' rows took 11.0 ms instead of 12.3, the procedures' 4.1 instead of 7.0)."""
    carried = ["_idx", "pdx_code", pl.col("code_id").alias("pdx_id"), "sex", "age", "age_days", *extra]
    value, many = pl.col(column), pl.col(column).str.contains(";", literal=True)
    codes = value.str.split(";")
    return pl.concat([
        c.filter(~many & (value != "")).select(*carried, value.alias("code")),
        c.filter(many).select(*carried, (codes.list.unique() if distinct else codes).alias("code"))
        .explode("code").filter(pl.col("code") != "")])


def _cc_counts(c: pl.LazyFrame, vt: VectorTables) -> pl.LazyFrame:
    """Complications that count per case: valid for the age and sex, CC, not excluded with the principal."""
    s = _codes(c, "sdx").filter(pl.col("code") != pl.col("pdx_code")).with_columns(
        pl.col("sex").fill_null(0).alias("sexkey"))
    s = s.join(vt.dx, on=["code", "sexkey"], how="inner")
    sex_conflict, age_conflict = _sex_conflict("row_sex"), _age_conflict()
    s = s.filter(~sex_conflict.fill_null(False) & ~age_conflict.fill_null(False) & pl.col("is_cc"))
    key = (pl.col("maincc_id") * (1 << 32) + pl.col("pdx_id")).fill_null(-1)
    found = s.with_columns(key.alias("key")).collect(engine=ENGINE)
    found = found.filter(~vt.ccex.contains(found.get_column("key")))
    s = found.lazy()
    return s.group_by("_idx").agg(pl.col("code_id").n_unique().cast(pl.Int64).alias("ncc"))


def _procedures(c: pl.LazyFrame, vt: VectorTables) -> pl.LazyFrame:
    p = _codes(c, "proc").join(vt.proc, on="code", how="inner")
    p = p.filter(~_sex_conflict("proc_sex").fill_null(False))
    p = p.join(c.select("_idx", "mdc_mask"), on="_idx", how="left")
    related = pl.col("is_or") & ((pl.col("related_mask") & pl.col("mdc_mask")) != 0).fill_null(False)
    return p.group_by("_idx").agg(
        pl.col("pre_rank").filter(pl.col("pre")).max().alias("pre_best"),
        pl.col("is_or").any().alias("any_or"),
        related.any().alias("any_related"),
        pl.col("mos_rank").filter(pl.col("is_or") & (pl.col("mos_dc") != "") & ~related).min().alias("mos_best"),
        pl.col("or_rank").filter(pl.col("is_or")).max().alias("or_best"))


# --- the manual's logic: one decision per distinct set of facts ------------------------------------------------

def _valid_codes(c: pl.LazyFrame, vt: VectorTables) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The secondary diagnoses and procedures a case keeps after the edits (one row per case and code)."""
    count = len(vt.rules.words)
    s = _codes(c, "sdx", pl.col("trauma").fill_null(0).alias("pdx_trauma"), distinct=True).filter(
        pl.col("code") != pl.col("pdx_code")).with_columns(
        pl.col("sex").fill_null(0).alias("sexkey")).join(vt.dx, on=["code", "sexkey"], how="inner")
    s = s.filter(~_sex_conflict("row_sex").fill_null(False) & ~_age_conflict().fill_null(False)).select(
        "_idx", "code", "relevant", "dcl_main", "dcl_row", "sdx_rep", "mdc", "pdc", "mdc_mask", "trauma", "maincc_id",
        "code_id", "pdx_trauma", *(f"s{n}" for n in range(count)))
    p = _codes(c, "proc", distinct=True).join(vt.proc, on="code", how="inner")
    p = p.filter(~_sex_conflict("proc_sex").fill_null(False)).select(
        "_idx", "code", "relevant", (pl.col("group") > 0).alias("or_group"), "group", "pre_rank", "mos_pick",
        "related_mask", "site_id", *(f"p{n}" for n in range(count)))
    return s.collect(engine=ENGINE), p.collect(engine=ENGINE)


def _bucket(value: pl.Expr, cuts: list[int]) -> pl.Expr:
    """A value replaced by the largest cut at or below it (the smallest cut minus one below them all): the rules
    compare ages and stays only with these cut points, so every value of a bucket decides alike."""
    out: Any = pl.when(value.is_null()).then(None)
    for cut in sorted(cuts, reverse=True):
        out = out.when(value >= cut).then(pl.lit(cut))
    return out.otherwise(pl.lit(min(cuts) - 1)).cast(pl.Int64)


def _joined(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    return frame.sort("code").group_by("_idx").agg(pl.col("code").str.join(";").alias(name))


def _los() -> pl.Expr:
    return (pl.col("discharge_date") - pl.col("admit_date")).dt.total_days() - pl.col("leave_days").fill_null(0)


def _words(tokens: pl.LazyFrame, by: list[str], names: list[str]) -> pl.LazyFrame:
    """Per `by`, the bits of each token word OR-ed into one column per word (`names[n]` for word n). Within a word
    the bits are distinct powers of two, so once repeats are dropped their sum is their OR: a plain sum per group
    is Polars' fast path, where a filtered aggregation per word is evaluated group by group (twice the CPU)."""
    return tokens.select(*by, "word", "bit").unique().group_by(by).agg(
        pl.when(pl.col("word") == n).then(pl.col("bit")).otherwise(0).sum().alias(name) for n, name in enumerate(names))


def _facts(ok: pl.DataFrame, sdx: pl.DataFrame, procs: pl.DataFrame, vt: VectorTables
           ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per case with the columns the compiled rules read (`drg.logic_columns`): what
    `grouper.facts_for` gathers for one case, for all of them; and the swaps `logic_columns.decide` reads.
    A case's token words are the OR of its principal diagnosis's, its secondary diagnoses' and its procedures'
    (each code's words summed once per process, `VectorTables._word_columns`)."""
    words = vt.rules.words
    count = len(words)
    p, s = procs.lazy(), sdx.lazy()
    # Volume 1 p. 122 reads the OR procedures of the highest group: the first by level and code (the greatest
    # `pre_rank`), their MDCs, and the MOS DC of the first by MOS hierarchy (the least `mos_pick`)
    on_top = (pl.col("group") > 0) & (pl.col("group") == pl.col("group").max().over("_idx"))
    # one group-by over the case's secondary diagnoses and procedures (null where a row says nothing)
    rows = pl.concat([
        s.select("_idx", *(pl.col(f"s{n}").alias(f"w{n}") for n in range(count)),
                 pl.col("mdc_mask").fill_null(0).alias("sdx_mask"),
                 ((pl.col("trauma") != 0) & (pl.col("trauma") != pl.col("pdx_trauma"))).alias("other_site")),
        p.select("_idx", *(pl.col(f"p{n}").alias(f"w{n}") for n in range(count)),
                 pl.col("site_id").alias("site"),
                 *(pl.when(on_top).then(pl.col(name)).alias(alias) for name, alias in (
                     ("group", "or_group"), ("pre_rank", "best_main"), ("related_mask", "best_mdcs"),
                     ("mos_pick", "mos_dc"))))], how="diagonal")
    mos = pl.lit(vt.mos_dc_by_pick).gather(pl.col("mos_dc"))
    per_case = rows.group_by("_idx").agg(
        *(pl.col(f"w{n}").bitwise_or().alias(f"x{n}") for n in range(count)),
        pl.col("sdx_mask").bitwise_or().alias("sdx_mdcs"), pl.col("other_site").any(),
        (pl.col("site").min() != pl.col("site").max()).alias("many_sites"),
        pl.col("or_group").max(), pl.col("best_main").max(), pl.col("best_mdcs").bitwise_or(),
        pl.col("mos_dc").min()
    ).with_columns(pl.lit(vt.main_by_rank).gather(pl.col("best_main")).alias("best_main"),
                   pl.when(mos != "").then(mos).alias("mos_dc"))
    trauma = pl.col("trauma").fill_null(0)
    out = ok.lazy().select(
        "_idx", pl.col("pdc").alias("pdx_pdc"), pl.col("mdc").alias("pdx_mdc"),
        pl.col("mos").fill_null(False).alias("pdx_mos"), trauma.alias("pdx_trauma"),
        "age", "age_days", pl.col("discharge_type").str.strip_chars().str.strip_chars_start("0").alias("discharge"),
        _los().alias("los"), pl.col("admit_weight").alias("weight"), *(f"a{n}" for n in range(count)))
    out = out.join(per_case, on="_idx", how="left").select(
        "_idx", "pdx_pdc", "pdx_mdc", "pdx_mos", "age", "age_days", "discharge", "los", "weight",
        *((pl.col(f"a{n}") | pl.col(f"x{n}").fill_null(0)).alias(w)
          for n, w in enumerate(words)),
        pl.col("or_group").fill_null(0), "best_main", pl.col("best_mdcs").fill_null(0), "mos_dc",
        pl.col("sdx_mdcs").fill_null(0),
        ((pl.col("pdx_trauma") != 0) & (pl.col("other_site").fill_null(False)
                                         | pl.col("many_sites").fill_null(False))).alias("multiple_trauma"))
    # Polars' streaming engine ORs per group in one pass where the in-memory one goes group by group (this query
    # cost about twice as much in memory)
    facts = out.collect(engine="streaming")
    # An OR procedure may make a secondary diagnosis principal (Volume 1 p. 122): the case's highest code of the one
    # MDC its top OR procedures share with its secondary diagnoses. `decide` asks only for that MDC (`mdc_bit`, a
    # single bit of `best_mdcs & sdx_mdcs`, which a swap does not change), so only those cases' codes of that MDC are
    # read (every case with an OR procedure, per MDC: 7.4 ms of a 100,000-case chunk)
    both = pl.col("best_mdcs") & pl.col("sdx_mdcs")
    shared = facts.lazy().filter((both != 0) & ((both & (both - 1)) == 0)).select("_idx", both.alias("mdc_bit"))
    of_mdc = s.join(shared, on="_idx").filter(pl.col("mdc_mask") == pl.col("mdc_bit"))
    chosen = of_mdc.group_by("_idx").agg(pl.col("code_id").max()).join(
        of_mdc.select("_idx", "code_id", "code", "pdc", "mdc", "mdc_bit"), on=["_idx", "code_id"])
    swaps = chosen.join(vt.pdx_ax_words, on="code", how="left").select(
        "_idx", "mdc_bit", pl.col("mdc").alias("new_mdc"), pl.col("pdc").alias("new_pdc"),
        *(pl.col(f"a{n}").fill_null(0) for n in range(count)))
    return facts, swaps.collect(engine=ENGINE)


def _planned(cases: pl.DataFrame, decided: pl.DataFrame, vt: VectorTables) -> pl.DataFrame:
    """The cases `decided` by the compiled rules (`move` false; `cases`: their columns KEYED reads) with how their
    DRG is chosen (`grouper.severity_plan`, once per DC) and the approximations said, as `_decided_per_key` gives
    them; KEYED's columns. One query from the decisions' join to the plans' (three eager steps cost a fifth more)."""
    rows = decided.lazy().filter(~pl.col("move"))
    dcs = rows.filter(pl.col("d_drg").is_null()).select(pl.col("d_dc").unique()).collect(engine=ENGINE).get_column(
        "d_dc").to_list()
    for dc in dcs:
        if dc not in vt.plans:
            vt.plans[dc] = g.severity_plan(vt.tables, dc)
    plans = pl.DataFrame([(dc, *vt.plans[dc]) for dc in dcs], orient="row",
                         schema={"d_dc": pl.String, "p_plan": pl.String, "p_drg": pl.String, "p_why": pl.String})
    rows = cases.lazy().join(rows, on="_idx").join(plans.lazy(), on="d_dc", how="left")
    by_rule, guess = pl.col("d_drg").is_not_null(), pl.col("p_plan") == "pcl_guess"
    approx = pl.concat_str(
        [pl.when(pl.col("d_approx") != "").then(pl.col("d_approx")),
         pl.when((pl.col("d_mdc") == "15") & pl.col("admit_weight").is_null()).then(pl.lit(g.NO_WEIGHT)),
         pl.when(~by_rule & guess).then(pl.col("p_why"))], separator="; ", ignore_nulls=True)
    return rows.with_columns(
        pl.when(by_rule).then(pl.lit("drg")).when(guess).then(pl.lit("pcl")).otherwise(pl.col("p_plan"))
        .alias("plan"),
        pl.when(by_rule).then(pl.col("d_drg")).otherwise(pl.col("p_drg")).alias("d_drg"),
        pl.when(by_rule).then(pl.col("d_why")).otherwise(pl.col("p_why")).alias("d_why"),
        approx.fill_null("").alias("approx")).select(KEYED).collect(engine=ENGINE)


def _decided_per_key(ok: pl.DataFrame, sdx: pl.DataFrame, procs: pl.DataFrame, vt: VectorTables) -> pl.DataFrame:
    """The decision of cases the compiled rules leave to the interpreter: each is reduced to the facts the rules
    can read, and `grouper.decide_dc` decides once per distinct set (cached per process)."""
    tables = vt.tables
    any_or = procs.filter(pl.col("or_group")).select("_idx").unique().with_columns(pl.lit(True).alias("any_or"))
    rel_sdx = sdx.join(any_or, on="_idx", how="left").filter(pl.col("relevant") | pl.col("any_or").fill_null(False))
    # an OR procedure may move the case to a secondary diagnosis (its code then matters); else its facts do
    rel_sdx = rel_sdx.with_columns(pl.when(pl.col("any_or").fill_null(False)).then(pl.col("code"))
                                   .otherwise(pl.col("sdx_rep")).alias("code"))
    weight = pl.col("admit_weight")
    keyed = ok.select(
        "_idx", "pdx_code", "pdx_rep", "sexkey", "dcl_main", "code_id", "maincc_id", "dcl_row",
        _bucket(pl.col("age"), vt.age_cuts).alias("age"),
        pl.when(pl.col("age") == 0).then(pl.when(pl.col("age_days") < 28).then(0).otherwise(28)).alias("days_key"),
        pl.col("discharge_type").str.strip_chars().str.strip_chars_start("0").alias("discharge_key"),
        _bucket(_los(), vt.los_cuts).alias("los_key"),
        pl.when(weight.is_null()).then(-1).when(weight <= 999).then(0).when(weight <= 1499).then(1000)
        .when(weight <= 2499).then(1500).otherwise(2500).alias("weight_key"))
    keyed = keyed.join(_joined(rel_sdx, "sdx_key"), on="_idx", how="left").join(
        _joined(procs.filter(pl.col("relevant")), "proc_key"), on="_idx", how="left").with_columns(
        pl.col("sdx_key").fill_null(""), pl.col("proc_key").fill_null(""))
    key = ["pdx_rep", "sexkey", "age", "days_key", "discharge_key", "los_key", "weight_key", "sdx_key", "proc_key"]
    decided = []
    cache = vt.decisions  # per process: later chunks meet many of the same sets of facts
    for facts in keyed.select(key).unique().iter_rows():
        if facts in cache:
            decided.append(cache[facts])
            continue
        pdx_code, sexkey, age, days, discharge, los_key, weight_key, sdx_key, proc_key = facts
        sex = sexkey or None
        d = g.decide_dc(tables, pdx_code=pdx_code, sex=sex, sdx=[x for x in sdx_key.split(";") if x],
                        procs=[x for x in proc_key.split(";") if x], age=age, age_days=days, discharge_type=discharge,
                        los=los_key, weight=None if weight_key == -1 else weight_key)
        approximate = list(d.approximate)
        if d.mdc == "15" and weight_key == -1:
            approximate.append(g.NO_WEIGHT)
        if d.drg:
            plan, drg, why = "drg", d.drg, (d.steps[-1][2] if d.drg.startswith("265") else "")
        else:
            plan, drg, why = g.severity_plan(tables, d.dc)
            if plan == "pcl_guess":
                plan, approximate = "pcl", [*approximate, why]
        cache[facts] = (*facts, d.mdc, d.dc or drg[:4], plan, drg, why, "; ".join(approximate))
        decided.append(cache[facts])
    schema = {**{k: keyed.schema[k] for k in key}, "d_mdc": pl.String, "d_dc": pl.String, "plan": pl.String,
              "d_drg": pl.String, "d_why": pl.String, "approx": pl.String}
    decisions = pl.DataFrame(decided, schema=schema, orient="row")
    return keyed.join(decisions, on=key, how="left", nulls_equal=True)


def _by_idx(idx: pl.Series, values: pl.Series, default: Any, read: pl.Series) -> pl.Series:
    """`values` placed at their cases' `idx`, `default` elsewhere, long enough to be gathered by every `_idx` of
    `read`: a look-up by position, which `group_arrow`'s numbering (a chunk's rows 0 to n - 1) allows, instead of
    a join on `_idx`."""
    size = max(idx.max() or 0, read.max() or 0) + 1  # type: ignore[operator]
    return pl.Series(values.name, [default], dtype=values.dtype).extend_constant(default, size - 1).scatter(
        idx, values)


def _pcl(split: pl.DataFrame, sdx: pl.DataFrame, vt: VectorTables) -> pl.DataFrame:
    """(`_idx`, `pcl`) of cases with a DC split by severity: what `grouper.pcl_of` gives, for all of them. The
    case's codes with a DCL > 0 in its DC are ordered high to low (equal levels: the higher code first, as
    `manual.order`); the exclusion walk (`manual.exclude`) runs position by position — a code is dropped when
    an earlier code still kept excludes it (c63ccex by its MAINCC) — and `manual.pcl` sums the kept levels once
    per distinct sequence of levels. Cases without such a code have no row."""
    if split.height == 0:
        return pl.DataFrame(schema={"_idx": split.schema["_idx"], "pcl": pl.Int64})
    # the DC's position in the DCL digits, per split case, then per secondary diagnosis gathered by its case's
    # `_idx` (0 to the chunk's rows - 1): joining the diagnoses with the cases by `_idx`, and the DCs by text, cost
    # twice as much (10.3 against 5.3 ms per 100,000 cases). -1: a DC without DCL digits, or not a split case.
    at = split.get_column("d_dc").replace_strict(dict(vt.dcl_at.collect().iter_rows()), default=-1,
                                                 return_dtype=pl.Int64)
    at_of_case = _by_idx(split.get_column("_idx"), at, -1, sdx.get_column("_idx"))
    # numbers only, but the DCLMAIN text when the digits are read as text: the codes' text carried through every step
    # below cost 2.5 ms a chunk
    columns = ["_idx", "dcl_row", "maincc_id", "code_id", *(["dcl_main"] if vt.dcl_levels is None else [])]
    located = pl.concat([
        split.lazy().select(*columns, at.alias("at")),
        sdx.lazy().select(*columns, pl.lit(at_of_case).gather(pl.col("_idx")).alias("at"))]).filter(pl.col("at") >= 0)
    if vt.dcl_levels is not None:
        located = located.filter(pl.col("dcl_row").is_not_null()).with_columns(
            (pl.col("dcl_row").cast(pl.Int64) * vt.dcl_width + pl.col("at")).alias("flat")).collect(engine="streaming")
        levels = located.with_columns(vt.dcl_levels.gather(located.get_column("flat")).cast(pl.Int64))
    else:
        digit = pl.col("digits").str.slice(pl.col("at"), 1)
        levels = located.join(vt.dcl_digits, on="dcl_main").with_columns(
            digit.cast(pl.Int64, strict=False).alias("level")).collect(engine=ENGINE)  # one character: null unless 0–9
    # equal levels: the higher code first; code numbers (`code_id`) are ranks in the codes' byte order
    levels = levels.filter(pl.col("level") > 0)
    ids = levels.get_column("code_id")
    if ids.null_count() == 0 and (ids.max() or 0) < 1 << 24 and (ids.min() or 0) >= 0:  # type: ignore[operator]
        # the three keys as one integer: one Int64 sort instead of three columns' (a third of the PCL's sort)
        order = (pl.col("_idx").cast(pl.Int64) * (1 << 28) + (15 - pl.col("level")) * (1 << 24)
                 + ((1 << 24) - 1 - pl.col("code_id")))
        levels = levels.sort(order).with_columns(pl.col("_idx").set_sorted())  # the sort's major key
    else:
        levels = levels.sort(["_idx", "level", "code_id"], descending=[False, True, True])
    # each code's position in its case, from the sort by case (a window per case cost five times more)
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    first = pl.when((pl.col("_idx") != pl.col("_idx").shift(1)).fill_null(True)).then(row)
    levels = levels.with_columns((row - first.forward_fill()).alias("pos"))
    # a code's `row` in `levels`: the codes dropped are removed by position (an anti-join on the case and position
    # cost 2.5 ms more a chunk)
    many = levels.with_row_index("row").filter(
        (pl.col("pos") > 0) | (pl.col("_idx") == pl.col("_idx").shift(-1)).fill_null(False))
    pairs = many.select("_idx", "pos", "row", "maincc_id").join(
        many.select("_idx", pl.col("pos").alias("by"), pl.col("code_id").alias("by_id")), on="_idx").filter(
        pl.col("by") < pl.col("pos")).with_columns(
        (pl.col("maincc_id") * (1 << 32) + pl.col("by_id")).fill_null(-1).alias("key"))
    pairs = pairs.filter(vt.ccex.contains(pairs.get_column("key"))).select("_idx", "pos", "row", "by")
    dropped = pairs.clear().select("_idx", "pos", "row")
    for at in sorted(pairs.get_column("pos").unique().to_list()):
        # excluded by an earlier code that was itself kept
        by_kept = pairs.filter(pl.col("pos") == at).join(dropped.select("_idx", pl.col("pos").alias("by")),
                                                         on=["_idx", "by"], how="anti")
        dropped = pl.concat([dropped, by_kept.select("_idx", "pos", "row").unique()])
    if dropped.height:
        levels = levels.filter(pl.repeat(True, levels.height, eager=True).scatter(dropped.get_column("row"), False))
    if levels.height == 0:
        return pl.DataFrame(schema={"_idx": split.schema["_idx"], "pcl": pl.Int64})
    # A case's kept levels (1–9), in position order, as one integer: level × 10^position summed. Positions are
    # renumbered after the exclusions; a case keeping more than 18 codes would overflow: the rare chunk with
    # one is keyed by text instead.
    rank = pl.int_range(pl.len(), dtype=pl.Int64)
    first = pl.when((pl.col("_idx") != pl.col("_idx").shift(1)).fill_null(True)).then(rank)
    levels = levels.with_columns((rank - first.forward_fill()).alias("pos"))
    if levels.get_column("pos").max() < DIGITS:  # type: ignore[operator]
        # the terms computed before the group-by: its plain sum is Polars' fast path (an expression per group is not)
        kept = levels.select("_idx", (pl.col("level") * POWERS.gather(pl.col("pos"))).alias("levels")).group_by(
            "_idx").agg(pl.col("levels").sum())
        sequences = {key: [int(d) for d in reversed(str(key))] for key in kept.get_column("levels").unique()}
    else:  # rows are in position order, which group_by keeps within a group
        kept = levels.group_by("_idx").agg(pl.col("level").cast(pl.String).str.join(",").alias("levels"))
        sequences = {key: [int(n) for n in key.split(",")] for key in kept.get_column("levels").unique()}
    sums = {}
    for key, sequence in sequences.items():
        text = ",".join(map(str, sequence))
        sums[key] = vt.pcls.get(text)
        if sums[key] is None:
            sums[key] = vt.pcls[text] = manual_rules.pcl(sequence)
    return kept.select("_idx", pl.col("levels").replace_strict(sums, return_dtype=pl.Int64).alias("pcl"))


DIGITS = 18  # kept levels per case that fit one Int64 key (level × 10^position)
POWERS = pl.lit(pl.Series([10 ** n for n in range(DIGITS)], dtype=pl.Int64))  # 10^position, gathered
LEVEL_OF_BYTE = bytes(b - 48 if 48 <= b <= 57 else 0 for b in range(256))  # "0"–"9" → 0–9, anything else → 0


PDX_READ = ["code", "sexkey", "mdc", "pdc", "maincc_id", "code_id", "row_sex", "acceptable", "age_min", "age_max",
            "age_days_min", "dcl_main", "dcl_row", "mos", "trauma", "pdx_rep"]
KEYED = ["_idx", "pdx_code", "sexkey", "dcl_main", "code_id", "maincc_id", "dcl_row", "d_mdc", "d_dc", "plan", "d_drg",
         "d_why", "approx"]


def _manual_own(c: pl.LazyFrame, vt: VectorTables) -> pl.LazyFrame:
    """own_drg, own_exact, own_reason, own_mdc, own_dc of every case by the manual's logic: the rules compiled to
    expressions decide every case at once (`logic_columns.decide`), except those an OR procedure moves among
    several MDCs, which `grouper.decide_dc` decides once per distinct set of facts (`_decided_per_key`); the PCL
    of every case whose DC is split by severity comes from `_pcl`."""
    tables = vt.tables
    ok = c.filter(pl.col("edit_drg").is_null()).collect(engine=ENGINE)
    sdx, procs = _valid_codes(ok.lazy(), vt)
    facts, swaps = _facts(ok, sdx, procs, vt)
    decided = logic_columns.decide(facts, vt.rules, swaps)
    moved = decided.filter(pl.col("move")).select("_idx")
    # what _planned reads, and the principal diagnosis's numbers the PCL reads (carried: no join back to `ok`)
    planned = ok.select("_idx", "pdx_code", "sexkey", "dcl_main", "admit_weight", "code_id", "maincc_id", "dcl_row")
    keyed = pl.concat([
        _planned(planned, decided, vt),
        _decided_per_key(ok.join(moved, on="_idx", how="semi"), sdx.join(moved, on="_idx", how="semi"),
                         procs.join(moved, on="_idx", how="semi"), vt).select(KEYED)])
    # the PCL of cases whose DC is split by severity
    split = keyed.filter(pl.col("plan") == "pcl")
    per_case = _pcl(split, sdx, vt)
    # joined on the three columns they read, in `keyed`'s order, then put beside it: joining `keyed` itself copied
    # every one of its columns twice. A case's PCL is gathered by its `_idx` (0 to the chunk's rows - 1) instead of
    # joined: the query 8.7 -> 4.0 ms a chunk.
    pcl_of_case = _by_idx(per_case.get_column("_idx"), per_case.get_column("pcl"), 0, keyed.get_column("_idx"))
    pcls = keyed.lazy().select(
        "d_dc", pl.when(pl.col("plan") == "pcl").then(pl.lit(pcl_of_case).gather(pl.col("_idx"))).alias("pcl")).join(
        vt.pcl_drgs, left_on=["d_dc", "pcl"], right_on=["dc", "pcl"], how="left", maintain_order="left").select(
        "pcl", "pcl_drg").collect(engine=ENGINE)
    keyed = keyed.hstack(pcls)
    # no range of the DC holds the PCL: the per-case words, for these rare rows. Found on two columns, and their
    # words an expression of `own` (filtering `keyed` and adding a column of nulls to it: 15.4-18.6 -> 12.3-16.0 ms
    # from here to `own`).
    uncovered = (keyed.get_column("plan") == "pcl") & pcls.get_column("pcl_drg").is_null()
    uncovered_why = pl.lit(None, pl.String)
    if uncovered.any():
        fixes = {}
        for row in keyed.filter(uncovered).iter_rows(named=True):
            codes_of = sdx.filter(pl.col("_idx") == row["_idx"]).get_column("code").to_list()
            fixes[row["_idx"]] = g.severity(tables, row["d_dc"], row["pdx_code"], codes_of, row["sexkey"] or None)[1]
        uncovered_why = pl.col("_idx").replace_strict(fixes, default=None, return_dtype=pl.String)
    error = (pl.col("plan") == "none") | ((pl.col("plan") == "pcl") & pl.col("pcl_drg").is_null()) | (
        (pl.col("plan") == "drg") & pl.col("d_drg").str.starts_with("265"))
    drg = (pl.when(pl.col("plan") == "pcl").then(pl.col("pcl_drg")).otherwise(pl.col("d_drg")))
    # lazy: Polars' eager select does not compute `error` and the plan's tests once for all the columns (no common
    # subexpressions), the lazy one does (11.6-16.7 -> 8.3-11.1 ms per 100,000-case chunk)
    own = keyed.lazy().select(
        "_idx",
        pl.when(error & (pl.col("plan") != "drg")).then(pl.lit(g.UNGROUPABLE)).otherwise(drg).alias("m_drg"),
        pl.when(error).then(pl.lit(True)).otherwise(pl.col("approx") == "").alias("m_exact"),
        pl.when(pl.col("plan") == "none").then(pl.col("d_why"))
        .when(error & (pl.col("plan") == "pcl")).then(uncovered_why)
        .when(error).then(pl.col("d_why"))
        .when(pl.col("approx") == "").then(pl.lit(g.DECIDED)).otherwise(pl.col("approx")).alias("m_reason"),
        pl.when(error).then(pl.lit("26")).otherwise(pl.col("d_mdc")).alias("m_mdc"),
        pl.when(error & (pl.col("plan") != "drg")).then(pl.lit(g.UNGROUPABLE[:4]))
        .when(error).then(pl.col("d_drg").str.slice(0, 4)).otherwise(pl.col("d_dc")).alias("m_dc")
    ).collect(engine=ENGINE)
    # put beside the cases by position: each case's row of `own` gathered by its `_idx` (null for a case the edits
    # decided), instead of a left join on `_idx` (with `_finish`, 9.9-10.0 -> 5.9-6.0 ms a chunk). Gathered eagerly:
    # in a lazy query, `pl.lit` of `own`'s columns when it is empty were taken for one another (a String for a
    # Boolean), Polars 2.1.
    cases = c.collect(engine=ENGINE)  # already in memory (`group_frame`)
    row_of_case = _by_idx(own.get_column("_idx"), pl.int_range(own.height, dtype=pl.UInt32, eager=True), None,
                          cases.get_column("_idx"))
    at = row_of_case.gather(cases.get_column("_idx"))
    c = cases.hstack(own.drop("_idx").select(pl.all().gather(at)).get_columns()).lazy()
    return c.with_columns(
        pl.coalesce("edit_drg", "m_drg").alias("own_drg"),
        pl.when(pl.col("edit_drg").is_not_null()).then(pl.lit(True)).otherwise(pl.col("m_exact")).alias("own_exact"),
        pl.coalesce("edit_why", "m_reason").alias("own_reason"),
        pl.when(pl.col("edit_drg").is_not_null()).then(pl.lit("26")).otherwise(pl.col("m_mdc")).alias("own_mdc"),
        pl.when(pl.col("edit_drg").is_not_null()).then(pl.col("edit_drg").str.slice(0, 4))
        .otherwise(pl.col("m_dc")).alias("own_dc"))


def group_frame(frame: pl.DataFrame, vt: VectorTables, normal: Collection[str] = ()) -> pl.DataFrame:
    """Group parsed clean rows (`_parse`); one output row per input row, in `_idx` order. `normal`: code columns
    known to hold no character that normalising changes (`_normal`)."""
    c = frame.lazy().with_columns(_normalised(frame, "pdx", "pdx" in normal).alias("pdx_code"),
                                  _normalised(frame, "sdx", "sdx" in normal),
                                  _normalised(frame, "proc", "proc" in normal),
                                  pl.col("sex").fill_null(0).alias("sexkey"))
    manual = vt.tables.manual is not None
    c = c.join(vt.pdx_rows.rename({"code": "pdx_code"}), on=["pdx_code", "sexkey"], how="left")
    c = _case_rules(c, vt).collect(engine=ENGINE).lazy()  # used three times below: computed once
    c = _manual_own(c, vt) if manual else _approximate_own(c, vt)
    return _finish(c, vt)


def _approximate_own(c: pl.LazyFrame, vt: VectorTables) -> pl.LazyFrame:
    """own_* columns without the manual's files: the grouper's approximations (`grouper._group_without_manual`)."""
    c = c.join(_cc_counts(c.filter(pl.col("edit_drg").is_null()), vt), on="_idx", how="left")
    c = c.join(_procedures(c.filter(pl.col("edit_drg").is_null()), vt), on="_idx", how="left")
    # a case's best procedure is a rank: its DC is the rank-th entry of the ranked list
    pre_dc = pl.lit(pl.Series(vt.pre_dc_by_rank or [""], dtype=pl.String)).gather(pl.col("pre_best").fill_null(0))
    mos_dc = pl.lit(pl.Series(vt.mos_dc_by_rank or [""], dtype=pl.String)).gather(pl.col("mos_best").fill_null(0))
    or_dc = pl.lit(pl.Series(vt.or_dc_by_rank or [""], dtype=pl.String)).gather(pl.col("or_best").fill_null(0))
    any_or = pl.col("any_or").fill_null(False)
    weight = pl.col("admit_weight")
    band = (pl.when(weight.is_null()).then(3).when(weight < 1000).then(0).when(weight < 1500).then(1)
            .when(weight < 2500).then(2).otherwise(3))
    newborn = (pl.col("age") == 0) & pl.col("age_days").is_not_null() & (pl.col("age_days") < 28)
    newborn_dc = (pl.when(any_or).then(pl.lit("15") + pl.concat_str(pl.lit("0"), (band * 2 + 3).cast(pl.String)))
                  .otherwise(pl.lit("155") + (band + 1).cast(pl.String)))
    has_pre = pl.col("pre_best").is_not_null()
    related = pl.col("any_related").fill_null(False)
    has_mos = pl.col("mos_best").is_not_null()
    c = c.with_columns(
        pl.when(has_pre).then(pl.lit("00")).when(newborn).then(pl.lit("15"))
        .when(related).then(pl.col("mdc")).when(has_mos | any_or).then(pl.lit("26")).otherwise(pl.col("mdc"))
        .alias("own_mdc"),
        pl.when(has_pre).then(pre_dc).when(newborn).then(newborn_dc).when(related).then(pl.col("surgical_dc"))
        .when(has_mos).then(mos_dc).when(any_or).then(or_dc).otherwise(pl.col("medical_dc")).alias("own_dc"),
        pl.when(has_pre).then(pl.lit(PRE_MDC)).when(newborn).then(pl.lit(NEWBORN)).when(related)
        .then(pl.lit(SURGICAL)).when(has_mos | any_or).then(pl.lit("")).otherwise(pl.col("medical_why"))
        .alias("approx"),
        pl.col("ncc").fill_null(0).clip(0, 9).alias("ncc_key"))
    c = c.join(vt.severity, left_on=["own_dc", "ncc_key"], right_on=["dc", "ncc"], how="left")
    no_dc = pl.col("edit_drg").is_null() & pl.col("own_drg").is_null()
    approx, split = pl.col("approx"), pl.col("split").fill_null(False)
    joined = (pl.when(~split).then(approx).when(approx == "").then(pl.lit(SEVERITY))
              .otherwise(pl.concat_str(approx, pl.lit("; " + SEVERITY))))
    error_drg = pl.coalesce(pl.col("edit_drg"), pl.when(no_dc).then(pl.lit(g.UNGROUPABLE)))
    c = c.with_columns(
        pl.coalesce(error_drg, pl.col("own_drg")).alias("own_drg"),
        pl.when(error_drg.is_not_null()).then(pl.lit(True)).otherwise(joined == "").alias("own_exact"),
        pl.when(pl.col("edit_drg").is_not_null()).then(pl.col("edit_why"))
        .when(no_dc).then(pl.concat_str(pl.lit("no DC "), pl.col("own_dc"), pl.lit(f" in TDRG {vt.version}")))
        .when(joined == "").then(pl.lit(DECIDED)).otherwise(joined).alias("own_reason"),
        pl.when(error_drg.is_not_null()).then(pl.lit("26")).otherwise(pl.col("own_mdc")).alias("own_mdc"),
        pl.when(error_drg.is_not_null()).then(error_drg.str.slice(0, 4)).otherwise(pl.col("own_dc")).alias("own_dc"))
    return c


def _finish(c: pl.LazyFrame, vt: VectorTables) -> pl.DataFrame:
    """The hospital's DRG (`grouper._hospital`), the length of stay and the weighing errors."""
    c = c.with_columns(pl.col("drg").str.strip_chars(" ").alias("hosp")).join(vt.drgs, on="hosp", how="left")
    given = pl.col("hosp") != ""
    exists = given & pl.col("hosp_mdc").is_not_null()
    ours_stand = pl.col("own_exact") | pl.col("own_drg").str.starts_with("265")
    accepted = exists & ~ours_stand
    c = c.with_columns(
        pl.when(accepted).then(pl.col("hosp")).otherwise(pl.col("own_drg")).alias("out_drg"),
        pl.when(accepted).then(pl.lit(True)).otherwise(pl.col("own_exact")).alias("exact"),
        pl.when(accepted).then(pl.lit(HOSPITAL)).otherwise(pl.col("own_reason")).alias("reason"),
        pl.when(accepted).then(pl.col("hosp_mdc")).otherwise(pl.col("own_mdc")).alias("mdc_out"),
        pl.when(accepted).then(pl.col("hosp_dc")).otherwise(pl.col("own_dc")).alias("dc_out"),
        pl.when(accepted).then(pl.lit("hospital")).otherwise(pl.lit("openuhc")).alias("source"),
        pl.when(accepted).then(pl.col("own_drg")).alias("own_drg_out"),
        pl.when(accepted & (pl.col("hosp") != pl.col("own_drg"))).then(pl.concat_str(
            pl.lit("our grouping gives "), pl.col("own_drg"), pl.lit(" (approximate: "), pl.col("own_reason"),
            pl.lit(")")))
        .when(exists & (pl.col("hosp") != pl.col("own_drg"))).then(pl.concat_str(
            pl.lit("hospital DRG "), pl.col("hosp"), pl.lit("; our grouping gives "), pl.col("own_drg"),
            pl.lit(" (exact)")))
        .when(given & ~exists).then(pl.concat_str(pl.lit("hospital DRG "), pl.col("hosp"),
                                                    pl.lit(f" does not exist in TDRG {vt.version}")))
        .alias("disagreement"))
    # length of stay and the weighing errors (grouper._weigh)
    los = ((pl.col("discharge_date") - pl.col("admit_date")).dt.total_days() - pl.col("leave_days").fill_null(0))
    dates = pl.col("admit_date").is_not_null() & pl.col("discharge_date").is_not_null()
    c = c.with_columns(pl.when(dates & (los >= 0)).then(los).alias("los"),
                       pl.when(~dates).then(pl.lit("dates_missing")).when(los < 0).then(pl.lit("negative_los"))
                       .alias("error"))
    return c.select("_idx", pl.col("out_drg").alias("drg"), "los", "exact", "reason", pl.col("mdc_out").alias("mdc"),
                    pl.col("dc_out").alias("dc"), "source", pl.col("own_drg_out").alias("own_drg"), "disagreement",
                    "error").sort("_idx").collect(engine=ENGINE)


RESULT_COLUMNS = ["drg", "los", "exact", "reason", "mdc", "dc", "source", "own_drg", "disagreement", "error"]
STRINGS = ["drg", "reason", "mdc", "dc", "source", "own_drg", "disagreement", "error"]


def group_arrow(table: pa.Table, tables: LoadedTables, *,
                schedule: list[dict[str, Any]] | None = None) -> dict[str, pa.Array] | None:
    """The result columns (drg, rw, adjrw, los, exact, reason, mdc, dc, source, own_drg, disagreement,
    error) for every row of `table`, in order; None when a column's type is one only the per-case path reads."""
    if not _supported(table.schema):
        return None
    vt = tables.vector
    wanted = [n for n in (*INT_COLUMNS, *DATE_COLUMNS, *CODE_COLUMNS, "discharge_type") if n in table.schema.names]
    frame = pl.from_arrow(table.select(wanted)) if wanted else pl.DataFrame(height=table.num_rows)
    assert isinstance(frame, pl.DataFrame)
    frame = frame.with_row_index("_idx")
    # a column the input lacks is "" (`_parse`): normal
    normal = {n for n in CODE_COLUMNS if n not in table.schema.names or _normal(table.column(n))}
    parsed, clean = _parse(frame, normal)
    rows = parsed.filter(clean)
    out = group_frame(rows, vt, normal)
    # the weighing rule of each row's discharge date (`adjrw.key_on`), by its distinct dates; `group_frame` gives
    # one row per row, in order, so the dates line up without a join
    dates = rows.get_column("discharge_date")
    keys = {d: key_on(schedule, d) for d in dates.unique().to_list()}
    rules = set(keys.values())
    # one rule for every date (most batches): a constant, not a text per row (a row without a date is not weighed)
    wkey = pl.lit(rules.pop()) if len(rules) == 1 else dates.replace_strict(
        keys, default=key_on(schedule, None), return_dtype=pl.String)
    out = out.with_columns(wkey.alias("wkey"))
    # weights: Decimal on the distinct (DRG, LOS, rule) triples, then back to the rows by a join
    weigh = out.lazy().filter(pl.col("error").is_null() & pl.col("drg").is_not_null())
    pairs = vt.weight_frame(weigh.select("drg", "los", "wkey").unique().collect(engine=ENGINE))
    out = out.lazy().join(pairs.lazy(), on=["drg", "los", "wkey"], how="left", nulls_equal=False,
                          maintain_order="left").with_columns(
        pl.when(pl.col("error").is_null()).then(pl.col("rw")).alias("rw"),
        pl.when(pl.col("error").is_null()).then(pl.col("adjrw")).alias("adjrw"),
        pl.when(pl.col("error").is_null() & ~pl.col("_known").fill_null(True)).then(pl.lit("unknown_drg"))
        .otherwise(pl.col("error")).alias("error")).collect(engine=ENGINE)
    # rows the columnar parser does not read exactly as Python would: the per-case grouper
    odd = (~clean).arg_true().to_list()
    if odd:
        results = [g.group_row(row, tables, schedule) for row in table.take(odd).to_pylist()]
        extra = pl.DataFrame({
            "_idx": odd, "drg": [r.drg or None for r in results], "rw": [r.rw for r in results],
            "adjrw": [r.adjrw for r in results], "los": [r.los for r in results],
            "exact": [r.exact for r in results], "reason": [r.reason for r in results],
            "mdc": [r.mdc or None for r in results], "dc": [r.dc or None for r in results],
            "source": [r.source for r in results], "own_drg": [r.own_drg or None for r in results],
            "disagreement": [r.disagreement or None for r in results], "error": [r.error or None for r in results]},
            schema={"_idx": pl.UInt32, "drg": pl.String, "rw": DECIMAL, "adjrw": DECIMAL, "los": pl.Int64,
                    "exact": pl.Boolean, "reason": pl.String, "mdc": pl.String, "dc": pl.String, "source": pl.String,
                    "own_drg": pl.String, "disagreement": pl.String, "error": pl.String})
        out = pl.concat([out.select(extra.columns).cast(extra.schema), extra]).sort("_idx")  # type: ignore[arg-type]
    result = out.select(["rw", "adjrw", *RESULT_COLUMNS]).with_columns(pl.col("los").cast(pl.Int32)).to_arrow()
    columns: dict[str, pa.Array] = {}
    for name in ["rw", "adjrw", *RESULT_COLUMNS]:
        column = result.column(name).combine_chunks()
        kind = (pa.decimal128(9, 4) if name in ("rw", "adjrw") else pa.string() if name in STRINGS
                else pa.int32() if name == "los" else pa.bool_())
        columns[name] = _narrowed(column) if kind == pa.string() else column if column.type == kind else column.cast(
            kind)
    return columns


def _narrowed(column: pa.Array) -> pa.Array:
    """Polars' text (`large_string`) as the output's `string`, without `Array.cast`: a cast imports
    pyarrow.compute, about 30 ms of CPU that a worker process paid for these casts alone. The same validity and
    bytes; the offsets narrowed to 32 bits by Polars (a table, not an array, goes to Polars without
    pyarrow.compute). Anything else, or text past 32-bit offsets, is cast (which refuses the latter too)."""
    validity, offsets, data = column.buffers() if column.type == pa.large_string() else (None, None, None)
    if offsets is None or data is None or column.offset != 0:
        return column.cast(pa.string())
    wide = pa.Array.from_buffers(pa.int64(), len(column) + 1, [None, offsets])
    narrow = pl.from_arrow(pa.table({"offsets": wide})).get_column("offsets")  # type: ignore[union-attr]
    if (narrow.max() or 0) >= 1 << 31:  # type: ignore[operator]
        return column.cast(pa.string())
    narrow = narrow.cast(pl.Int32).to_arrow()
    if narrow.offset != 0 or narrow.null_count:
        return column.cast(pa.string())
    return pa.Array.from_buffers(pa.string(), len(column), [validity, narrow.buffers()[1], data],
                                 null_count=column.null_count)
