"""The national claim data set (16 แฟ้ม, now 17 with LABFU): the files, their fields and field types.

Field lists vary by year and by exporter, so the parser reads each file's header line: a column listed
here as required must be there (else the file is refused), every other column — known or not — is kept.
Field names and order follow the NHSO structure (announcement B.E. 2564); see docs/claims.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

DATE = "date"  # CE YYYYMMDD → date32
TIME = "time"  # HHMM, kept as text once checked
MONEY = "money"  # baht with up to 2 decimals → decimal128(16, 2)
INT = "int"  # small code or count → int32
DECIMAL = "decimal"  # other decimal quantities (weights, doses) → decimal128(12, 3)
TEXT = "text"

ARROW_TYPES = {DATE: pa.date32(), TIME: pa.string(), MONEY: pa.decimal128(16, 2), INT: pa.int32(),
               DECIMAL: pa.decimal128(12, 3), TEXT: pa.string()}


@dataclass(frozen=True)
class FileSpec:
    name: str
    purpose: str
    required: tuple[str, ...]
    known: tuple[str, ...]
    types: dict[str, str] = field(default_factory=dict)
    # How a row belongs to a claim: "op" (SEQ), "ip" (AN), "either" (AN when filled, else SEQ), "hn" (all claims
    # of the patient) or "" (not tied to a claim).
    link: str = ""

    def type_of(self, column: str) -> str:
        return self.types.get(column, TEXT)


def _spec(name: str, purpose: str, known: str, required: str, types: dict[str, str], link: str) -> FileSpec:
    return FileSpec(name, purpose, tuple(required.split()), tuple(known.split()), types, link)


FILES: dict[str, FileSpec] = {s.name: s for s in [
    _spec("INS", "coverage used for the visit or admission",
          "HN INSCL SUBTYPE CID HCODE DATEEXP HOSPMAIN HOSPSUB GOVCODE GOVNAME PERMITNO DOCNO OWNRPID OWNNAME AN SEQ "
          "SUBINSCL RELINSCL HTYPE", "HN INSCL CID", {"DATEEXP": DATE}, "hn"),
    _spec("PAT", "patient",
          "HCODE HN CHANGWAT AMPHUR DOB SEX MARRIAGE OCCUPA NATION PERSON_ID NAMEPAT TITLE FNAME LNAME IDTYPE",
          "HCODE HN DOB SEX PERSON_ID", {"DOB": DATE, "SEX": INT}, "hn"),
    _spec("OPD", "OP visit", "HN CLINIC DATEOPD TIMEOPD SEQ UUC DETAIL BTEMP SBP DBP PR RR OPTYPE TYPEIN TYPEOUT",
          "HN DATEOPD SEQ", {"DATEOPD": DATE, "TIMEOPD": TIME}, "op"),
    _spec("ORF", "OP referral", "HN DATEOPD CLINIC REFER REFERTYPE SEQ REFERDATE", "HN REFER SEQ",
          {"DATEOPD": DATE, "REFERDATE": DATE}, "op"),
    _spec("ODX", "OP diagnoses", "HN DATEDX CLINIC DIAG DXTYPE DRDX PERSON_ID SEQ", "HN DIAG DXTYPE SEQ",
          {"DATEDX": DATE, "DXTYPE": INT}, "op"),
    _spec("OOP", "OP procedures", "HN DATEOPD CLINIC OPER DROPID PERSON_ID SEQ SERVPRICE", "HN OPER SEQ",
          {"DATEOPD": DATE, "SERVPRICE": MONEY}, "op"),
    _spec("IPD", "admission", "HN AN DATEADM TIMEADM DATEDSC TIMEDSC DISCHS DISCHT WARDDSC DEPT ADM_W UUC SVCTYPE DRG",
          "HN AN DATEADM TIMEADM DATEDSC TIMEDSC DISCHS DISCHT",
          {"DATEADM": DATE, "DATEDSC": DATE, "TIMEADM": TIME, "TIMEDSC": TIME, "DISCHS": INT, "DISCHT": INT,
           "ADM_W": DECIMAL}, "ip"),
    _spec("IRF", "IP referral", "AN REFER REFERTYPE", "AN REFER", {}, "ip"),
    _spec("IDX", "IP diagnoses", "AN DIAG DXTYPE DRDX", "AN DIAG DXTYPE", {"DXTYPE": INT}, "ip"),
    _spec("IOP", "IP procedures", "AN OPER OPTYPE DROPID DATEIN TIMEIN DATEOUT TIMEOUT", "AN OPER",
          {"DATEIN": DATE, "DATEOUT": DATE, "TIMEIN": TIME, "TIMEOUT": TIME}, "ip"),
    _spec("CHT", "charge total", "HN AN DATE TOTAL PAID PTTYPE PERSON_ID SEQ OPD_MEMO INVOICE_NO INVOICE_LT",
          "HN AN DATE TOTAL SEQ", {"DATE": DATE, "TOTAL": MONEY, "PAID": MONEY}, "either"),
    _spec("CHA", "charge by category", "HN AN DATE CHRGITEM AMOUNT PERSON_ID SEQ", "HN AN CHRGITEM AMOUNT SEQ",
          {"DATE": DATE, "AMOUNT": MONEY}, "either"),
    _spec("AER", "accident, emergency and referral authorisation",
          "HN AN DATEOPD AUTHAE AEDATE AETIME AETYPE REFER_NO REFMAINI IREFTYPE REFMAINO OREFTYPE UCAE EMTYPE SEQ "
          "AESTATUS DALERT TALERT", "HN AN SEQ", {"DATEOPD": DATE, "AEDATE": DATE, "AETIME": TIME}, "either"),
    _spec("ADP", "additional items: devices, high-cost items, fee-schedule and project codes",
          "HN AN DATEOPD TYPE CODE QTY RATE SEQ CAGCODE DOSE CA_TYPE SERIALNO TOTCOPAY USE_STATUS TOTAL QTYDAY "
          "TMLTCODE STATUS1 BI CLINIC ITEMSRC PROVIDER GRAVIDA GA_WEEK DCIP LMP SP_ITEM", "HN AN TYPE CODE QTY SEQ",
          {"DATEOPD": DATE, "QTY": DECIMAL, "RATE": MONEY, "TOTCOPAY": MONEY, "TOTAL": MONEY, "QTYDAY": INT,
           "LMP": DATE}, "either"),
    _spec("LVD", "IP leave days", "SEQLVD AN DATEOUT TIMEOUT DATEIN TIMEIN QTYDAY", "AN DATEOUT DATEIN QTYDAY",
          {"DATEOUT": DATE, "DATEIN": DATE, "TIMEOUT": TIME, "TIMEIN": TIME, "QTYDAY": INT}, "ip"),
    _spec("DRU", "drugs",
          "HCODE HN AN CLINIC PERSON_ID DATE_SERV DID DIDNAME AMOUNT DRUGPRICE DRUGCOST DIDSTD UNIT UNIT_PACK SEQ "
          "DRUGREMARK PA_NO TOTCOPAY USE_STATUS TOTAL SIGCODE SIGTEXT PROVIDER SP_ITEM",
          "HN AN DATE_SERV DID AMOUNT SEQ",
          {"DATE_SERV": DATE, "AMOUNT": DECIMAL, "DRUGPRICE": MONEY, "DRUGCOST": MONEY, "TOTCOPAY": MONEY,
           "TOTAL": MONEY}, "either"),
    _spec("LABFU", "follow-up lab results", "HCODE HN PERSON_ID DATESERV SEQ LABTEST LABRESULT", "HN SEQ",
          {"DATESERV": DATE}, "op"),
]}

NAMES = tuple(FILES)


def file_name_of(member: str) -> str | None:
    """'2569-10/opd.TXT' → 'OPD'; None for a file that is not one of the 17."""
    base = member.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0].upper() if "." in base else base.upper()
    # Exporters often prefix or suffix the unit code and the month: "OPD10716_6810.txt", "10716OPD.txt".
    if stem in FILES:
        return stem
    letters = "".join(ch for ch in stem if ch.isalpha())
    return letters if letters in FILES else None


def require_claim_files() -> None:
    """Uploads of claim files only where the country pack uses the format (FHIR claims, which reach the same intake
    by another door, are the pack's `fhir` format)."""
    from openuhc.country.packs import active

    active().require("claim_formats", "16-file", what="Sending claim files (16-file)",
                     what_th="การส่งข้อมูลเคลม 16 แฟ้ม")
