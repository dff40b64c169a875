"""A small, invented Thai DRG table set for the demo, so that a fresh clone shows grouping, "why this DRG", an
inpatient round and its statement without the official tables (which may not be shipped).

NOTHING here is official: the diagnosis and procedure clusters, DCs, DRGs, relative weights, trim points and
complexity levels were made up for the demo's own codes (claims/demo.py), in the file formats an official set
comes in — the four DBF tables (c63i10, c63proc, c63drg, c63ccex; CP874) and, in `manual/`, the files the TDRG
manual adds (dcl.json, dc_pcl_drg.csv, proc_pdc.csv, dx_ax.csv, proc_ax.csv). The set installs through the normal
`install_tables` path under the version DEMO_VERSION, and every page and statement that uses it says that it is
a demonstration set, not official (`is_demo`).

    folder = write_demo_set(tmp)          # the files
    install_demo_set(actor=None)           # write them to a temporary folder and install them
"""

from __future__ import annotations

import json
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openuhc.core.exports import csv_writer

DEMO_VERSION = "demo-1"
DEMO_PREFIX = "demo"


def is_demo(version: str | None) -> bool:
    """True for a table set installed as a demonstration (its version starts with "demo")."""
    return bool(version) and str(version).lower().startswith(DEMO_PREFIX)


# --- the invented content ---------------------------------------------------------------------------------------
# Diagnoses: code, MDC, diagnosis cluster (PDC, invented), complication? (CC), English and Thai names.
# The MDC follows the body system of the ICD-10 chapter; everything else is made up.
DIAGNOSES = [
    ("J189", "04", "4C", False, "Pneumonia, unspecified", "ปอดอักเสบ ไม่ระบุรายละเอียด"),
    ("J441", "04", "4F", True, "COPD with acute exacerbation", "ปอดอุดกั้นเรื้อรังกำเริบเฉียบพลัน"),
    ("J069", "04", "4C", False, "Acute upper respiratory infection", "การติดเชื้อทางเดินหายใจส่วนบนเฉียบพลัน"),
    ("J00", "04", "4C", False, "Common cold", "ไข้หวัด"),
    ("J029", "04", "4C", False, "Acute pharyngitis", "คออักเสบเฉียบพลัน"),
    ("J209", "04", "4K", False, "Acute bronchitis", "หลอดลมอักเสบเฉียบพลัน"),
    ("I639", "01", "1F", False, "Cerebral infarction", "สมองขาดเลือด"),
    ("R51", "01", "1V", False, "Headache", "ปวดศีรษะ"),
    ("I500", "05", "5C", True, "Congestive heart failure", "หัวใจล้มเหลว"),
    ("I10", "05", "5H", True, "Essential hypertension", "ความดันโลหิตสูง"),
    ("K358", "06", "6C", False, "Acute appendicitis", "ไส้ติ่งอักเสบเฉียบพลัน"),
    ("K922", "06", "6D", False, "Gastrointestinal haemorrhage", "เลือดออกในทางเดินอาหาร"),
    ("A099", "06", "6K", False, "Gastroenteritis", "กระเพาะและลำไส้อักเสบ"),
    ("K30", "06", "6K", False, "Dyspepsia", "อาหารไม่ย่อย"),
    ("K021", "03", "3B", False, "Dental caries", "ฟันผุ"),
    ("H103", "02", "2C", False, "Acute conjunctivitis", "เยื่อบุตาอักเสบเฉียบพลัน"),
    ("S7200", "08", "8A", False, "Fracture of the neck of the femur", "กระดูกคอสะโพกหัก"),
    ("M545", "08", "8B", False, "Low back pain", "ปวดหลังส่วนล่าง"),
    ("M179", "08", "8B", False, "Arthrosis of the knee", "ข้อเข่าเสื่อม"),
    ("L309", "09", "9A", False, "Dermatitis", "ผิวหนังอักเสบ"),
    ("E119", "10", "10A", True, "Type 2 diabetes", "เบาหวานชนิดที่ 2"),
    ("E785", "10", "10B", False, "Hyperlipidaemia", "ไขมันในเลือดสูง"),
    ("N390", "11", "11B", True, "Urinary tract infection", "ทางเดินปัสสาวะติดเชื้อ"),
    ("B349", "18", "18F", False, "Viral infection", "การติดเชื้อไวรัส"),
    ("R509", "18", "18E", False, "Fever", "ไข้"),
]
# Procedures: code, operating-room procedure?, main MDC, procedure cluster (invented), English and Thai names.
PROCEDURES = [
    ("4709", True, "06", "6PK", "Appendectomy", "ผ่าตัดไส้ติ่ง"),
    ("4513", False, "06", "", "Endoscopy of the small intestine", "ส่องกล้องลำไส้เล็ก"),
    ("7915", True, "08", "8PA", "Reduction of a femur fracture with internal fixation",
     "จัดกระดูกต้นขาหักและยึดตรึงภายใน"),
]
# DRGs: DC, severity digits with their weights; every figure invented. (RW, RW0D, WTLOS, OT)
DCS: dict[str, tuple[str, list[tuple[str, float, float, float, int]]]] = {
    "0155": ("Demo stroke", [("0", 1.2000, 0.4000, 5.0, 15), ("1", 1.6500, 0.5500, 7.0, 21),
                            ("2", 2.3000, 0.7500, 9.0, 27)]),
    "0169": ("Demo headache", [("0", 0.4500, 0.1500, 2.0, 6)]),
    "0250": ("Demo eye infection", [("0", 0.4000, 0.1300, 2.0, 6)]),
    "0351": ("Demo dental disease", [("0", 0.3500, 0.1200, 1.5, 5)]),
    "0452": ("Demo respiratory infection", [("0", 0.8500, 0.2800, 4.0, 12), ("1", 1.1500, 0.3800, 5.5, 16),
                                           ("2", 1.6000, 0.5300, 7.5, 22)]),
    "0455": ("Demo chronic obstructive lung disease", [("0", 0.9000, 0.3000, 4.5, 13), ("1", 1.2500, 0.4100, 6.0, 18)]),
    "0459": ("Demo bronchitis", [("0", 0.5000, 0.1700, 2.5, 7), ("1", 0.7000, 0.2300, 3.5, 10)]),
    "0555": ("Demo heart failure", [("0", 1.0000, 0.3300, 4.5, 13), ("1", 1.4000, 0.4600, 6.5, 19)]),
    "0560": ("Demo hypertension", [("0", 0.5500, 0.1800, 2.5, 7)]),
    "0614": ("Demo appendectomy", [("0", 1.3000, 0.4300, 3.0, 9), ("1", 1.7500, 0.5800, 4.5, 13)]),
    "0651": ("Demo appendicitis without surgery", [("0", 0.7000, 0.2300, 3.0, 9)]),
    "0654": ("Demo gastrointestinal bleeding", [("0", 0.9500, 0.3100, 3.5, 10), ("1", 1.3000, 0.4300, 5.0, 15)]),
    "0661": ("Demo gastroenteritis and other digestive disorders",
             [("0", 0.4800, 0.1600, 2.0, 6), ("1", 0.6500, 0.2100, 3.0, 9)]),
    "0802": ("Demo femur surgery", [("0", 2.6000, 0.8600, 7.0, 21), ("1", 3.2000, 1.0500, 9.0, 27)]),
    "0850": ("Demo fracture without surgery", [("0", 0.9000, 0.3000, 5.0, 15)]),
    "0851": ("Demo back and joint disorders", [("0", 0.5500, 0.1800, 3.0, 9)]),
    "0950": ("Demo skin disorders", [("0", 0.4500, 0.1500, 2.5, 7)]),
    "1050": ("Demo diabetes", [("0", 0.7000, 0.2300, 3.5, 10), ("1", 0.9500, 0.3100, 4.5, 13)]),
    "1052": ("Demo metabolic disorders", [("0", 0.5000, 0.1700, 2.5, 7)]),
    "1152": ("Demo urinary tract infection", [("0", 0.6000, 0.2000, 3.0, 9), ("1", 0.8500, 0.2800, 4.0, 12)]),
    "1858": ("Demo fever, adult", [("0", 0.4500, 0.1500, 2.0, 6)]),
    "1859": ("Demo fever, child", [("0", 0.4000, 0.1300, 2.0, 6)]),
    "1860": ("Demo viral infection, adult", [("0", 0.5000, 0.1700, 2.5, 7)]),
    "1861": ("Demo viral infection, child", [("0", 0.4500, 0.1500, 2.0, 6)]),
    "2601": ("Demo unrelated operating-room procedure", [("0", 2.0000, 0.6600, 6.0, 18)]),
    "2650": ("Demo ungroupable", [("9", 0.0000, 0.0000, 0.0, 0)]),
}
# Which DC a diagnosis cluster (medical) or a procedure cluster (surgical) leads to in the demo: the clusters and
# DCs are named as in the TDRG 6.3 manual's Volume 2, so the grouper's logic (drg/volume2.py) applies to them.
MEDICAL_DC = {"1F": "0155", "1V": "0169", "2C": "0250", "3B": "0351", "4C": "0452", "4F": "0455", "4K": "0459",
              "5C": "0555", "5H": "0560", "6C": "0651", "6D": "0654", "6K": "0661", "8A": "0850", "8B": "0851",
              "9A": "0950", "10A": "1050", "10B": "1052", "11B": "1152", "18E": "1858", "18F": "1860"}
SURGICAL_DC = {"6PK": "0614", "8PA": "0802"}
# DCs whose PCL ranges the demo's manual files leave out, as the real ones leave out MDC 26's: their groupings
# are approximate, so the demo's review list (claims held for an officer) is not empty.
UNRANGED = {"0661"}
# The error DRGs every grouper may give (26509 ungroupable, 26519 unacceptable principal diagnosis, …).
ERROR_DRGS = ["26509", "26519", "26529", "26539"]


# --- writing DBF files (dBase III, the format the official tables come in) ----------------------------------------

@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "C" text, "N" number, "L" logical
    length: int
    decimals: int = 0


def write_dbf(path: Path, fields: Sequence[Field], rows: Sequence[Sequence[Any]], *, encoding: str = "cp874") -> None:
    """A minimal dBase III writer: header, field descriptors, fixed-width records, end-of-file mark."""
    today = date(2025, 10, 1)  # a fixed date: the same content gives the same bytes (and the same install key)
    record_length = 1 + sum(f.length for f in fields)
    header_length = 32 + 32 * len(fields) + 1
    out = bytearray(struct.pack("<BBBBIHH20x", 0x03, today.year - 1900, today.month, today.day, len(rows),
                                header_length, record_length))
    for f in fields:
        out += struct.pack("<11sc4xBB14x", f.name.encode("ascii"), f.kind.encode("ascii"), f.length, f.decimals)
    out += b"\r"
    for row in rows:
        out += b" "  # not deleted
        for f, value in zip(fields, row, strict=True):
            out += _cell(f, value, encoding)
    out += b"\x1a"
    path.write_bytes(bytes(out))


def _cell(field: Field, value: Any, encoding: str) -> bytes:
    if field.kind == "L":
        return b"T" if value else b"F"
    if field.kind == "N":
        text = "" if value is None else (f"{value:.{field.decimals}f}" if field.decimals else str(int(value)))
        data = text.rjust(field.length).encode("ascii")
    else:
        data = ("" if value is None else str(value)).encode(encoding)[:field.length].ljust(field.length, b" ")
    if len(data) > field.length:
        raise ValueError(f"{field.name}: {value!r} does not fit in {field.length} characters")
    return data


def _c(name: str, length: int) -> Field:
    return Field(name, "C", length)


def _n(name: str, length: int, decimals: int = 0) -> Field:
    return Field(name, "N", length, decimals)


def write_demo_set(folder: Path) -> Path:
    """Write the invented set into `folder` (the DBFs, and the manual's files in folder/manual); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    write_dbf(folder / "c63i10.dbf", [
        _c("CODE", 7), _c("MDC", 2), _c("PDC", 4), Field("CC", "L", 1), _c("MAINCC", 7), _n("CCROW", 3),
        _c("DCLMAIN", 7), _c("HIV_AX", 4), _c("TRAUMA", 1), _c("SEX", 1), _c("ACCPDX", 1), _c("AGEDUSE", 1),
        _n("AGEMIN", 3), _n("AGEMAX", 3), _n("AGEDMIN", 3), _n("MOSDX", 1), _c("DESC", 60), _c("DESC_TH", 80),
    ], [(code, mdc, pdc, cc, code, 99, code, "", "N", "B", "Y", "N", 0, 124, 0, 0, en, th)
        for code, mdc, pdc, cc, en, th in DIAGNOSES])
    write_dbf(folder / "c63proc.dbf", [
        _c("CODE", 7), _c("ORP", 1), _c("ORPTYPE", 1), _c("SEX", 1), _c("SITE", 2), _n("PROCGR", 2), _n("PROCLEV", 2),
        _n("PCPART", 2), _n("EXTLEV", 2), _c("EXTTYPE", 2), _c("MMDC", 2), _c("OMDCS", 30), _n("MOSPROC", 1),
        _c("MOSDC", 4), _c("MOSHIERAR", 2), _c("JSSITE", 4), _c("DESC", 60), Field("DRGUSE", "L", 1),
        _c("MAYUN", 1), _c("DESC_TH", 80),
    ], [(code, "Y" if orp else "N", "M" if orp else "U", "B", "-", 1 if orp else 0, 3 if orp else 0, 0, 0, "", mdc,
         "", 0, "", "", "", en, orp, "", th) for code, orp, mdc, _pdc, en, th in PROCEDURES])
    drg_rows = []
    for dc, (name, splits) in sorted(DCS.items()):
        for digit, rw, rw0d, wtlos, ot in splits:
            drg_rows.append((dc[:2], dc, dc + digit, rw0d, rw, wtlos, ot, 1.0, name))
    for code in ERROR_DRGS:
        if not any(r[2] == code for r in drg_rows):
            drg_rows.append(("26", code[:4], code, 0.0, 0.0, 0.0, 0, 1.0, "Demo error group"))
    write_dbf(folder / "c63drg.dbf", [
        _c("MDC", 2), _c("DC", 4), _c("DRG", 5), _n("RW0D", 9, 4), _n("RW", 9, 4), _n("WTLOS", 7, 2), _n("OT", 4),
        _n("MDF", 5, 2), _c("DRGNAME", 60),
    ], drg_rows)
    cc_codes = [code for code, _m, _p, cc, _e, _t in DIAGNOSES if cc]
    write_dbf(folder / "c63ccex.dbf", [_c("CC10", 7), _c("NOTFOR10", 7)],
              [(code, code) for code in cc_codes])  # a complication never counts with itself as the principal
    _write_manual(folder / "manual", drg_rows)
    (folder / "README.txt").write_text(
        "OpenUHC demonstration DRG tables - NOT OFFICIAL. Every cluster, weight and level is invented for the\n"
        "demo's own diagnosis codes. Never use them to pay anyone.\n", encoding="utf-8")
    return folder


def _write_manual(folder: Path, drg_rows: list[tuple[Any, ...]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    dcs = sorted(DCS)
    codes = {}
    for code, _mdc, pdc, cc, _en, _th in DIAGNOSES:
        # complexity level 0-4 in each DC: 2 for a complication in its own body system, 1 elsewhere (invented)
        level = "2" if cc else "0"
        codes[code] = "".join(level if cc and dc[:2] == MEDICAL_DC.get(pdc, "")[:2] else ("1" if cc else "0")
                              for dc in dcs)
    (folder / "dcl.json").write_text(json.dumps({"dcs": dcs, "codes": codes}), encoding="utf-8")
    pcl_rows = []
    for dc, (_name, splits) in sorted(DCS.items()):
        if dc in UNRANGED:
            continue
        if len(splits) == 1:
            pcl_rows.append([dc + splits[0][0], dc, 0, 9])
            continue
        bounds = [(0, 1), (2, 9)] if len(splits) == 2 else [(0, 0), (1, 2), (3, 9)]
        pcl_rows.extend([dc + digit, dc, low, high]
                        for (digit, *_rest), (low, high) in zip(splits, bounds, strict=True))
    _write_csv(folder / "dc_pcl_drg.csv", ["drg", "dc", "pcl_min", "pcl_max"], pcl_rows)
    _write_csv(folder / "proc_pdc.csv", ["mdc", "proc", "pdc"],
               [[int(mdc), code, pdc] for code, orp, mdc, pdc, _en, _th in PROCEDURES if orp and pdc])
    _write_csv(folder / "dx_ax.csv", ["ax", "code"],
               [["DEMOX", code] for code, _mdc, _pdc, cc, _en, _th in DIAGNOSES if cc])
    _write_csv(folder / "proc_ax.csv", ["pax", "proc"],
               [["DEMOPX", code] for code, orp, _mdc, _pdc, _en, _th in PROCEDURES if orp])


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def install_demo_set(*, actor: Any = None) -> Any:
    """Write the demo set to a temporary folder and install it through the normal path (version DEMO_VERSION)."""
    from openuhc.drg.tables import install_tables

    with tempfile.TemporaryDirectory(prefix="openuhc-demo-tdrg-") as tmp:
        return install_tables(write_demo_set(Path(tmp)), version=DEMO_VERSION, actor=actor)
