"""A FHIR Claim (with its Patient, Encounter, Conditions and Procedures, in a Bundle or contained) → the rows of
the national claim files (16 แฟ้ม), so that a FHIR claim goes through exactly the intake and validation of a
file submission. Nothing is validated here beyond what is needed to write the rows: the claim rules judge them.

Field by field (docs/fhir.md has the table):
  PAT/INS  ← Patient (citizen ID, HN, birth date, gender, name) and the Claim's Coverage (scheme code, units)
  OPD/IPD  ← Encounter (VN or AN, period, clinic, discharge status and type, leave days)
  ODX/IDX  ← Claim.diagnosis (or Encounter.diagnosis) with ICD-10-TM / ICD-10 codes and the 43-file role as DXTYPE
  OOP/IOP  ← Claim.procedure (or the Bundle's Procedures) with ICD-9-CM codes
  CHT/CHA  ← Claim.total and Claim.item with the claim files' charge code (OpenUHC CodeSystem eclaim-chrgitem)
  ADP      ← Claim.item with an e-Claim ADP type
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from openuhc.claims.samples import SubmissionBuilder
from openuhc.core.errors import DomainError
from openuhc.country.packs import active
from openuhc.fhir import systems as s
from openuhc.fhir.errors import FhirError


@dataclass
class FhirClaim:
    """One Claim of the request and what it became in the claim files."""

    index: int
    resource: dict[str, Any]
    kind: str = ""  # OP or IP
    key: str = ""  # SEQ or AN
    patient: dict[str, Any] = field(default_factory=dict)


class Resolver:
    """Finds referenced resources among a Bundle's entries (by fullUrl or Type/id) and a Claim's contained ones."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.by_ref: dict[str, dict[str, Any]] = {}
        for entry in entries:
            resource = entry.get("resource") or {}
            kind, pk = resource.get("resourceType"), resource.get("id")
            if entry.get("fullUrl"):
                self.by_ref[entry["fullUrl"]] = resource
            if kind and pk:
                self.by_ref[f"{kind}/{pk}"] = resource
        self.entries = [e.get("resource") or {} for e in entries]

    def get(self, reference: dict[str, Any] | None, owner: dict[str, Any], path: str, kind: str,
            required: bool = True) -> dict[str, Any] | None:
        text = (reference or {}).get("reference") or ""
        if text.startswith("#"):
            for contained in owner.get("contained") or []:
                if contained.get("id") == text[1:]:
                    return contained
        elif text:
            found = self.by_ref.get(text) or next((v for k, v in self.by_ref.items() if k.endswith("/" + text)), None)
            if found is not None and found.get("resourceType") == kind:
                return found
        if not required:
            return None
        raise DomainError(FhirError.UNRESOLVED_REFERENCE, path=path, reference=text or "(none)")

    def of_type(self, kind: str, owner: dict[str, Any]) -> list[dict[str, Any]]:
        return ([r for r in owner.get("contained") or [] if r.get("resourceType") == kind]
                + [r for r in self.entries if r.get("resourceType") == kind])


def _missing(path: str, detail: str, detail_th: str) -> DomainError:
    return DomainError(FhirError.MISSING, path=path, detail=detail, detail_th=detail_th)


def _identifier(resource: dict[str, Any], *, type_code: str, suffix: str = "", system: str = "") -> str:
    """The value of the identifier with this SIL-TH type code, or with this system (or a hcode/.../{suffix})."""
    for item in resource.get("identifier") or []:
        codes = {c.get("code") for c in (item.get("type") or {}).get("coding") or []}
        uri = item.get("system") or ""
        matches = type_code in codes or (system and uri == system) or (suffix and uri.endswith("/" + suffix))
        if matches and item.get("value"):
            return str(item["value"])
    return ""


def _codes(concept: dict[str, Any] | None, *systems: str) -> list[str]:
    codings = (concept or {}).get("coding") or []
    return [str(c["code"]) for system in systems for c in codings if c.get("system") == system and c.get("code")]


def _ymd(text: str | None) -> str:
    if not text:
        return ""
    try:
        return date.fromisoformat(text[:10]).strftime("%Y%m%d")
    except ValueError:
        return text[:10].replace("-", "")  # kept as sent: the date rules report it


def _hhmm(text: str | None) -> str:
    if not text or len(text) < 16 or "T" not in text:
        return ""
    return text[11:13] + text[14:16]


def _money(value: Any) -> str:
    try:
        return f"{Decimal(str(value)):.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _icd(code: str) -> str:
    return code.replace(".", "").strip().upper()


class ClaimFiles:
    """Collects the rows of one submission (one unit) from one or more FHIR Claims."""

    def __init__(self, hcode: str) -> None:
        self.hcode = hcode
        self.builder = SubmissionBuilder(hcode)
        self.patients: set[str] = set()

    def zip_bytes(self) -> bytes:
        return self.builder.zip_bytes()

    def _row(self, name: str, row: dict[str, Any]) -> None:
        self.builder.rows[name].append(row)

    # --- patient and coverage -------------------------------------------------------------------------------
    def add_patient(self, patient: dict[str, Any], coverage: dict[str, Any] | None, path: str) -> tuple[str, str]:
        system = active().primary_id.fhir_system or s.CID  # the country pack's person number
        cid = _identifier(patient, type_code="cid", system=system)
        if not cid:
            raise _missing(f"{path}.identifier", f"the patient's citizen ID (system {system})",
                           f"เลขประจำตัวประชาชนของผู้ป่วย (ระบบ {system})")
        # HN: the unit's own patient number; a patient without one is filed under the citizen ID.
        hn = _identifier(patient, type_code="localHn", suffix="HN") or cid
        if hn in self.patients:
            return hn, cid
        self.patients.add(hn)
        name = (patient.get("name") or [{}])[0]
        sex = {"male": "1", "female": "2"}.get(patient.get("gender") or "", "")
        title = " ".join(name.get("prefix") or [])
        first, last = " ".join(name.get("given") or []), name.get("family") or ""
        self._row("PAT", {"HCODE": self.hcode, "HN": hn, "DOB": _ymd(patient.get("birthDate")), "SEX": sex,
                          "PERSON_ID": cid, "NAMEPAT": f"{first}  {last} ,{title}" if first or last else "",
                          "TITLE": title, "FNAME": first, "LNAME": last, "IDTYPE": "1"})
        inscl, main, sub = "", "", ""
        if coverage is not None:
            type_ = coverage.get("type")
            inscl = next(iter(_codes(type_, s.NHSO_INSCL) + _codes(type_, s.COVERAGE_TYPE)), "")
            for extension in coverage.get("extension") or []:
                if extension.get("url") != s.EXT_CONTRACTED_PROVIDER:
                    continue
                parts = {p.get("url"): p for p in extension.get("extension") or []}
                slot = next(iter(_codes((parts.get("type") or {}).get("valueCodeableConcept"),
                                        s.PROVIDER_TYPE_COVERAGE)), "")
                unit = unit_code((parts.get("provider") or {}).get("valueReference"))
                if slot == "primary":
                    main = unit
                elif slot == "primary-care":
                    sub = unit
        self._row("INS", {"HN": hn, "INSCL": inscl, "CID": cid, "HCODE": self.hcode, "HOSPMAIN": main,
                          "HOSPSUB": sub})
        return hn, cid

    # --- the visit or admission ---------------------------------------------------------------------------------
    def add_claim(self, claim: FhirClaim, resolver: Resolver) -> None:
        resource = claim.resource
        path = f"Claim[{claim.index}]"
        patient = resolver.get(resource.get("patient"), resource, f"{path}.patient", "Patient")
        coverage = None
        for number, insurance in enumerate(resource.get("insurance") or []):
            coverage = coverage or resolver.get(insurance.get("coverage"), resource,
                                                f"{path}.insurance[{number}].coverage", "Coverage", required=False)
        hn, cid = self.add_patient(patient, coverage, f"{path}.patient")
        claim.patient = patient
        encounter = self._encounter(resource, resolver, path)
        inpatient = _is_inpatient(resource, encounter)
        claim.kind = "IP" if inpatient else "OP"
        period = encounter.get("period") or {}
        if inpatient:
            claim.key = _identifier(encounter, type_code="localAn", suffix="AN")
            if not claim.key:
                raise _missing(f"{path} Encounter.identifier", "the admission number (AN, type localAn)",
                               "เลขที่ผู้ป่วยใน (AN, ชนิด localAn)")
            hospitalization = {e.get("url"): e for e in (encounter.get("hospitalization") or {}).get("extension") or []}
            self._row("IPD", {
                "HN": hn, "AN": claim.key, "DATEADM": _ymd(period.get("start")), "TIMEADM": _hhmm(period.get("start")),
                "DATEDSC": _ymd(period.get("end")), "TIMEDSC": _hhmm(period.get("end")),
                "DISCHS": _ext_code(hospitalization.get(s.EXT_DISCHARGE_STATUS), s.DISCHARGE_STATUS),
                "DISCHT": _ext_code(hospitalization.get(s.EXT_DISCHARGE_TYPE), s.DISCHARGE_TYPE),
                "UUC": "1", "SVCTYPE": "IP", "DRG": _hospital_drg(resource)})
            self._leave(encounter, claim.key)
            day = _ymd(period.get("end"))
        else:
            claim.key = _identifier(encounter, type_code="localVn", suffix="VN")
            if not claim.key:
                raise _missing(f"{path} Encounter.identifier", "the visit number (VN = SEQ, type localVn)",
                               "เลขที่รับบริการ (VN = SEQ, ชนิด localVn)")
            self._row("OPD", {"HN": hn, "CLINIC": _clinic(encounter), "DATEOPD": _ymd(period.get("start")),
                              "TIMEOPD": _hhmm(period.get("start")), "SEQ": claim.key, "UUC": "1"})
            day = _ymd(period.get("start"))
        self._diagnoses(claim, resource, encounter, resolver, hn, day, path)
        self._procedures(claim, resource, encounter, resolver, hn, day, path)
        self._charges(claim, resource, hn, cid, day, path)

    def _encounter(self, resource: dict[str, Any], resolver: Resolver, path: str) -> dict[str, Any]:
        for number, item in enumerate(resource.get("item") or []):
            for k, reference in enumerate(item.get("encounter") or []):
                return resolver.get(reference, resource, f"{path}.item[{number}].encounter[{k}]", "Encounter")
        candidates = resolver.of_type("Encounter", resource)
        if len(candidates) == 1:
            return candidates[0]
        raise _missing(f"{path}.item.encounter", "the Encounter of the claim (one in the Bundle, or referenced from "
                       "Claim.item.encounter)",
                       "Encounter ของการเบิก (หนึ่งรายการใน Bundle หรืออ้างจาก Claim.item.encounter)")

    def _leave(self, encounter: dict[str, Any], an: str) -> None:
        number = 0
        for extension in encounter.get("extension") or []:
            if extension.get("url") != s.EXT_LEAVE_DAY:
                continue
            parts = {p.get("url"): p for p in extension.get("extension") or []}
            out, back = (parts.get("leaveDate") or {}).get("valueDateTime"), (parts.get("comeBack") or {}).get(
                "valueDateTime")
            days = (parts.get("duration") or {}).get("valueDuration", {}).get("value")
            number += 1
            self._row("LVD", {"SEQLVD": number, "AN": an, "DATEOUT": _ymd(out), "TIMEOUT": _hhmm(out),
                              "DATEIN": _ymd(back), "TIMEIN": _hhmm(back),
                              "QTYDAY": int(days) if isinstance(days, int | float) else ""})

    def _diagnoses(self, claim: FhirClaim, resource: dict[str, Any], encounter: dict[str, Any], resolver: Resolver,
                   hn: str, day: str, path: str) -> None:
        found: list[tuple[str, str]] = []
        for number, item in enumerate(resource.get("diagnosis") or []):
            concept = item.get("diagnosisCodeableConcept")
            if concept is None and item.get("diagnosisReference"):
                concept = resolver.get(item["diagnosisReference"], resource, f"{path}.diagnosis[{number}]",
                                       "Condition").get("code")
            role = next(iter(sum((_codes(t, s.DIAGNOSIS_ROLE) for t in item.get("type") or []), [])), "")
            if not role and any("principal" in _codes(t, "http://terminology.hl7.org/CodeSystem/ex-diagnosistype")
                                for t in item.get("type") or []):
                role = "1"
            found.append((_diagnosis_code(concept), role or ("1" if item.get("sequence") == 1 else "4")))
        if not found:
            for number, item in enumerate(encounter.get("diagnosis") or []):
                condition = resolver.get(item.get("condition"), encounter, f"Encounter.diagnosis[{number}]",
                                         "Condition", required=False)
                if condition is None:
                    continue  # a chief complaint written as text
                role = next(iter(_codes(item.get("use"), s.DIAGNOSIS_ROLE)), "")
                found.append((_diagnosis_code(condition.get("code")), role or ("1" if item.get("rank") == 1 else "4")))
        for code, role in found:
            if claim.kind == "IP":
                self._row("IDX", {"AN": claim.key, "DIAG": code, "DXTYPE": role})
            else:
                self._row("ODX", {"HN": hn, "DATEDX": day, "CLINIC": "", "DIAG": code, "DXTYPE": role,
                                  "SEQ": claim.key})

    def _procedures(self, claim: FhirClaim, resource: dict[str, Any], encounter: dict[str, Any], resolver: Resolver,
                    hn: str, day: str, path: str) -> None:
        found: list[tuple[str, str]] = []
        for number, item in enumerate(resource.get("procedure") or []):
            concept = item.get("procedureCodeableConcept")
            performed = item.get("date") or ""
            if concept is None and item.get("procedureReference"):
                procedure = resolver.get(item["procedureReference"], resource, f"{path}.procedure[{number}]",
                                         "Procedure")
                concept, performed = procedure.get("code"), procedure.get("performedDateTime") or performed
            found.append((next(iter(_codes(concept, s.ICD9CM)), ""), performed))
        if not found and resource.get("procedure") is None:
            wanted = {f"Encounter/{encounter.get('id')}", f"#{encounter.get('id')}"}
            for procedure in resolver.of_type("Procedure", resource):
                if (procedure.get("encounter") or {}).get("reference") in wanted:
                    found.append((next(iter(_codes(procedure.get("code"), s.ICD9CM)), ""),
                                  procedure.get("performedDateTime") or ""))
        for code, performed in found:
            code = _icd(code)
            if claim.kind == "IP":
                self._row("IOP", {"AN": claim.key, "OPER": code, "DATEIN": _ymd(performed) or day,
                                  "TIMEIN": _hhmm(performed)})
            else:
                self._row("OOP", {"HN": hn, "DATEOPD": day, "OPER": code, "SEQ": claim.key})

    def _charges(self, claim: FhirClaim, resource: dict[str, Any], hn: str, cid: str, day: str, path: str) -> None:
        an = claim.key if claim.kind == "IP" else ""
        total = Decimal(0)
        for number, item in enumerate(resource.get("item") or []):
            net = (item.get("net") or {}).get("value")
            if net is None and item.get("unitPrice"):
                net = Decimal(str(item["unitPrice"].get("value", 0))) * Decimal(
                    str((item.get("quantity") or {}).get("value", 1)))
            chrgitem = next(iter(_codes(item.get("productOrService"), s.CHRGITEM)), "")
            adp_type = next(iter(_codes(item.get("category"), s.ADP_TYPE)), "")
            if chrgitem:
                self._row("CHA", {"HN": hn, "AN": an, "DATE": day, "CHRGITEM": chrgitem,
                                  "AMOUNT": _money(net if net is not None else 0), "PERSON_ID": cid,
                                  "SEQ": claim.key})
                total += _decimal(net)
            elif adp_type:
                code = next((c.get("code") for c in (item.get("productOrService") or {}).get("coding") or []
                             if c.get("code")), "")
                self._row("ADP", {"HN": hn, "AN": an, "DATEOPD": day, "TYPE": adp_type, "CODE": code,
                                  "QTY": (item.get("quantity") or {}).get("value", 1),
                                  "RATE": _money((item.get("unitPrice") or {}).get("value", net or 0)),
                                  "TOTAL": _money(net or 0), "SEQ": claim.key})
            else:
                raise DomainError(FhirError.UNKNOWN_CHARGE, path=f"{path}.item[{number}]", system=s.CHRGITEM)
        claimed = (resource.get("total") or {}).get("value")
        paid = next((e.get("valueMoney", {}).get("value") for e in resource.get("extension") or []
                     if e.get("url") == s.EXT + "ex-claim-total-copay"), 0)
        self._row("CHT", {"HN": hn, "AN": an, "DATE": day, "TOTAL": _money(claimed if claimed is not None else total),
                          "PAID": _money(paid or 0), "PERSON_ID": cid, "SEQ": claim.key})


def unit_code(reference: dict[str, Any] | None) -> str:
    """HCODE of a Reference: its identifier (th-moph-hcode) or Organization/{HCODE}."""
    reference = reference or {}
    identifier = reference.get("identifier") or {}
    if identifier.get("system") == s.HCODE and identifier.get("value"):
        return str(identifier["value"])
    text = reference.get("reference") or ""
    return text.split("/", 1)[1] if text.startswith("Organization/") else ""


def _is_inpatient(claim: dict[str, Any], encounter: dict[str, Any]) -> bool:
    profiles = set((claim.get("meta") or {}).get("profile") or []) | set((encounter.get("meta") or {}).get("profile")
                                                                         or [])
    if s.CLAIM_IPD_PROFILE in profiles or s.ENCOUNTER_IPD_PROFILE in profiles:
        return True
    if s.CLAIM_OPD_PROFILE in profiles or s.ENCOUNTER_OPD_PROFILE in profiles:
        return False
    return (encounter.get("class") or {}).get("code") in ("IMP", "ACUTE", "NONAC")


def _ext_code(extension: dict[str, Any] | None, system: str) -> str:
    return next(iter(_codes((extension or {}).get("valueCodeableConcept"), system)), "")


def _clinic(encounter: dict[str, Any]) -> str:
    return next(iter(_codes(encounter.get("serviceType"), s.ECLAIM_CLINIC)), "")


def _diagnosis_code(concept: dict[str, Any] | None) -> str:
    # ICD-10-TM first (Thai claims use it); WHO ICD-10 as ClaimCon binds it; the codes are written without dots.
    return _icd(next(iter(_codes(concept, s.ICD10TM, s.ICD10)), ""))


def _hospital_drg(claim: dict[str, Any]) -> str:
    """The DRG the hospital's own grouper gave (ex-claim-ipd-drg, drg), sent on as IPD.DRG."""
    for extension in claim.get("extension") or []:
        if extension.get("url") == s.EXT_CLAIM_IPD_DRG:
            for part in extension.get("extension") or []:
                if part.get("url") == "drg" and part.get("valueString"):
                    return str(part["valueString"])
    return ""

