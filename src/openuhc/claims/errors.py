"""Claim problem codes, numbered like the national e-Claim system's so that hospital staff recognise them.

Groups: 0xx file and structure (OpenUHC's own: e-Claim refuses such files before it numbers anything),
1xx identity and data, 2xx coding and DRG, 3xx charges, 9xx rights and payment. Where e-Claim has a code
with the same meaning we use its number (104, 116, 140, 201, 301, 902, 999 ...); where it has none we use a
number e-Claim leaves free in that group (218–225, 398–399, 903–904) and say so in docs/claims.md.
The messages are OpenUHC's own, in Thai and English.

Each code has a class, as in e-Claim:
  fix    – fix and resend (Corrective): the claim is rejected until the hospital sends it again;
  deny   – not payable by this fund (Deny): the claim is rejected;
  verify – accepted, but an officer should look at it (Verify).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openuhc.core.errors import Coded


class ProblemClass(models.TextChoices):
    FIX = "fix", _("fix and resend")
    DENY = "deny", _("deny")
    VERIFY = "verify", _("verify")


class ClaimError(Coded):
    klass: str

    def __new__(cls, code: str, klass: str, en: str, th: str) -> ClaimError:
        member = object.__new__(cls)
        member._value_ = code
        member.klass = klass
        member.en = en
        member.th = th
        return member

    # --- 0xx file and structure (the whole submission or one file) -------------------------------------
    ARCHIVE_UNREADABLE = ("001", "fix", "The upload is not a readable zip file or folder of claim files ({detail}).",
                          "ไฟล์ที่ส่งไม่ใช่ไฟล์ zip หรือโฟลเดอร์แฟ้มข้อมูลที่อ่านได้ ({detail})")
    ARCHIVE_UNSAFE_PATH = ("002", "fix", "The zip holds a file with an unsafe name ({value}): absolute paths and '..' "
                           "are refused.", "ไฟล์ zip มีชื่อไฟล์ที่ไม่ปลอดภัย ({value}) ห้ามใช้ path เต็มหรือ '..'")
    ARCHIVE_TOO_LARGE = ("003", "fix", "The zip is refused: {detail}.", "ไม่รับไฟล์ zip นี้: {detail_th}")
    FILE_MISSING = ("004", "fix", "The submission has no {file} file, which is required.",
                    "ไม่พบแฟ้ม {file} ซึ่งต้องส่งทุกครั้ง")
    FILE_EMPTY = ("005", "fix", "The {file} file is empty (not even a header line).",
                  "แฟ้ม {file} ว่างเปล่า (ไม่มีแม้แต่บรรทัดหัวตาราง)")
    ENCODING = ("006", "fix", "The {file} file is neither UTF-8 nor TIS-620/CP874 text (first bad byte at offset "
                "{value}).", "แฟ้ม {file} ไม่ใช่ข้อความ UTF-8 หรือ TIS-620/CP874 (ไบต์แรกที่อ่านไม่ได้อยู่ที่ตำแหน่ง {value})")
    MIXED_ENCODING = ("007", "fix", "The {file} file mixes UTF-8 and TIS-620 text: save the whole file in one "
                      "encoding.", "แฟ้ม {file} มีทั้งข้อความ UTF-8 และ TIS-620 ปนกัน ให้บันทึกทั้งแฟ้มด้วยรหัสอักขระเดียว")
    HEADER_MISSING = ("008", "fix", "The first line of {file} is not a header line of field names (it reads "
                      "'{value}').", "บรรทัดแรกของแฟ้ม {file} ไม่ใช่บรรทัดชื่อฟิลด์ (อ่านได้ว่า '{value}')")
    COLUMN_MISSING = ("009", "fix", "The {file} file has no {field} column, which is required.",
                      "แฟ้ม {file} ไม่มีคอลัมน์ {field} ซึ่งจำเป็นต้องมี")
    COLUMN_DUPLICATE = ("010", "fix", "The {file} file has the column {field} twice.",
                        "แฟ้ม {file} มีคอลัมน์ {field} ซ้ำกัน")
    FIELD_COUNT = ("011", "fix", "This line has {value} fields; the header has {expected}. A '|' or a line break "
                   "inside a text field?", "บรรทัดนี้มี {value} ฟิลด์ แต่หัวตารางมี {expected} ฟิลด์ "
                   "(มีเครื่องหมาย | หรือการขึ้นบรรทัดใหม่อยู่ในข้อความหรือไม่)")
    FILE_UNKNOWN = ("012", "verify", "The file {value} is not one of the 17 claim files and was ignored.",
                    "ไฟล์ {value} ไม่ใช่แฟ้มข้อมูลเบิก 17 แฟ้ม จึงไม่ได้นำเข้า")
    BE_YEAR = ("013", "fix", "{field} '{value}' has a Buddhist Era year: claim files use CE years (YYYYMMDD).",
               "{field} '{value}' เป็นปี พ.ศ. แฟ้มข้อมูลเบิกต้องใช้ปี ค.ศ. (YYYYMMDD)")
    FILE_DUPLICATE = ("014", "fix", "The submission has the {file} file twice ({value}).",
                      "มีแฟ้ม {file} มากกว่าหนึ่งแฟ้ม ({value})")
    ORPHAN_ROW = ("015", "fix", "This {file} row refers to {key} {value}, which is not in {parent}.",
                  "แถวนี้ของแฟ้ม {file} อ้างถึง {key} {value} ซึ่งไม่มีในแฟ้ม {parent}")
    NO_PAT_ROW = ("016", "fix", "HN {value} has no row in PAT.", "HN {value} ไม่มีข้อมูลในแฟ้ม PAT")
    NO_INS_ROW = ("017", "fix", "HN {value} has no row in INS.", "HN {value} ไม่มีข้อมูลในแฟ้ม INS")
    UNIT_MISMATCH = ("018", "fix", "{field} is {value}, but this submission is from unit {unit}.",
                     "{field} เป็น {value} แต่ชุดข้อมูลนี้ส่งโดยหน่วยบริการ {unit}")
    BAD_NUMBER = ("019", "fix", "{field} '{value}' is not a number in range.",
                  "{field} '{value}' ไม่ใช่ตัวเลขหรือเกินช่วงที่รับได้")
    BAD_TIME = ("020", "fix", "{field} '{value}' is not a time HHMM.", "{field} '{value}' ไม่ใช่เวลาในรูปแบบ HHMM")
    NO_CLAIMS = ("021", "fix", "The submission has no OP visits and no admissions.",
                 "ชุดข้อมูลนี้ไม่มีทั้งข้อมูลผู้ป่วยนอกและผู้ป่วยใน")
    FILE_BROKEN = ("022", "fix", "The {file} file cannot be read: {detail}.", "อ่านแฟ้ม {file} ไม่ได้: {detail_th}")
    NO_KEY = ("023", "fix", "{field} (the visit or admission number) is missing.",
              "ไม่มี {field} (เลขที่การรับบริการหรือเลขผู้ป่วยใน)")
    KEY_CUT_TWICE = ("024", "fix", "{field} '{value}' is longer than {expected} characters, and another {field} of "
                     "this submission has the same first {expected}: they would be stored as one visit or admission.",
                     "{field} '{value}' ยาวเกิน {expected} ตัวอักษร และมี {field} อื่นในชุดข้อมูลนี้ที่ {expected} "
                     "ตัวอักษรแรกเหมือนกัน จึงบันทึกแยกเป็นคนละรายการไม่ได้")

    # --- 1xx identity and data ----------------------------------------------------------------------
    NO_NAME = ("101", "fix", "The patient's name is missing.", "ไม่มีชื่อ-สกุลผู้ป่วย")
    BAD_BIRTH_DATE = ("102", "fix", "The birth date '{value}' is missing or not a date.",
                      "วันเกิด '{value}' ไม่มีหรือไม่ใช่วันที่")
    BAD_SEX = ("103", "fix", "Sex '{value}' is missing or not 1 (male) or 2 (female).",
               "เพศ '{value}' ไม่มีหรือไม่ใช่ 1 (ชาย) หรือ 2 (หญิง)")
    NO_CID = ("104", "fix", "{field}: the citizen ID is missing.", "{field}: ไม่มีเลขประจำตัวประชาชน")
    NO_HN = ("105", "fix", "The HN (hospital number) is missing.", "ไม่มี HN")
    NO_AN = ("106", "fix", "The AN (admission number) is missing.", "ไม่มี AN")
    BAD_DATE = ("107", "fix", "{field} '{value}' is missing or not a date YYYYMMDD.",
                "{field} '{value}' ไม่มีหรือไม่ใช่วันที่ในรูปแบบ YYYYMMDD")
    NO_DISCHARGE_DATE = ("108", "fix", "The discharge date is missing.", "ไม่มีวันที่จำหน่าย")
    BAD_ADMIT_TIME = ("109", "fix", "The admission time '{value}' is missing or not HHMM.",
                      "เวลารับไว้ '{value}' ไม่มีหรือไม่ใช่รูปแบบ HHMM")
    BAD_DISCHARGE_TIME = ("110", "fix", "The discharge time '{value}' is missing or not HHMM.",
                          "เวลาจำหน่าย '{value}' ไม่มีหรือไม่ใช่รูปแบบ HHMM")
    BAD_DISCHARGE_TYPE = ("111", "fix", "The discharge type '{value}' is missing or not a known code.",
                          "ประเภทการจำหน่าย '{value}' ไม่มีหรือไม่ใช่รหัสที่กำหนด")
    BAD_DISCHARGE_STATUS = ("112", "fix", "The discharge status '{value}' is missing or not a known code.",
                            "สถานภาพเมื่อจำหน่าย '{value}' ไม่มีหรือไม่ใช่รหัสที่กำหนด")
    DISCHARGE_MISMATCH = ("113", "fix", "Discharge status {value} and discharge type {expected} contradict each "
                          "other (death must be both).", "สถานภาพเมื่อจำหน่าย {value} กับประเภทการจำหน่าย {expected} "
                          "ไม่สอดคล้องกัน (กรณีเสียชีวิตต้องตรงกันทั้งสองฟิลด์)")
    NO_ADMIT_WEIGHT = ("114", "fix", "A newborn's admission weight (ADM_W) is missing.",
                       "ไม่มีน้ำหนักแรกรับของทารกแรกเกิด (ADM_W)")
    BAD_CID = ("116", "fix", "{field} '{value}' is not a valid citizen ID: {detail}.",
               "{field} '{value}' ไม่ใช่เลขประจำตัวประชาชนที่ถูกต้อง: {detail_th}")
    ADMITTED_BEFORE_BIRTH = ("120", "fix", "The service date {value} is before the birth date {expected}.",
                             "วันที่รับบริการ {value} อยู่ก่อนวันเกิด {expected}")
    DISCHARGE_BEFORE_ADMISSION = ("121", "fix", "The discharge {value} is before the admission {expected}.",
                                  "วันเวลาจำหน่าย {value} อยู่ก่อนวันเวลารับไว้ {expected}")
    FUTURE_DATE = ("124", "fix", "{field} {value} is after the day the submission was received.",
                   "{field} {value} อยู่หลังวันที่ส่งข้อมูล")
    DUPLICATE_AN = ("140", "fix", "{field} {value} appears more than once for this unit.",
                    "{field} {value} ซ้ำกันในหน่วยบริการเดียวกัน")
    AN_ALREADY_PAID = ("142", "deny", "AN/SEQ {value} was already priced or paid and cannot be replaced.",
                       "AN/SEQ {value} ถูกคำนวณจ่ายหรือจ่ายเงินแล้ว ไม่สามารถส่งแทนที่ได้")
    OVERLAPPING_ADMISSION = ("150", "fix", "The person was also admitted at unit {expected} (AN {value}) over an "
                             "overlapping period.", "ผู้ป่วยรายนี้เป็นผู้ป่วยในของหน่วยบริการ {expected} (AN {value}) "
                             "ในช่วงเวลาที่ทับซ้อนกัน")
    OVERLAPPING_STAY = ("151", "fix", "The dates and times overlap those of {value} ({detail}) of the same person at "
                        "this unit: an admission may not overlap another admission or an OP visit.",
                        "ช่วงวันเวลาทับซ้อนกับ {value} ({detail_th}) ของผู้ป่วยรายเดียวกันในหน่วยบริการนี้ "
                        "การรับไว้เป็นผู้ป่วยในต้องไม่ทับซ้อนกับผู้ป่วยในหรือผู้ป่วยนอกครั้งอื่น")
    DUPLICATE_VISIT = ("152", "verify", "The same person has another OP visit at this unit on the same day "
                       "(SEQ {value}).", "ผู้ป่วยรายเดียวกันมีการรับบริการผู้ป่วยนอกที่หน่วยบริการเดียวกันในวันเดียวกัน "
                       "(SEQ {value})")
    NEWBORN_WEIGHT = ("153", "fix", "A newborn's admission weight of {value} g is outside {expected} g.",
                      "น้ำหนักแรกรับของทารกแรกเกิด {value} กรัม อยู่นอกช่วง {expected} กรัม")
    UNKNOWN_UNIT = ("156", "fix", "The unit code {value} is not in the register of health units.",
                    "รหัสหน่วยบริการ {value} ไม่มีในทะเบียนหน่วยบริการ")
    EARLIER_VISIT = ("179", "fix", "An OP visit of the same person at this unit on this day was already sent as SEQ "
                     "{value}: to correct it, send it again under that SEQ; otherwise leave this one out.",
                     "มีข้อมูลผู้ป่วยนอกของผู้ป่วยรายเดียวกันที่หน่วยบริการนี้ในวันเดียวกันส่งมาแล้วด้วย SEQ {value} "
                     "หากต้องการแก้ไขให้ส่งใหม่ด้วย SEQ เดิม มิฉะนั้นให้ตัดรายการนี้ออก")
    # --- 2xx coding and DRG ---------------------------------------------------------------------------
    NO_PDX = ("201", "fix", "There is no principal diagnosis (DXTYPE 1).", "ไม่มีรหัสการวินิจฉัยโรคหลัก (DXTYPE 1)")
    MANY_PDX = ("202", "fix", "There are {value} principal diagnoses; exactly one is allowed.",
                "มีรหัสการวินิจฉัยโรคหลัก {value} รหัส ต้องมีเพียงรหัสเดียว")
    UNKNOWN_DIAGNOSIS = ("203", "fix", "The diagnosis code {value} is not in the installed code table ({expected}).",
                         "รหัสการวินิจฉัยโรค {value} ไม่มีในตารางรหัสที่ติดตั้ง ({expected})")
    DIAGNOSIS_SEX = ("204", "fix", "The diagnosis code {value} does not fit the patient's sex.",
                     "รหัสการวินิจฉัยโรค {value} ไม่สอดคล้องกับเพศของผู้ป่วย")
    DIAGNOSIS_AGE = ("205", "fix", "The diagnosis code {value} does not fit the patient's age.",
                     "รหัสการวินิจฉัยโรค {value} ไม่สอดคล้องกับอายุของผู้ป่วย")
    BAD_DIAGNOSIS_FORMAT = ("218", "fix", "'{value}' is not an ICD-10 code (a letter, then 2–5 digits or letters, "
                            "no dot).", "'{value}' ไม่ใช่รหัส ICD-10 (ตัวอักษรหนึ่งตัวตามด้วยตัวเลขหรือตัวอักษร 2–5 ตัว ไม่มีจุด)")
    BAD_PROCEDURE_FORMAT = ("219", "fix", "'{value}' is not an ICD-9-CM procedure code (3–7 digits, no dot).",
                            "'{value}' ไม่ใช่รหัสหัตถการ ICD-9-CM (ตัวเลข 3–7 หลัก ไม่มีจุด)")
    UNKNOWN_PROCEDURE = ("220", "fix", "The procedure code {value} is not in the installed code table ({expected}).",
                         "รหัสหัตถการ {value} ไม่มีในตารางรหัสที่ติดตั้ง ({expected})")
    PROCEDURE_SEX = ("221", "fix", "The procedure code {value} does not fit the patient's sex.",
                     "รหัสหัตถการ {value} ไม่สอดคล้องกับเพศของผู้ป่วย")
    BAD_DXTYPE = ("222", "fix", "DXTYPE '{value}' is not 1–5.", "DXTYPE '{value}' ไม่ใช่ 1–5")
    # Error DRGs (reference §1.6: e-Claim reports 26509/26519/26529 as 210/211/212 and has no number for 26539;
    # OpenUHC uses 223, free in the e-Claim table). The DRG → code map is the dated parameter claims.error_drgs.
    DRG_UNGROUPABLE = ("210", "fix", "The admission cannot be grouped (DRG {value}): check the principal diagnosis, "
                       "age, sex, admission weight, length of stay and discharge type, then send it again.",
                       "จัดกลุ่ม DRG ไม่ได้ (DRG {value}) ตรวจสอบการวินิจฉัยโรคหลัก อายุ เพศ น้ำหนักแรกรับ "
                       "จำนวนวันนอน และประเภทการจำหน่าย แล้วส่งใหม่")
    DRG_BAD_PDX = ("211", "fix", "The principal diagnosis is not acceptable as one (DRG {value}): code it by the "
                   "coding rules and send the admission again.",
                   "รหัสการวินิจฉัยโรคหลักใช้เป็นโรคหลักไม่ได้ (DRG {value}) ให้รหัสตามหลักเกณฑ์แล้วส่งใหม่")
    DRG_OBSTETRIC = ("212", "fix", "The diagnoses and delivery procedures do not fit together (DRG {value}): check "
                     "the principal and secondary diagnoses, the procedures and their order, and send it again.",
                     "รหัสการวินิจฉัยโรคและหัตถการการคลอดไม่สอดคล้องกัน (DRG {value}) ตรวจสอบโรคหลัก โรคร่วม "
                     "หัตถการ และลำดับรหัส แล้วส่งใหม่")
    DRG_BAD_AGE = ("223", "fix", "The age is missing or invalid for grouping (DRG {value}): check the birth date and "
                   "the admission date, and send it again.",
                   "อายุไม่มีหรือใช้จัดกลุ่มไม่ได้ (DRG {value}) ตรวจสอบวันเกิดและวันที่รับไว้ แล้วส่งใหม่")
    LEAVE_LONGER_THAN_STAY = ("224", "fix", "{value} leave days are more than the {expected} days between admission "
                              "and discharge.", "วันลากลับบ้าน {value} วัน มากกว่าจำนวนวันระหว่างวันที่รับไว้และวันที่จำหน่าย "
                              "({expected} วัน)")
    REVIEW_REJECTED = ("225", "fix", "Rejected on review of its approximate DRG {value}: {detail}. Correct it and send "
                       "it again.", "ไม่ผ่านการตรวจสอบ DRG {value} ที่จัดกลุ่มแบบประมาณ: {detail} "
                       "แก้ไขแล้วส่งใหม่")

    # --- 3xx charges ------------------------------------------------------------------------------------
    NO_CHARGE = ("301", "fix", "There is no charge, or a charge is negative ({value}).",
                 "ไม่มีค่ารักษาพยาบาล หรือค่ารักษาพยาบาลติดลบ ({value})")
    BAD_AMOUNT = ("398", "fix", "{field} '{value}' is not an amount in baht (up to 14 digits and 2 decimals).",
                  "{field} '{value}' ไม่ใช่จำนวนเงินบาท (ไม่เกิน 14 หลัก ทศนิยม 2 ตำแหน่ง)")
    CHARGE_TOTALS_DIFFER = ("399", "fix", "CHT.TOTAL is {value} but the CHA lines add up to {expected}.",
                            "CHT.TOTAL เป็น {value} แต่ผลรวมรายการใน CHA เป็น {expected}")

    # --- 9xx rights and payment -------------------------------------------------------------------------
    DEAD = ("902", "deny", "The person was recorded as dead on {expected}, before the service date {value}.",
            "ผู้ป่วยมีสถานะเสียชีวิตตั้งแต่ {expected} ก่อนวันที่รับบริการ {value}")
    OTHER_SCHEME = ("903", "deny", "On {value} the person is covered by {expected}, not by this fund.",
                    "ในวันที่ {value} ผู้ป่วยใช้สิทธิ {expected} ไม่ใช่สิทธิของกองทุนนี้")
    REFERRAL_NEEDED = ("904", "deny", "OP care outside the registered unit ({expected}) needs a referral (ORF) "
                       "unless it is an emergency or accident.",
                       "การรับบริการผู้ป่วยนอกนอกหน่วยบริการที่ลงทะเบียน ({expected}) ต้องมีใบส่งต่อ (ORF) "
                       "เว้นแต่เป็นกรณีฉุกเฉินหรืออุบัติเหตุ")
    NO_RIGHT = ("999", "fix", "No right found for this citizen ID on {value}: {detail}.",
                "ไม่พบสิทธิของเลขประจำตัวประชาชนนี้ในวันที่ {value}: {detail_th}")

    @property
    def group(self) -> str:
        return {"0": "file", "1": "data", "2": "coding", "3": "charges", "9": "rights"}[self.code[0]]


# Codes that make the whole submission unusable (exit code 2 of `openuhc claims check`): nothing in it can be
# read as claims.
FILE_LEVEL = frozenset({
    ClaimError.ARCHIVE_UNREADABLE, ClaimError.ARCHIVE_UNSAFE_PATH, ClaimError.ARCHIVE_TOO_LARGE,
    ClaimError.FILE_MISSING, ClaimError.FILE_EMPTY, ClaimError.ENCODING, ClaimError.MIXED_ENCODING,
    ClaimError.HEADER_MISSING, ClaimError.COLUMN_MISSING, ClaimError.COLUMN_DUPLICATE, ClaimError.FILE_DUPLICATE,
    ClaimError.NO_CLAIMS, ClaimError.FILE_BROKEN, ClaimError.KEY_CUT_TWICE,
})


def by_code(code: str) -> ClaimError:
    return ClaimError(code)


class SubmissionError(Coded):
    """Refusals of the claim services (not problems inside the files)."""

    BAD_TRANSITION = ("claim_bad_transition", "A claim that is {old} cannot become {new}.",
                      "การเบิกที่มีสถานะ {old} เปลี่ยนเป็น {new} ไม่ได้")
    STALE = ("claim_changed_meanwhile", "The claim changed while this was being done; try again.",
             "ข้อมูลการเบิกถูกเปลี่ยนระหว่างดำเนินการ กรุณาลองใหม่")
    UNKNOWN_UNIT = ("claim_unknown_unit", "There is no health unit with code {code}.", "ไม่พบหน่วยบริการรหัส {code}")
    NOT_REVIEWER = ("claim_not_reviewer", "Only a national officer or the region's officer reviews held claims.",
                    "ผู้ตรวจสอบรายการที่รอตรวจสอบได้คือเจ้าหน้าที่ส่วนกลางหรือเจ้าหน้าที่เขตของหน่วยบริการนั้น")
    NOT_HELD = ("claim_not_held", "This claim is not held for review (it is {status}).",
                "รายการนี้ไม่ได้อยู่ระหว่างรอตรวจสอบ (สถานะ {status})")
    REVIEW_REASON = ("claim_review_reason", "Give the reason for the decision.", "กรุณาระบุเหตุผลของการตัดสินใจ")
    NOT_YOUR_UNIT = ("claim_not_your_unit", "You may send claims only for your own unit(s).",
                     "ท่านส่งข้อมูลเบิกได้เฉพาะหน่วยบริการของท่าน")
    BAD_UPLOAD = ("claim_bad_upload", "Send a .zip file holding the claim text files.",
                  "กรุณาส่งไฟล์ .zip ที่มีแฟ้มข้อมูลเบิก")
    INTERRUPTED = ("claim_submission_interrupted",
                   "The check of this submission was interrupted ({detail}); nothing of it was stored. Send the files "
                   "again.",
                   "การตรวจชุดข้อมูลนี้ถูกขัดจังหวะ ({detail}) ไม่มีข้อมูลใดถูกบันทึก กรุณาส่งแฟ้มใหม่อีกครั้ง")
    TOO_LARGE = ("claim_upload_too_large", "The file is larger than the allowed {mb} MB.",
                 "ไฟล์มีขนาดใหญ่เกิน {mb} MB ที่กำหนด")


class PagingError(Coded):
    """The claims API's keyset paging (`after`)."""

    BAD_CURSOR = ("bad_parameter_cursor", "The parameter after is not a cursor this list gave (it is '{value}').",
                  "พารามิเตอร์ after ไม่ใช่ตัวชี้ตำแหน่งที่รายการนี้ให้ไว้ (ได้รับ '{value}')")
    WITH_OFFSET = ("bad_parameter_after_offset", "Give either after or offset, not both.",
                   "ระบุ after หรือ offset อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองอย่าง")
