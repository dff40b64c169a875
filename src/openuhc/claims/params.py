"""Claims parameters (see openuhc.core.params): each validation rule is switched on per fiscal year with
`claims.rule.<name>` (a ParameterValue valid from 1 October turns it off or on from that fiscal year), and
the rules' limits are parameters too."""

from __future__ import annotations

from openuhc.core.params import define

RULE_NAMES = (
    "field_formats", "patient_identity", "service_dates", "discharge_codes", "newborn_weight", "cross_file_links",
    "charge_totals", "duplicates", "locked_claims", "earlier_visits", "overlapping_stays", "overlapping_admissions",
    "diagnoses", "code_tables", "unit_codes", "eligibility", "op_referral",
)

for _name in RULE_NAMES:
    define(f"claims.rule.{_name}", "bool", True, f"Claims check '{_name}' is switched on",
           f"เปิดใช้การตรวจสอบข้อมูลเบิก '{_name}'")

OP_REFERRAL_REQUIRED = define(
    "claims.op_referral_required", "bool", True,
    "OP care outside the registered unit needs a referral (unless emergency or accident)",
    "การรับบริการผู้ป่วยนอกนอกหน่วยบริการที่ลงทะเบียนต้องมีใบส่งต่อ (ยกเว้นฉุกเฉินหรืออุบัติเหตุ)",
    source="UC rule before '30 baht treatment anywhere'; a migration records it off from 2025-01-01 (nationwide "
           "roll-out, medium confidence: check the NHSO announcement for your area).",
)
EMERGENCY_UCAE = define(
    "claims.emergency_ucae_codes", "json", ["A", "E"],
    "AER.UCAE codes that make a visit an accident or emergency", "รหัส AER.UCAE ที่ถือเป็นอุบัติเหตุหรือฉุกเฉิน",
    source="e-Claim convention: A accident, E emergency (medium confidence).",
)
FUND_SCHEMES = define(
    "claims.fund_schemes", "json", ["UCS"],
    "Registry schemes whose members this fund pays for", "สิทธิที่กองทุนนี้จ่ายชดเชย",
)
NEWBORN_AGE_DAYS = define("claims.newborn_age_days", "int", 28, "Age in days below which an admission is a "
                          "newborn's (admission weight required)", "อายุ (วัน) ที่ถือว่าเป็นทารกแรกเกิด (ต้องมีน้ำหนักแรกรับ)")
NEWBORN_WEIGHT_MIN = define("claims.newborn_weight_min_g", "int", 500, "Smallest plausible newborn admission "
                            "weight (g)", "น้ำหนักแรกรับทารกแรกเกิดต่ำสุดที่รับได้ (กรัม)", source="e-Claim error 153")
NEWBORN_WEIGHT_MAX = define("claims.newborn_weight_max_g", "int", 6000, "Largest plausible newborn admission "
                            "weight (g)", "น้ำหนักแรกรับทารกแรกเกิดสูงสุดที่รับได้ (กรัม)", source="e-Claim error 153")
CHARGE_TOLERANCE = define("claims.charge_tolerance", "decimal", "0.00", "Allowed difference between CHT.TOTAL and "
                          "the sum of CHA (baht)", "ผลต่างที่ยอมรับได้ระหว่าง CHT.TOTAL กับผลรวม CHA (บาท)")
REQUIRED_FILES = define("claims.required_files", "json", ["INS", "PAT", "CHT"],
                        "Files every submission must have (besides OPD or IPD)",
                        "แฟ้มที่ต้องส่งทุกครั้ง (นอกเหนือจาก OPD หรือ IPD)")
ZIP_MAX_MB = define("claims.zip_max_unpacked_mb", "int", 8192, "Largest unpacked size of one submission (MB)",
                    "ขนาดสูงสุดของชุดข้อมูลเมื่อแตกไฟล์แล้ว (MB)")
ZIP_MAX_RATIO = define("claims.zip_max_ratio", "int", 200, "Largest compression ratio of a file in a zip",
                       "อัตราส่วนการบีบอัดสูงสุดของไฟล์ใน zip")
ZIP_MAX_MEMBERS = define("claims.zip_max_members", "int", 200, "Most files in one zip", "จำนวนไฟล์สูงสุดใน zip")
INTERRUPTED_AFTER = define("claims.unstarted_after_minutes", "int", 60,
                            "A submission received but not being checked after this many minutes is marked failed",
                            "ชุดข้อมูลที่รับแล้วแต่ไม่ได้เริ่มตรวจภายในจำนวนนาทีนี้ จะถูกบันทึกว่าล้มเหลว",
                            source="OpenUHC's own: a page's upload starts its check within seconds")
MAX_BAD_LINES = define("claims.max_bad_lines", "int", 10000, "Lines with the wrong field count after which a file "
                       "is refused", "จำนวนบรรทัดที่จำนวนฟิลด์ผิดซึ่งเกินแล้วจะไม่รับทั้งแฟ้ม")
ERROR_DRGS = define(
    "claims.error_drgs", "json", {"26509": "210", "26519": "211", "26529": "212", "26539": "223"},
    "Error DRGs and the claim problem code each one rejects an admission with",
    "DRG ที่จัดกลุ่มไม่ได้ และรหัสปัญหาที่ใช้ปฏิเสธการเบิก",
    source="TDRG 6.3 error groups 2650–2653 (thai-uhc-reference.md §1.6, V); e-Claim reports 26509/26519/26529 as "
           "210/211/212 (../shared/eclaim/error_codes.csv); e-Claim has no number for 26539: OpenUHC's own 223.",
)
HOLD_APPROXIMATE = define(
    "claims.hold_approximate_drg", "bool", True,
    "An admission whose DRG is approximate is held for a regional officer's review before it can be paid",
    "การเบิกผู้ป่วยในที่จัดกลุ่ม DRG แบบประมาณต้องรอเจ้าหน้าที่เขตตรวจสอบก่อนจ่าย",
    source="OpenUHC (issue 12 item 7): money is paid on documented groupings only unless a region decides.",
)
