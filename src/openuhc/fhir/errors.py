"""Error codes of the FHIR endpoints and the national-API shapes, each with its HTTP status, the FHIR issue type
of the OperationOutcome it becomes (http://hl7.org/fhir/issue-type) and a Thai and an English message."""

from __future__ import annotations

from openuhc.core.errors import Coded


class FhirError(Coded):
    status: int
    issue: str

    def __new__(cls, code: str, status: int, issue: str, en: str, th: str) -> FhirError:
        member = object.__new__(cls)
        member._value_ = code
        member.status = status
        member.issue = issue
        member.en = en
        member.th = th
        return member

    # --- the request as a whole ---------------------------------------------------------------------------
    UNAUTHENTICATED = ("unauthenticated", 401, "login", "Send a valid API token (Authorization: Bearer …).",
                       "กรุณาส่ง API token ที่ใช้ได้ (Authorization: Bearer …)")
    FORBIDDEN = ("forbidden", 403, "forbidden", "Your role does not give access to this record.",
                 "บทบาทของคุณไม่มีสิทธิ์เข้าถึงข้อมูลนี้")
    NOT_FOUND = ("not_found", 404, "not-found", "{resource}/{id} is not known here.", "ไม่พบ {resource}/{id}")
    UNKNOWN_ROUTE = ("unknown_route", 404, "not-supported",
                     "This server has no {path} endpoint; GET /fhir/metadata lists what it supports.",
                     "ไม่มีบริการ {path} ดูรายการบริการที่รองรับได้ที่ GET /fhir/metadata")
    METHOD = ("method_not_allowed", 405, "not-supported", "{method} is not supported on {path}.",
              "ไม่รองรับ {method} สำหรับ {path}")
    MEDIA_TYPE = ("unsupported_media_type", 415, "not-supported",
                  "Send the body as JSON (application/fhir+json or application/json).",
                  "กรุณาส่งข้อมูลในรูปแบบ JSON (application/fhir+json หรือ application/json)")
    NOT_JSON = ("not_json", 400, "structure", "The body is not valid JSON ({detail}).",
                "ข้อมูลที่ส่งไม่ใช่ JSON ที่ถูกต้อง ({detail})")
    TOO_LARGE = ("too_large", 413, "too-costly", "The body is larger than {mb} MB.", "ข้อมูลที่ส่งมีขนาดเกิน {mb} MB")
    WRONG_RESOURCE = ("wrong_resource", 400, "invalid", "Expected {expected}, got {got}.",
                      "ต้องส่ง {expected} แต่ได้รับ {got}")
    INVALID_RESOURCE = ("invalid_resource", 400, "structure", "The {resource} is not valid FHIR R4B: {detail}",
                        "{resource} ไม่ถูกต้องตาม FHIR R4B: {detail}")
    INTERNAL = ("internal", 500, "exception", "The server could not answer; the error was logged.",
                "ระบบไม่สามารถตอบคำขอได้ บันทึกข้อผิดพลาดไว้แล้ว")

    # --- search -----------------------------------------------------------------------------------------------
    BAD_PARAMETER = ("bad_parameter", 400, "invalid", "The search parameter {name} is not supported on {resource}.",
                     "{resource} ไม่รองรับพารามิเตอร์ค้นหา {name}")
    BAD_VALUE = ("bad_value", 400, "value", "The value of {name} is not valid: {detail}",
                 "ค่าของ {name} ไม่ถูกต้อง: {detail}")
    SEARCH_NEEDS_PARAMETER = ("search_needs_parameter", 400, "required",
                              "Searching {resource} needs one of: {names}.",
                              "การค้นหา {resource} ต้องระบุอย่างน้อยหนึ่งใน: {names}")
    UNKNOWN_SYSTEM = ("unknown_system", 400, "value", "Identifier system {system} is not one this server knows for "
                      "{resource}; use {expected}.",
                      "ระบบรหัส {system} ไม่ใช่ระบบที่ใช้กับ {resource} กรุณาใช้ {expected}")

    # --- eligibility --------------------------------------------------------------------------------------------
    NO_PATIENT_IDENTIFIER = ("no_patient_identifier", 400, "required",
                             "Name the patient by citizen ID: patient.identifier with system "
                             "https://terms.sil-th.org/id/th-cid, or a contained Patient carrying it.",
                             "กรุณาระบุผู้ป่วยด้วยเลขประจำตัวประชาชน (patient.identifier ระบบ "
                             "https://terms.sil-th.org/id/th-cid หรือ Patient ที่แนบมา)")
    BAD_DATE = ("bad_date", 400, "value", "{field} is not a date YYYY-MM-DD in CE ({detail}).",
                "{field} ไม่ใช่วันที่ YYYY-MM-DD ในปี ค.ศ. ({detail})")

    # --- claims ---------------------------------------------------------------------------------------------------
    NO_CLAIM = ("no_claim", 400, "required", "The Bundle holds no Claim.", "Bundle ไม่มี Claim")
    TOO_MANY_CLAIMS = ("too_many_claims", 400, "too-costly", "A Bundle may hold at most {limit} Claims.",
                       "Bundle หนึ่งชุดส่ง Claim ได้ไม่เกิน {limit} รายการ")
    UNRESOLVED_REFERENCE = ("unresolved_reference", 400, "invalid",
                            "{path} refers to {reference}, which is not in the Bundle.",
                            "{path} อ้างถึง {reference} ซึ่งไม่มีใน Bundle")
    MISSING = ("missing", 400, "required", "{path} is required: {detail}", "ต้องระบุ {path}: {detail_th}")
    UNKNOWN_PROVIDER = ("unknown_provider", 400, "value", "The provider {code} is not a known health unit.",
                        "ไม่พบหน่วยบริการรหัส {code}")
    NOT_YOUR_UNIT = ("not_your_unit", 403, "forbidden", "Your token does not act for unit {code}.",
                     "token นี้ไม่ได้เป็นของหน่วยบริการ {code}")
    MIXED_PROVIDERS = ("mixed_providers", 400, "business-rule",
                       "All Claims of one Bundle must come from the same provider.",
                       "Claim ทุกรายการใน Bundle เดียวกันต้องมาจากหน่วยบริการเดียวกัน")
    UNKNOWN_CHARGE = ("unknown_charge", 400, "code-invalid",
                      "{path} has no charge code of the claim files (system {system}, the CHA CHRGITEM code "
                      "such as 11 or 31) and no ADP type: OpenUHC does not guess a charge category.",
                      "{path} ไม่มีรหัสหมวดค่ารักษาตามแฟ้มเบิก (ระบบ {system} รหัส CHRGITEM ในแฟ้ม CHA เช่น 11 หรือ 31) "
                      "และไม่มีประเภท ADP ระบบจะไม่เดาหมวดค่ารักษาให้")

    # --- e-Claim-style file send ----------------------------------------------------------------------------------
    NO_FILES = ("no_files", 400, "required", "The request carries no claim files (file.ins, file.pat, …).",
                "คำขอไม่มีแฟ้มข้อมูลเบิก (file.ins, file.pat, …)")
    BAD_FILE = ("bad_file", 400, "value", "The file {name} is not usable: {detail}",
                "แฟ้ม {name} ใช้ไม่ได้: {detail_th}")
    UNKNOWN_TRANSACTION = ("unknown_transaction", 404, "not-found", "No transaction {id} is known here.",
                           "ไม่พบรายการนำส่ง {id}")
    NO_UNIT = ("no_unit", 400, "required",
               "Say which unit sends the files: end the User-Agent with the unit code (<platform>/<version> "
               "<hcode>) or use a hospital token.",
               "กรุณาระบุหน่วยบริการที่ส่ง: ใส่รหัสหน่วยบริการท้าย User-Agent (<platform>/<version> <hcode>) "
               "หรือใช้ token ของโรงพยาบาล")

    def message(self, language: str | None = None, **params: object) -> str:
        # Messages may name a Thai variant of a detail ({detail_th}); fall back to the English detail.
        if "detail" in params and "detail_th" not in params:
            params = {**params, "detail_th": params["detail"]}
        return super().message(language, **params)
