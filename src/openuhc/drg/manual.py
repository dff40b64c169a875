"""The TDRG manual's tables that the four DBFs lack, installed beside them, and the severity rule they serve.

A table set may bring, in its folder or in a `manual/` sub-folder, the facts of the TDRG 6.3 manual:

- `dcl.json`      — appendix F1: the complexity level (DCL, 0–5) of each diagnosis (by its c63i10 DCLMAIN) in
                    each DC: {"dcs": [DC, ...], "codes": {DCLMAIN: "digits in the order of dcs"}};
- `dc_pcl_drg.csv`— Volume 2: the DRG chosen by the case's PCL within its DC (drg, dc, pcl_min, pcl_max);
- `proc_pdc.csv`  — Volume 2: the procedure clusters of each MDC (mdc, proc, pdc), e.g. 3961 → 5PC;
- `dx_ax.csv`, `proc_ax.csv` — Volume 2: the named diagnosis (AX) and procedure (PAX) lists DC conditions use.

`openuhc tables install` copies them into the set's cache (`manual/`), versioned with the DBFs (their checksums
are part of the set's key and record). Without them the grouper works as before and says which steps are
approximate.

PCL (Volume 1 pp. 170–171): the DCL in the case's DC of the principal and of every secondary diagnosis,
sorted high to low (ties: the higher code first); a code whose complication group (MAINCC) is excluded with
an earlier code that is kept does not count (c63ccex, applied down the list, so a dropped code excludes
nothing); PCL = round-half-up(Σ DCL_i × 0.82^(i−1)), at most 9.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from pathlib import Path

from openuhc.core.errors import Coded, DomainError

FILES = ("dcl.json", "dc_pcl_drg.csv", "proc_pdc.csv", "dx_ax.csv", "proc_ax.csv")
DECAY = Decimal("0.82")
MAX_PCL = 9
_POWERS = [DECAY ** i for i in range(64)]


class ManualError(Coded):
    INCOMPLETE = ("tables_manual_incomplete",
                  "{folder} has some of the manual's files but not {missing}: give all five or none.",
                  "{folder} มีแฟ้มจากคู่มือบางแฟ้ม แต่ไม่มี {missing}: ต้องมีครบทั้งห้าแฟ้ม หรือไม่มีเลย")
    UNREADABLE = ("tables_manual_unreadable", "{file} cannot be read: {reason}", "อ่านแฟ้ม {file} ไม่ได้: {reason}")


def find(folder: Path) -> Path | None:
    """The folder holding all five manual files: `folder` itself or `folder/manual`; None when neither has any."""
    for place in (folder, folder / "manual"):
        present = [name for name in FILES if (place / name).is_file()]
        if len(present) == len(FILES):
            return place
        if present:
            missing = ", ".join(name for name in FILES if name not in present)
            raise DomainError(ManualError.INCOMPLETE, folder=str(place), missing=missing)
    return None


def copy(source: Path, target: Path) -> None:
    """Check and copy the five files into `target` (a cache folder's `manual/`)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(source / name, target / name)
    counts(target)


def counts(folder: Path) -> dict[str, int]:
    """The row counts of an installed copy (and a check that every file reads)."""
    manual = Manual(folder)
    try:
        return {"dcl": len(manual.dcl_codes), "dc_pcl_drg": sum(len(v) for v in manual.ranges.values()),
                "proc_pdc": sum(len(v) for v in manual.proc_pdc.values()),
                "dx_ax": sum(len(v) for v in manual.dx_ax.values()),
                "proc_ax": sum(len(v) for v in manual.proc_ax.values())}
    except (ValueError, KeyError, TypeError) as error:
        raise DomainError(ManualError.UNREADABLE, file=str(folder), reason=str(error)) from None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


class Manual:
    """The manual's tables of one installed set, read on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @cached_property
    def _dcl(self) -> tuple[dict[str, int], dict[str, str]]:
        data = json.loads((self.folder / "dcl.json").read_text(encoding="utf-8"))
        return {dc: i for i, dc in enumerate(data["dcs"])}, data["codes"]

    @property
    def dcl_codes(self) -> dict[str, str]:
        return self._dcl[1]

    @property
    def dcl_dcs(self) -> dict[str, int]:
        return self._dcl[0]

    def dcl(self, dcl_main: str, dc: str) -> int:
        """The DCL of a diagnosis (by its DCLMAIN) in a DC; 0 when the table has none."""
        digits = self._dcl[1].get(dcl_main) if dcl_main else None
        at = self._dcl[0].get(dc)
        if digits is None or at is None or at >= len(digits):
            return 0
        return int(digits[at]) if digits[at].isdigit() else 0

    @cached_property
    def ranges(self) -> dict[str, list[tuple[str, int, int]]]:
        """DC → [(DRG, PCL from, PCL to)], ordered by DRG."""
        out: dict[str, list[tuple[str, int, int]]] = {}
        for row in _rows(self.folder / "dc_pcl_drg.csv"):
            out.setdefault(row["dc"], []).append((row["drg"], int(row["pcl_min"]), int(row["pcl_max"])))
        for dc in out:
            out[dc].sort()
        return out

    def drg_for(self, dc: str, pcl: int) -> str | None:
        for drg, low, high in self.ranges.get(dc, ()):
            if low <= pcl <= high:
                return drg
        return None

    @cached_property
    def proc_pdc(self) -> dict[str, dict[str, str]]:
        """MDC ("04") → {procedure code: its cluster in that MDC}."""
        out: dict[str, dict[str, str]] = {}
        for row in _rows(self.folder / "proc_pdc.csv"):
            out.setdefault(f"{int(row['mdc']):02d}", {})[row["proc"]] = row["pdc"]
        return out

    @cached_property
    def proc_clusters(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Procedure code → its (MDC, cluster) pairs: `proc_pdc` read the other way."""
        out: dict[str, list[tuple[str, str]]] = {}
        for mdc, clusters in self.proc_pdc.items():
            for code, pdc in clusters.items():
                out.setdefault(code, []).append((mdc, pdc))
        return {code: tuple(pairs) for code, pairs in out.items()}

    @cached_property
    def dx_ax(self) -> dict[str, frozenset[str]]:
        return _lists(_rows(self.folder / "dx_ax.csv"), "ax", "code")

    @cached_property
    def proc_ax(self) -> dict[str, frozenset[str]]:
        return _lists(_rows(self.folder / "proc_ax.csv"), "pax", "proc")

    @cached_property
    def dx_lists(self) -> dict[str, frozenset[str]]:
        """Diagnosis code → the AX lists holding it."""
        return _invert(self.dx_ax)

    @cached_property
    def proc_lists(self) -> dict[str, frozenset[str]]:
        """Procedure code → the PAX lists holding it."""
        return _invert(self.proc_ax)


def _lists(rows: list[dict[str, str]], name: str, code: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row[name], set()).add(row[code])
    return {k: frozenset(v) for k, v in out.items()}


def _invert(lists: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for name, codes in lists.items():
        for code in codes:
            out.setdefault(code, set()).add(name)
    return {k: frozenset(v) for k, v in out.items()}


# --- severity -----------------------------------------------------------------------------------------------

def pcl(levels: Iterable[int]) -> int:
    """PCL = round-half-up(Σ DCL_i × 0.82^(i−1)) over the levels in the order given (high to low), at most 9."""
    total = sum((Decimal(level) * _POWERS[i] for i, level in enumerate(levels)), Decimal(0))
    return min(int(total.to_integral_value(rounding=ROUND_HALF_UP)), MAX_PCL)


def order(entries: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """(code, DCL) with DCL > 0, high to low; equal levels: the higher code first (as the official grouper)."""
    return sorted((e for e in entries if e[1] > 0), key=lambda e: (-e[1], _desc(e[0])))


@lru_cache(maxsize=1 << 16)  # a sort key per table code: computed once, read for every case's PCL
def _desc(code: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in code) + (1,)


def exclude(ordered: list[tuple[str, int]], excluded: Callable[[str, str], bool]
            ) -> tuple[list[tuple[str, int]], list[tuple[str, str]]]:
    """Walk the ordered list: a code excluded by an earlier kept code (`excluded(code, earlier)`) is dropped.
    Returns the kept entries and the (dropped, by) pairs."""
    kept: list[tuple[str, int]] = []
    dropped: list[tuple[str, str]] = []
    for code, level in ordered:
        by = next((k for k, _ in kept if excluded(code, k)), None)
        if by is None:
            kept.append((code, level))
        else:
            dropped.append((code, by))
    return kept, dropped
