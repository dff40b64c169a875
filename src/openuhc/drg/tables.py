"""The installed Thai DRG reference tables (diagnoses, procedures, DRGs, CC exclusions).

Other apps (claims validation, payment) use only what is declared here:

    tables = active_tables(on=service_date)     # None when no table set is installed
    if tables is None: ...                       # check code formats only, and say that tables are missing
    row = tables.diagnosis("A510", sex=1)        # the row for that sex (MDC 12 / 13 rows)
    problem = tables.diagnosis_problem(code, sex=2, age_years=40, age_days=None)   # None or a reason code
    tables.procedure("3844"), tables.drg("04520")

`openuhc tables install PATH` (`install_tables`) reads the official DBF files (CP874) once, writes each table
as Parquet into a content-addressed cache folder, and records the set with its validity dates. Loading a set
afterwards reads the Parquet files and builds lookups in well under 100 ms (benchmarks/README.md).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import uuid
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from openuhc.core.errors import Coded, DomainError
from openuhc.drg import manual

# table name → file suffix after the version prefix, e.g. c63 + i10.dbf
FILES = {"diagnoses": "i10", "procedures": "proc", "drgs": "drg", "ccex": "ccex"}
COLUMNS = {
    "diagnoses": ["CODE", "MDC", "PDC", "CC", "MAINCC", "SEX", "ACCPDX", "AGEDUSE", "AGEMIN", "AGEMAX", "AGEDMIN",
                  "TRAUMA", "HIV_AX", "DCLMAIN", "MOSDX"],
    "procedures": ["CODE", "ORP", "ORPTYPE", "SEX", "SITE", "PROCGR", "PROCLEV", "MMDC", "OMDCS", "MOSPROC", "MOSDC",
                   "MOSHIERAR", "DESC"],
    "drgs": ["MDC", "DC", "DRG", "RW", "RW0D", "WTLOS", "OT", "MDF", "DRGNAME"],
    "ccex": ["CC10", "NOTFOR10"],
}
# Read when a set has them (the official 6.3 diagnosis table has no names; the demo set has): names in English
# (DESC) and Thai (DESC_TH) for pages.
OPTIONAL_COLUMNS = {"diagnoses": ["DESC", "DESC_TH"], "procedures": ["DESC_TH"]}
EARLIEST = date(2000, 1, 1)
# Part of every cache key: a cache written by an older reader (fewer columns, no manual) is written again
CACHE_FORMAT = "2"


class TableError(Coded):
    NO_FOLDER = ("tables_no_folder", "{path} is not a folder.", "{path} ไม่ใช่โฟลเดอร์")
    MISSING_FILE = (
        "tables_missing_file",
        "The folder has no {name} file (expected c<version>{suffix}.dbf, e.g. c63{suffix}.dbf).",
        "ในโฟลเดอร์ไม่มีแฟ้ม {name} (ต้องเป็น c<รุ่น>{suffix}.dbf เช่น c63{suffix}.dbf)",
    )
    UNREADABLE = ("tables_unreadable", "{file} cannot be read as a DBF table: {reason}",
                  "อ่านแฟ้ม {file} เป็นตาราง DBF ไม่ได้: {reason}")
    MISSING_COLUMN = ("tables_missing_column", "{file} has no column {column}.", "แฟ้ม {file} ไม่มีคอลัมน์ {column}")
    EMPTY = ("tables_empty", "{file} has no rows.", "แฟ้ม {file} ไม่มีข้อมูล")
    EXISTS = ("tables_exists", "Table version {version} is already installed (use --replace to install it again).",
              "ติดตั้งตารางรุ่น {version} ไว้แล้ว (ใช้ --replace เพื่อติดตั้งใหม่)")
    BAD_VERSION = ("tables_bad_version", "Cannot tell the version from the file names; give --version.",
                   "บอกรุ่นจากชื่อแฟ้มไม่ได้ ให้ระบุ --version")


@dataclass(frozen=True)
class DiagnosisRow:
    code: str
    mdc: str
    pdc: str
    is_cc: bool
    main_cc: str
    sex: str  # "B", "M" or "F"
    acceptable_pdx: bool
    age_min: int | None
    age_max: int | None
    age_days_min: int | None
    dcl_main: str = ""  # the key of its row in the manual's DCL table (appendix F1)
    trauma_site: str = ""  # a trauma diagnosis's body site ("0"–"8"), else ""
    mos_dx: bool = False  # may move the case to the MDC of an unrelated OR procedure (Volume 1 p. 122)


@dataclass(frozen=True)
class ProcedureRow:
    code: str
    orp: str
    sex: str
    orp_type: str = ""
    group: int = 0
    level: int = 0
    main_mdc: str = ""
    other_mdcs: tuple[str, ...] = ()
    mos_dc: str = ""
    mos_hierarchy: str = ""
    description: str = ""
    site: str = ""  # body site of a trauma procedure (MDC 24), else ""

    @property
    def is_or(self) -> bool:
        return self.orp == "Y"

    def related_to(self, mdc: str) -> bool:
        return mdc == self.main_mdc or mdc in self.other_mdcs


@dataclass(frozen=True)
class DrgRow:
    drg: str
    mdc: str
    dc: str
    rw: Any
    rw0d: Any
    wtlos: Any
    ot: int
    mdf: Any
    name: str


class TableSet:
    """One installed version of the tables (e.g. TDRG 6.3), valid over a date range."""

    version: str = ""

    def diagnosis(self, code: str, sex: int | None = None) -> DiagnosisRow | None:
        raise NotImplementedError

    def diagnosis_problem(self, code: str, *, sex: int | None, age_years: int | None,
                          age_days: int | None = None) -> str | None:
        """None when the code is valid for this sex and age; otherwise a reason code
        ("unknown_code", "sex_conflict", "age_conflict")."""
        raise NotImplementedError

    def procedure(self, code: str) -> ProcedureRow | None:
        raise NotImplementedError

    def procedure_problem(self, code: str, *, sex: int | None) -> str | None:
        raise NotImplementedError

    def drg(self, code: str) -> DrgRow | None:
        raise NotImplementedError


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)).normalize() if value is not None else Decimal(0)


class LoadedTables(TableSet):
    """A table set read from its columnar cache.

    Loading reads the four Parquet files as Arrow tables and builds only the DRG rows (1,546): that is all
    the columnar grouper (`drg.vector`) needs. The per-case lookups (dictionaries over 15,000 diagnoses and
    4,000 procedures) are built on the first per-case call, and the CC exclusions are a sorted array of
    integer pairs written at install (`ccex_keys.parquet`), read on first use."""

    def __init__(self, version: str, folder: Path) -> None:
        self.version = version
        self.folder = folder
        self.diagnoses = _read(folder, "diagnoses")
        self.procedures = _read(folder, "procedures")
        dr = _read(folder, "drgs").to_pydict()
        self._drg = {code: DrgRow(code, dr["MDC"][i], dr["DC"][i], _dec(dr["RW"][i]), _dec(dr["RW0D"][i]),
                                  _dec(dr["WTLOS"][i]), int(dr["OT"][i]), _dec(dr["MDF"][i]), dr["DRGNAME"][i])
                     for i, code in enumerate(dr["DRG"])}
        self.dcs: dict[str, list[str]] = {}  # DC → its DRG codes, sorted
        for code, row in sorted(self._drg.items()):
            self.dcs.setdefault(row.dc, []).append(code)
        self._lock = threading.Lock()
        self._dx_cols: dict[str, list[Any]] | None = None
        self._dx_index: dict[str, list[int]] = {}
        self._dx: dict[str, list[DiagnosisRow]] = {}
        self._dx_pick: dict[tuple[str, int | None], DiagnosisRow | None] = {}  # diagnosis(code, sex), memoised
        self._pr_cols: dict[str, list[Any]] | None = None
        self._pr_index: dict[str, int] = {}
        self._proc: dict[str, ProcedureRow | None] = {}
        self._ccex: CcExclusions | None = None
        self._vector: Any = None
        # the manual's tables installed with the set (DCL, PCL ranges, procedure clusters, AX lists), or None
        self.manual = manual.Manual(folder / "manual") if (folder / "manual" / manual.FILES[0]).is_file() else None

    def _per_case(self) -> None:
        """The dictionaries of the per-case (explaining) path, built once on first use."""
        if self._pr_cols is not None:
            return
        with self._lock:
            if self._pr_cols is not None:
                return
            dx_cols = self.diagnoses.to_pydict()
            for i, code in enumerate(dx_cols["CODE"]):
                self._dx_index.setdefault(code, []).append(i)
            self._dx_cols = dx_cols
            pr_cols = self.procedures.to_pydict()
            self._pr_index = {code: i for i, code in enumerate(pr_cols["CODE"])}
            self._pr_cols = pr_cols  # set last: it is the "built" flag

    @property
    def ccex(self) -> CcExclusions:
        if self._ccex is None:
            with self._lock:
                if self._ccex is None:
                    self._ccex = CcExclusions.load(self.folder, self.diagnoses)
        return self._ccex

    @property
    def vector(self) -> Any:
        """The columnar grouper's look-up frames (`drg.vector.VectorTables`), built once per process."""
        if self._vector is None:
            from openuhc.drg.vector import VectorTables

            built = VectorTables(self)
            with self._lock:
                if self._vector is None:
                    self._vector = built
        return self._vector

    # --- diagnoses -------------------------------------------------------------------------------------
    def _dx_rows(self, code: str) -> list[DiagnosisRow]:
        rows = self._dx.get(code)
        if rows is None:
            self._per_case()
            dx = self._dx_cols
            assert dx is not None
            rows = [DiagnosisRow(code, dx["MDC"][i], dx["PDC"][i], bool(dx["CC"][i]), dx["MAINCC"][i], dx["SEX"][i],
                                 dx["ACCPDX"][i] == "Y", dx["AGEMIN"][i], dx["AGEMAX"][i],
                                 dx["AGEDMIN"][i] if dx["AGEDUSE"][i] == "Y" else None,
                                 (dx.get("DCLMAIN") or [""] * (i + 1))[i] or "",
                                 _site((dx.get("TRAUMA") or [""] * (i + 1))[i]),
                                 bool((dx.get("MOSDX") or [0] * (i + 1))[i]))
                    for i in self._dx_index.get(code, ())]
            self._dx[code] = rows
        return rows

    def diagnosis(self, code: str, sex: int | None = None) -> DiagnosisRow | None:
        try:
            return self._dx_pick[code, sex]
        except KeyError:
            pass
        if len(self._dx_pick) > 500_000:  # codes as sent (unknown ones too): bounded on a long-running server
            self._dx_pick.clear()
        row = self._dx_pick[code, sex] = self._diagnosis(code, sex)
        return row

    def _diagnosis(self, code: str, sex: int | None) -> DiagnosisRow | None:
        rows = self._dx_rows(normalise(code))
        if not rows:
            return None
        if len(rows) > 1 and sex in (1, 2):
            # the 44 codes with a male row (MDC 12) and a female row (MDC 13)
            wanted = "12" if sex == 1 else "13"
            for row in rows:
                if row.mdc == wanted:
                    return row
        return rows[0]

    def diagnosis_problem(self, code: str, *, sex: int | None, age_years: int | None,
                          age_days: int | None = None) -> str | None:
        row = self.diagnosis(code, sex)
        if row is None:
            return "unknown_code"
        if sex in (1, 2) and row.sex in ("M", "F") and row.sex != ("M" if sex == 1 else "F"):
            return "sex_conflict"
        if age_years is not None:
            if (row.age_min is not None and age_years < row.age_min) or (
                    row.age_max is not None and age_years > row.age_max):
                return "age_conflict"
            if row.age_days_min is not None and age_years == 0 and age_days is not None \
                    and age_days < row.age_days_min:
                return "age_conflict"
        return None

    # --- procedures ------------------------------------------------------------------------------------
    def procedure(self, code: str) -> ProcedureRow | None:
        code = normalise(code)
        if code not in self._proc:
            self._per_case()
            i = self._pr_index.get(code)
            pr = self._pr_cols
            assert pr is not None
            self._proc[code] = None if i is None else ProcedureRow(
                code, pr["ORP"][i], pr["SEX"][i], pr["ORPTYPE"][i], pr["PROCGR"][i] or 0, pr["PROCLEV"][i] or 0,
                pr["MMDC"][i], tuple(m.strip() for m in (pr["OMDCS"][i] or "").split(",") if m.strip()),
                pr["MOSDC"][i] or "", pr["MOSHIERAR"][i] or "", pr["DESC"][i] or "",
                _site((pr.get("SITE") or [""] * (i + 1))[i]))
        return self._proc[code]

    def procedure_problem(self, code: str, *, sex: int | None) -> str | None:
        row = self.procedure(code)
        if row is None:
            return "unknown_code"
        if sex in (1, 2) and row.sex in ("M", "F") and row.sex != ("M" if sex == 1 else "F"):
            return "sex_conflict"
        return None

    # --- names for pages ----------------------------------------------------------------------------------
    def diagnosis_name(self, code: str, language: str = "en") -> str:
        """The diagnosis's name when the set has names (the demo set does; the official 6.3 tables do not)."""
        self._per_case()
        rows = self._dx_index.get(normalise(code))
        return self._name(self.diagnoses, rows[0] if rows else None, language)

    def procedure_name(self, code: str, language: str = "en") -> str:
        self._per_case()
        return self._name(self.procedures, self._pr_index.get(normalise(code)), language)

    @staticmethod
    def _name(table: pa.Table, row: int | None, language: str) -> str:
        if row is None:
            return ""
        for column in (["DESC_TH", "DESC"] if language.startswith("th") else ["DESC", "DESC_TH"]):
            if column in table.column_names:
                value = table.column(column)[row].as_py()
                if value:
                    return str(value).strip()
        return ""

    # --- DRGs and CC exclusions ------------------------------------------------------------------------
    def drg(self, code: str) -> DrgRow | None:
        return self._drg.get((code or "").strip())

    def excluded(self, main_cc: str, pdx: str) -> bool:
        """True when a complication of group `main_cc` does not count with this principal diagnosis
        (c63ccex, matched by exact code, never by prefix)."""
        return self.ccex.excluded(main_cc, pdx)


def _site(value: Any) -> str:
    """A body site letter or digit; the tables write "N" (diagnoses) or "-" (procedures) for none."""
    text = str(value or "").strip()
    return "" if text in ("", "N", "-") else text


def _read(folder: Path, name: str) -> pa.Table:
    # ParquetFile rather than pq.read_table: the latter imports pyarrow.dataset (about 0.1 s) on first use
    return pq.ParquetFile(folder / f"{name}.parquet").read()


class CcExclusions:
    """The CC exclusion list (c63ccex, 244,000 pairs) as one sorted int64 array: each code is numbered by its
    rank among the diagnosis codes and exclusion groups (MAINCC) of the same set, and a pair (CC10, NOTFOR10)
    is `rank(CC10) << 32 | rank(NOTFOR10)`. Matching stays exact, code for code. Pairs naming a code outside
    that numbering are left out: a principal diagnosis is always a diagnosis code and a complication's group
    always a MAINCC, so such a pair could never match."""

    FILE = "ccex_keys.parquet"

    def __init__(self, diagnoses: pa.Table, keys: pa.Array) -> None:
        self.diagnoses = diagnoses
        self.keys = keys  # int64, sorted, unique
        self._codes: pa.Array | None = None
        self._ids: dict[str, int] | None = None
        self._sorted: Any = None  # a packed array of the keys, made on first use
        self._series: Any = None  # the keys as a Polars Series, made on first use

    @property
    def codes(self) -> pa.Array:
        """The sorted unique codes; a code's number is its position. Made on first use: the columnar grouper
        reads the numbers from its own cache and never asks (about 30 ms of a worker process's start)."""
        if self._codes is None:
            self._codes = self.numbering(self.diagnoses)
        return self._codes

    @staticmethod
    def numbering(diagnoses: pa.Table) -> pa.Array:
        """The sorted distinct codes and groups (byte order); a code's number is its position."""
        import polars as pl  # rather than pyarrow.compute, whose import alone costs about 0.1 s

        # a frame from the Arrow table, not a Series from its columns: Polars imports pyarrow.compute for those
        both = pl.from_arrow(diagnoses.select(["CODE", "MAINCC"]))
        assert isinstance(both, pl.DataFrame)
        return pl.concat([both.get_column("CODE"), both.get_column("MAINCC")]).unique().sort().to_arrow()

    @classmethod
    def build(cls, diagnoses: pa.Table, ccex: pa.Table) -> pa.Table:
        """The sorted key column written at install."""
        import polars as pl

        ids = pl.DataFrame({"code": pl.Series(cls.numbering(diagnoses))}).with_row_index("id").with_columns(
            pl.col("id").cast(pl.Int64))
        pairs = pl.from_arrow(ccex.select(["CC10", "NOTFOR10"]))
        assert isinstance(pairs, pl.DataFrame)
        keyed = (pairs.join(ids.rename({"code": "CC10", "id": "cc"}), on="CC10", how="inner")
                 .join(ids.rename({"code": "NOTFOR10", "id": "notfor"}), on="NOTFOR10", how="inner"))
        keys = keyed.select((pl.col("cc") * (1 << 32) + pl.col("notfor")).alias("key"))
        return keys.unique().sort("key").to_arrow()

    @classmethod
    def load(cls, folder: Path, diagnoses: pa.Table) -> CcExclusions:
        path = folder / cls.FILE
        if path.exists():
            table = pq.ParquetFile(path).read()
        else:  # a cache written before the pre-built keys existed
            table = cls.build(diagnoses, _read(folder, "ccex"))
        return cls(diagnoses, table.column("key").combine_chunks())

    def ids(self) -> dict[str, int]:
        if self._ids is None:
            self._ids = {code: i for i, code in enumerate(self.codes.to_pylist())}
        return self._ids

    def contains(self, keys: Any) -> Any:
        """For a Polars Series of pair keys (int64), a boolean Series: is each pair in the list?"""
        import polars as pl

        if self._series is None:  # from a frame, not from the array: see `numbering`
            self._series = pl.from_arrow(pa.table({"k": self.keys})).to_series()  # type: ignore[union-attr]
        table = self._series
        if table.len() == 0:
            return pl.Series([False] * len(keys), dtype=pl.Boolean)
        at = table.search_sorted(keys).clip(0, table.len() - 1)
        return table.gather(at) == keys

    def excluded(self, main_cc: str, pdx: str) -> bool:
        ids = self.ids()
        cc, notfor = ids.get(main_cc), ids.get(pdx)
        if cc is None or notfor is None:
            return False
        if self._sorted is None:
            # a packed array of the keys (about 20 ms once): bisecting it takes a microsecond, where a Polars
            # search costs about 150 µs a call — the PCL asks once per pair of a case's codes
            self._sorted = array("q", self.keys.to_pylist())
        key = (cc << 32) | notfor
        at = bisect_left(self._sorted, key)
        return at < len(self._sorted) and self._sorted[at] == key


def normalise(code: str | None) -> str:
    """ICD codes as the tables hold them: upper case, no dot, no spaces."""
    return (code or "").replace(".", "").replace(" ", "").upper()


# --- installing -----------------------------------------------------------------------------------------

def cache_root() -> Path:
    from django.conf import settings

    configured = getattr(settings, "OPENUHC_TABLES_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "tables"


def _find(folder: Path, suffix: str) -> Path | None:
    for path in sorted(folder.iterdir()):
        if re.fullmatch(rf"c\d+{suffix}\.dbf", path.name, flags=re.IGNORECASE):
            return path
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_dbf(path: Path, columns: list[str], optional: list[str] | None = None) -> pa.Table:
    from dbfread import DBF

    try:
        table = DBF(str(path), encoding="cp874", char_decode_errors="strict")
        fields = set(table.field_names)
    except Exception as error:  # noqa: BLE001 - any unreadable file gets one clear message
        raise DomainError(TableError.UNREADABLE, file=path.name, reason=str(error)) from None
    for column in columns:
        if column not in fields:
            raise DomainError(TableError.MISSING_COLUMN, file=path.name, column=column)
    columns = columns + [c for c in optional or () if c in fields]
    data: dict[str, list[Any]] = {c: [] for c in columns}
    try:
        for record in table:
            for column in columns:
                value = record[column]
                data[column].append(value.strip() if isinstance(value, str) else value)
    except Exception as error:  # noqa: BLE001
        raise DomainError(TableError.UNREADABLE, file=path.name, reason=str(error)) from None
    if not data[columns[0]]:
        raise DomainError(TableError.EMPTY, file=path.name)
    return pa.table(data)


def install_tables(path: str | Path, *, version: str | None = None, valid_from: date | None = None,
                   valid_to: date | None = None, replace: bool = False, actor: Any = None) -> Any:
    """Install an official table set from a folder of DBF files; returns the InstalledTableSet record."""
    from django.db import transaction

    from openuhc.drg.models import InstalledTableSet

    folder = Path(path)
    if not folder.is_dir():
        raise DomainError(TableError.NO_FOLDER, path=str(folder))
    sources: dict[str, Path] = {}
    for name, suffix in FILES.items():
        found = _find(folder, suffix)
        if found is None:
            raise DomainError(TableError.MISSING_FILE, name=name, suffix=suffix)
        sources[name] = found
    if version is None:
        digits = re.match(r"c(\d+)", sources["drgs"].name, flags=re.IGNORECASE)
        if not digits or len(digits.group(1)) < 2:
            raise DomainError(TableError.BAD_VERSION)
        version = f"{digits.group(1)[0]}.{digits.group(1)[1:]}"
    existing = InstalledTableSet.objects.filter(version=version).first()
    if existing is not None and not replace:
        raise DomainError(TableError.EXISTS, version=version)
    checksums = {name: _sha256(p) for name, p in sources.items()}
    manual_folder = manual.find(folder)  # the manual's files, beside the DBFs or in manual/
    if manual_folder is not None:
        checksums.update({f"manual/{name}": _sha256(manual_folder / name) for name in manual.FILES})
    tables = {name: _read_dbf(p, COLUMNS[name], OPTIONAL_COLUMNS.get(name)) for name, p in sources.items()}
    key = hashlib.sha256((CACHE_FORMAT + "".join(checksums[n] for n in sorted(checksums))).encode()).hexdigest()[:16]
    target = cache_root() / f"{version}-{key}"
    counts = {n: t.num_rows for n, t in tables.items()}
    if not target.exists():
        staging = cache_root() / f".staging-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        for name, table in tables.items():
            pq.write_table(table, staging / f"{name}.parquet", compression="zstd")
        pq.write_table(CcExclusions.build(tables["diagnoses"], tables["ccex"]), staging / CcExclusions.FILE,
                       compression="zstd")
        if manual_folder is not None:
            manual.copy(manual_folder, staging / "manual")
        try:
            staging.rename(target)
        except OSError:  # someone installed the same files at the same moment: theirs is identical
            shutil.rmtree(staging, ignore_errors=True)
    if manual_folder is not None:
        counts.update({f"manual/{k}": v for k, v in manual.counts(target / "manual").items()})
    with transaction.atomic():
        if existing is not None:
            existing.delete()
        record = InstalledTableSet.objects.create(
            version=version, valid_from=valid_from or EARLIEST, valid_to=valid_to, source=str(folder.resolve()),
            checksums=checksums, counts=counts, cache_path=str(target),
            installed_by=actor if getattr(actor, "pk", None) else None)
    load(record).vector  # noqa: B018 - builds the columnar look-ups once and stores them in the cache
    return record


# --- finding the set in force ---------------------------------------------------------------------------

_loaded: dict[str, LoadedTables] = {}
_load_lock = threading.Lock()


def load(record: Any) -> LoadedTables:
    """The tables of an installed set, from the in-process cache or its columnar files."""
    return load_path(record.version, record.cache_path)


def load_path(version: str, cache_path: str) -> LoadedTables:
    with _load_lock:
        tables = _loaded.get(cache_path)
        if tables is None:
            tables = LoadedTables(version, Path(cache_path))
            _loaded[cache_path] = tables
        return tables


def active_tables(on: date | None = None) -> TableSet | None:
    """The table set in force on a date (today when None), or None when none is installed."""
    from django.db.models import Q

    from openuhc.core.dates import today
    from openuhc.drg.models import InstalledTableSet

    day = on or today()
    record = (InstalledTableSet.objects.filter(valid_from__lte=day)
              .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("-valid_from", "-id").first())
    if record is None or not Path(record.cache_path).exists():
        return None
    return load(record)


def by_version(version: str) -> LoadedTables | None:
    from openuhc.drg.models import InstalledTableSet

    record = InstalledTableSet.objects.filter(version=version).first()
    return load(record) if record is not None and Path(record.cache_path).exists() else None
