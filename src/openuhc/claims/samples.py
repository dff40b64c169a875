"""Writing claim files: a small builder used by the tests, the demo and the benchmark.

    b = SubmissionBuilder("56001")
    b.patient(hn="H1", cid="1...", dob=date(1980, 5, 17), sex=1, fname="สมชาย", lname="ใจดี")
    b.visit(hn="H1", seq="V1", on=date(2025, 9, 3), diagnoses=["J069"], charges={"31": "250.00"})
    b.admission(hn="H1", an="A1", admitted=..., discharged=..., diagnoses=["K359"], procedures=["4709"])
    folder = b.write(tmp_path / "sub", encoding="cp874")   # the 17 files with header lines, CRLF
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openuhc.claims import formats


def _d(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


class SubmissionBuilder:
    def __init__(self, hcode: str) -> None:
        self.hcode = hcode
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def patient(self, *, hn: str, cid: str, dob: date | None, sex: int | str, fname: str = "สมชาย",
                lname: str = "ทดสอบ", inscl: str = "UCS", hospmain: str = "", hospsub: str = "", title: str = "นาย"
                ) -> None:
        self.rows["PAT"].append({"HCODE": self.hcode, "HN": hn, "CHANGWAT": "56", "AMPHUR": "01", "DOB": _d(dob),
                                 "SEX": sex, "MARRIAGE": "1", "OCCUPA": "000", "NATION": "099", "PERSON_ID": cid,
                                 "NAMEPAT": f"{fname}  {lname} ,{title}", "TITLE": title, "FNAME": fname,
                                 "LNAME": lname, "IDTYPE": "1"})
        self.rows["INS"].append({"HN": hn, "INSCL": inscl, "SUBTYPE": "89", "CID": cid, "HCODE": self.hcode,
                                 "HOSPMAIN": hospmain or self.hcode, "HOSPSUB": hospsub or hospmain or self.hcode})

    def _charges(self, *, hn: str, an: str, seq: str, on: date | None, charges: dict[str, str],
                 total: str | None) -> None:
        amount = sum((Decimal(v) for v in charges.values()), Decimal(0))
        self.rows["CHT"].append({"HN": hn, "AN": an, "DATE": _d(on), "TOTAL": total if total is not None else
                                 f"{amount:.2f}", "PAID": "0.00", "PTTYPE": "UC", "SEQ": seq})
        for item, value in charges.items():
            self.rows["CHA"].append({"HN": hn, "AN": an, "DATE": _d(on), "CHRGITEM": item, "AMOUNT": value,
                                     "SEQ": seq})

    def visit(self, *, hn: str, seq: str, on: date | None, diagnoses: list[str] | None = None,
              procedures: list[str] | None = None, charges: dict[str, str] | None = None, total: str | None = None,
              clinic: str = "00100", refer_from: str = "", emergency: str = "", drugs: int = 0,
              raw_date: str | None = None) -> None:
        self.rows["OPD"].append({"HN": hn, "CLINIC": clinic, "DATEOPD": raw_date if raw_date is not None else _d(on),
                                 "TIMEOPD": "0930", "SEQ": seq, "UUC": "1"})
        for index, code in enumerate(diagnoses if diagnoses is not None else ["J069"]):
            self.rows["ODX"].append({"HN": hn, "DATEDX": _d(on), "CLINIC": clinic, "DIAG": code,
                                     "DXTYPE": 1 if index == 0 else 4, "DRDX": "ว12345", "SEQ": seq})
        for code in procedures or []:
            self.rows["OOP"].append({"HN": hn, "DATEOPD": _d(on), "CLINIC": clinic, "OPER": code, "SEQ": seq})
        if refer_from:
            self.rows["ORF"].append({"HN": hn, "DATEOPD": _d(on), "CLINIC": clinic, "REFER": refer_from,
                                     "REFERTYPE": "1", "SEQ": seq})
        if emergency:
            self.rows["AER"].append({"HN": hn, "AN": "", "DATEOPD": _d(on), "UCAE": emergency, "SEQ": seq})
        for number in range(drugs):
            self.rows["DRU"].append({"HCODE": self.hcode, "HN": hn, "AN": "", "CLINIC": clinic, "DATE_SERV": _d(on),
                                     "DID": f"10{number:022d}", "DIDNAME": "Paracetamol 500 mg", "AMOUNT": "10",
                                     "DRUGPRICE": "1.00", "DRUGCOST": "0.50", "UNIT": "TAB", "SEQ": seq,
                                     "TOTAL": "10.00", "TOTCOPAY": "0.00"})
        self._charges(hn=hn, an="", seq=seq, on=on, charges=charges if charges is not None else {"31": "250.00"},
                      total=total)

    def admission(self, *, hn: str, an: str, admitted: date | None, discharged: date | None,
                  diagnoses: list[str] | None = None, procedures: list[str] | None = None,
                  charges: dict[str, str] | None = None, total: str | None = None, weight_kg: str = "",
                  status: int = 2, kind: int = 1, times: tuple[str, str] = ("0800", "1000"),
                  leave: list[tuple[date, date, int]] | None = None, drg: str = "") -> None:
        self.rows["IPD"].append({"HN": hn, "AN": an, "DATEADM": _d(admitted), "TIMEADM": times[0],
                                 "DATEDSC": _d(discharged), "TIMEDSC": times[1], "DISCHS": status, "DISCHT": kind,
                                 "WARDDSC": "01", "DEPT": "01", "ADM_W": weight_kg, "UUC": "1", "SVCTYPE": "IP",
                                 "DRG": drg})
        for index, code in enumerate(diagnoses if diagnoses is not None else ["K359"]):
            self.rows["IDX"].append({"AN": an, "DIAG": code, "DXTYPE": 1 if index == 0 else 2, "DRDX": "ว12345"})
        for code in procedures or []:
            self.rows["IOP"].append({"AN": an, "OPER": code, "OPTYPE": "1", "DROPID": "ว12345",
                                     "DATEIN": _d(admitted), "TIMEIN": "0900", "DATEOUT": _d(admitted),
                                     "TIMEOUT": "1000"})
        for number, (out, back, days) in enumerate(leave or [], start=1):
            self.rows["LVD"].append({"SEQLVD": number, "AN": an, "DATEOUT": _d(out), "TIMEOUT": "0800",
                                     "DATEIN": _d(back), "TIMEIN": "0800", "QTYDAY": days})
        self._charges(hn=hn, an=an, seq=an, on=discharged, charges=charges if charges is not None else
                      {"11": "1500.00", "31": "2500.00"}, total=total)

    def text(self, name: str, *, line_end: str = "\r\n") -> str:
        columns = list(formats.FILES[name].known)
        lines = ["|".join(columns)]
        for row in self.rows.get(name, []):
            lines.append("|".join(str(row.get(c, "")) for c in columns))
        return line_end.join(lines) + line_end

    def write(self, folder: Path, *, encoding: str = "utf-8", line_end: str = "\r\n",
              names: list[str] | None = None) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name in names or [n for n in formats.NAMES if n in self.rows or n in ("INS", "PAT", "CHT", "CHA")]:
            (folder / f"{name}.txt").write_bytes(self.text(name, line_end=line_end).encode(encoding))
        return folder

    def zip_bytes(self, *, encoding: str = "utf-8") -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in formats.NAMES:
                if name in self.rows or name in ("INS", "PAT", "CHT", "CHA"):
                    archive.writestr(f"{name}.txt", self.text(name).encode(encoding))
        return buffer.getvalue()
