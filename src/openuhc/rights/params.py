"""Rights-protection parameters (see openuhc.core.params): deadlines, Section 41 ceilings, the public form's limits."""

from __future__ import annotations

from openuhc.core.params import define

ACK_WORKING_DAYS = define(
    "rights.acknowledge_working_days", "json",
    {"complaint": 1, "grievance": 1, "advice": 1, "coordination": 1},
    "Working days to acknowledge a case, by kind of case",
    "จำนวนวันทำการที่ต้องตอบรับเรื่อง แยกตามประเภทเรื่อง",
    source="Issue 7 default (acknowledge within 1 working day); centres' agreements with NHSO set the real value "
           "(thai-uhc-reference.md §5.3, confidence L).",
)
OUTCOME_DAYS = define(
    "rights.outcome_days", "json",
    {"complaint": 30, "grievance": 30, "advice": 7, "coordination": 15},
    "Calendar days from receipt to an outcome, by kind of case",
    "จำนวนวัน (ปฏิทิน) นับจากรับเรื่องจนได้ข้อยุติ แยกตามประเภทเรื่อง",
    source="30 days is the usual internal target for complaints (thai-uhc-reference.md §5.3, confidence L); "
           "7 and 15 days for questions and coordination are our own starting values.",
)
HOLIDAYS = define(
    "rights.holidays", "json", [],
    "Public holidays (ISO dates) that are not working days, besides Saturdays and Sundays",
    "วันหยุดราชการ (วันที่แบบ ISO) นอกจากวันเสาร์และอาทิตย์",
    source="Set each year from the Cabinet's holiday announcement.",
)
SUBMITS_PER_HOUR = define(
    "rights.public_submissions_per_hour", "int", 5,
    "Cases one client address may file through the public form per hour",
    "จำนวนเรื่องที่ส่งผ่านแบบฟอร์มสาธารณะได้ต่อชั่วโมงจากเครื่องเดียวกัน",
    source="Our own limit against abuse; a person with more to say can phone the hotline.",
)
LOOKUPS_PER_HOUR = define(
    "rights.public_lookups_per_hour", "int", 20,
    "Follow-up attempts (case number and secret) one client address may make per hour",
    "จำนวนครั้งที่ติดตามเรื่องด้วยเลขที่และรหัสลับได้ต่อชั่วโมงจากเครื่องเดียวกัน",
    source="Our own limit: with a 10-character secret, 20 guesses an hour cannot find another case.",
)
S41_CEILINGS = define(
    "rights.s41_ceilings", "json", {"death": "400000", "organ": "240000", "injury": "100000"},
    "Section 41 assistance ceiling per damage category (baht)",
    "เพดานเงินช่วยเหลือเบื้องต้นตามมาตรา 41 แยกตามประเภทความเสียหาย (บาท)",
    source="Board regulation; amounts confirmed by the 2021 vaccine-injury gazette (thai-uhc-reference.md §5.2, "
           "confidence H).",
)
S41_FILING_MONTHS = define(
    "rights.s41_filing_months", "int", 12,
    "Calendar months after the damage became known within which a Section 41 request may be filed",
    "จำนวนเดือน (ตามปฏิทิน) นับจากรู้ถึงความเสียหายที่ยื่นคำร้องตามมาตรา 41 ได้",
    source="Within 1 year of knowing the damage (thai-uhc-reference.md §5.2, confidence M), counted as the Civil "
           "and Commercial Code counts years (ss. 193/3, 193/5: calendar months, the first day not counted).",
)
S41_DECISION_DAYS = define(
    "rights.s41_decision_days", "int", 30,
    "Days from a complete file to the committee's decision",
    "จำนวนวันนับจากได้รับเอกสารครบจนคณะอนุกรรมการวินิจฉัย",
    source="thai-uhc-reference.md §5.2, confidence L.",
)
S41_APPEAL_DAYS = define(
    "rights.s41_appeal_days", "int", 30,
    "Days after the decision within which it may be appealed",
    "จำนวนวันนับจากวันที่วินิจฉัยที่ยื่นอุทธรณ์ได้",
    source="thai-uhc-reference.md §5.2, confidence L.",
)
