"""Governance parameters (see openuhc.core.params). Read on the day concerned (the meeting, the answer)."""

from __future__ import annotations

from openuhc.core.params import define

QUORUM = define(
    "governance.quorum", "str", "1/2",
    "Share of the voting members in office who must attend for a quorum, unless the body's order sets another",
    "สัดส่วนกรรมการผู้มีสิทธิออกเสียงที่อยู่ในตำแหน่งที่ต้องมาประชุมจึงครบองค์ประชุม (เว้นแต่คำสั่งแต่งตั้งกำหนดไว้เป็นอย่างอื่น)",
    source="Administrative Procedure Act B.E. 2539, s.79 para. 1: at least one half of the members, save where the "
           "law, regulation or order establishing the committee designates otherwise.",
)
RECONVENED_QUORUM = define(
    "governance.reconvened_quorum", "str", "1/3",
    "Quorum for a matter adjourned for want of a quorum and taken up again in time, when the notice said so",
    "องค์ประชุมสำหรับเรื่องที่เลื่อนเพราะไม่ครบองค์ประชุมและนัดประชุมใหม่ภายในกำหนด โดยระบุไว้ในหนังสือนัด",
    source="Administrative Procedure Act B.E. 2539, s.79 para. 2: not less than one third of the members.",
)
RECONVENE_WITHIN_DAYS = define(
    "governance.reconvene_within_days", "int", 14,
    "Days after a meeting without a quorum within which the matter may be taken up with the reduced quorum",
    "จำนวนวันหลังการประชุมที่ไม่ครบองค์ประชุมที่นัดประชุมใหม่โดยใช้องค์ประชุมที่ลดลงได้",
    source="Administrative Procedure Act B.E. 2539, s.79 para. 2: within fourteen days.",
)
TERM_WARNING_DAYS = define(
    "governance.term_warning_days", "int", 90,
    "Warn this many days before members' terms end",
    "เตือนล่วงหน้ากี่วันก่อนกรรมการครบวาระ",
    source="Design choice: time to ask the appointing authority for a new order.",
)
SCREENING_CRITERIA = define(
    "governance.screening_criteria", "json", [
        {"code": "importance", "en": "Importance of the issue", "th": "ความสำคัญของประเด็น"},
        {"code": "size", "en": "Size of the problem", "th": "ขนาดและความรุนแรงของปัญหา"},
        {"code": "public_interest", "en": "Public interest", "th": "ผลประโยชน์ต่อสาธารณะ"},
        {"code": "feasibility", "en": "Feasibility", "th": "ความเป็นไปได้ในการขับเคลื่อน"},
    ],
    "Criteria on which proposed issues are screened (code, English, Thai)",
    "เกณฑ์กลั่นกรองประเด็นที่เสนอ",
    source="The four criteria of the provincial assembly process (issue 19); the national assembly's organising "
           "committee screens on importance, severity of impact and feasibility (samatcha.org, NHA 11 agenda).",
)
SCREENING_MAX_SCORE = define(
    "governance.screening_max_score", "int", 5,
    "Highest score on each screening criterion (the lowest is 1)",
    "คะแนนสูงสุดของแต่ละเกณฑ์กลั่นกรอง (ต่ำสุด 1)",
    source="Design choice: a five-point scale.",
)
PROPOSALS_PER_HOUR = define(
    "governance.public_proposals_per_hour", "int", 5,
    "Issues one client address may propose through the public form per hour",
    "จำนวนประเด็นที่เสนอผ่านแบบฟอร์มสาธารณะได้ต่อชั่วโมงจากเครื่องเดียวกัน",
    source="Our own limit against abuse, as for the public complaint form.",
)
TRANSFER_UNIT_TYPES = define(
    "governance.transfer_unit_types", "json", ["shph"],
    "Unit types counted as sub-district units in the transfer figures",
    "ประเภทหน่วยบริการที่นับเป็น รพ.สต. ในสถิติการถ่ายโอน",
    source="Sub-district health promoting hospitals (รพ.สต.) are the units transferred to PAOs (reference §6.2).",
)
MINUTES_MAX_MB = define(
    "governance.minutes_max_mb", "int", 20,
    "Largest minutes file (MB)",
    "ขนาดไฟล์รายงานการประชุมสูงสุด (เมกะไบต์)",
    source="Design choice: a scanned, signed PDF of a few dozen pages.",
)
MINUTES_TYPES = define(
    "governance.minutes_types", "json", ["pdf", "docx", "odt", "doc"],
    "File types accepted for minutes",
    "ประเภทไฟล์รายงานการประชุมที่รับ",
    source="Design choice: the documents offices write minutes in.",
)
PLAN_MAX_YEARS = define(
    "governance.plan_max_years", "int", 10,
    "Longest period of a strategic plan (fiscal years)",
    "ระยะเวลาของแผนยุทธศาสตร์ยาวที่สุด (ปีงบประมาณ)",
    source="Design choice: local development plans run 5 years; 10 leaves room for longer ones.",
)
