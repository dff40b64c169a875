"""Error codes of the rights app, each with an English and a Thai message."""

from __future__ import annotations

from openuhc.core.errors import Coded


class RightsError(Coded):
    NO_CATEGORY = ("rights_no_category", "Choose the category of the case.", "กรุณาเลือกหมวดของเรื่อง")
    EMPTY_DESCRIPTION = ("rights_empty_description", "Say what happened or what you want to ask.",
                         "กรุณาเล่าเหตุการณ์หรือสิ่งที่ต้องการสอบถาม")
    NO_REGION = ("rights_no_region", "The case needs a centre or a region that will handle it.",
                 "ต้องระบุศูนย์หรือเขตที่รับผิดชอบเรื่องนี้")
    CONSENT_NEEDED = ("rights_consent_needed",
                      "Personal data (name, contact, citizen ID) may be recorded only with the person's consent.",
                      "บันทึกข้อมูลส่วนบุคคล (ชื่อ ช่องทางติดต่อ เลขประจำตัวประชาชน) ได้เมื่อเจ้าของข้อมูลยินยอมเท่านั้น")
    CLOSED = ("rights_case_closed", "Case {number} is closed; reopen it first.",
              "เรื่องเลขที่ {number} ปิดแล้ว ต้องเปิดเรื่องใหม่ก่อน")
    NOT_CLOSED = ("rights_case_not_closed", "Case {number} is not closed.", "เรื่องเลขที่ {number} ยังไม่ปิด")
    ALREADY_ACKNOWLEDGED = ("rights_already_acknowledged", "Case {number} was already acknowledged.",
                            "เรื่องเลขที่ {number} ตอบรับไปแล้ว")
    NO_OUTCOME = ("rights_no_outcome", "Closing a case needs its outcome, in words too.",
                  "การปิดเรื่องต้องระบุผลและคำอธิบาย")
    BAD_SATISFACTION = ("rights_bad_satisfaction", "Satisfaction is a score from 1 to 5.",
                        "ความพึงพอใจเป็นคะแนน 1 ถึง 5")
    ALREADY_RATED = ("rights_already_rated", "This case has already been rated.", "เรื่องนี้ให้คะแนนไปแล้ว")
    CHANGED_MEANWHILE = ("rights_changed_meanwhile",
                         "Someone changed this record while you were working; open it again.",
                         "มีผู้อื่นแก้ไขรายการนี้ระหว่างที่คุณทำงาน กรุณาเปิดใหม่อีกครั้ง")
    NOT_STAFF = ("rights_not_staff", "{user} cannot be assigned: not staff of this centre or region.",
                 "มอบหมายให้ {user} ไม่ได้ เพราะไม่ใช่เจ้าหน้าที่ของศูนย์หรือเขตนี้")
    EMPTY_TEXT = ("rights_empty_text", "Write the message.", "กรุณาพิมพ์ข้อความ")
    # Section 41
    FILED_LATE = ("rights_s41_filed_late",
                  "A request must be filed within {months} months of learning of the damage ({known}), by {last}; "
                  "it was filed on {received}.",
                  "ต้องยื่นคำร้องภายใน {months} เดือนนับจากวันที่รู้ถึงความเสียหาย ({known}) คือภายใน {last} "
                  "แต่ยื่นเมื่อ {received}")
    DATES_ORDER = ("rights_s41_dates_order", "The dates are out of order: service {incident}, known {known}, "
                   "received {received}.",
                   "ลำดับวันที่ไม่ถูกต้อง: วันรับบริการ {incident} วันที่รู้ {known} วันที่รับคำร้อง {received}")
    WRONG_STATUS = ("rights_s41_wrong_status", "The request is \"{status}\"; this step needs \"{needed}\".",
                    "คำร้องอยู่ในสถานะ \"{status}\" ขั้นตอนนี้ต้องเป็น \"{needed}\"")
    NO_EVIDENCE = ("rights_s41_no_evidence", "Record at least one piece of evidence before the file is complete.",
                   "ต้องบันทึกหลักฐานอย่างน้อยหนึ่งรายการก่อนระบุว่าเอกสารครบ")
    NO_DAMAGE_CATEGORY = ("rights_s41_no_category", "An approval needs the category of damage.",
                          "การอนุมัติต้องระบุประเภทความเสียหาย")
    OVER_CEILING = ("rights_s41_over_ceiling",
                    "{amount} baht is above the ceiling of {ceiling} baht for \"{category}\".",
                    "{amount} บาท เกินเพดาน {ceiling} บาท สำหรับ \"{category}\"")
    AMOUNT_NOT_POSITIVE = ("rights_amount_not_positive", "The amount must be more than zero, in baht and satang.",
                           "จำนวนเงินต้องมากกว่าศูนย์ เป็นบาทและสตางค์")
    APPEAL_LATE = ("rights_s41_appeal_late", "The appeal period ended on {deadline}; this appeal is dated {filed}.",
                   "ระยะเวลาอุทธรณ์สิ้นสุดวันที่ {deadline} แต่อุทธรณ์ลงวันที่ {filed}")
    FINAL = ("rights_s41_final", "Request {number} has had its appeal decision, which is final.",
             "คำร้องเลขที่ {number} ได้รับคำวินิจฉัยอุทธรณ์แล้ว ถือเป็นที่สุด")
    NOTHING_TO_PAY = ("rights_s41_nothing_to_pay", "Nothing is left to pay on request {number}.",
                      "คำร้องเลขที่ {number} ไม่มียอดค้างจ่าย")
    OVERPAY = ("rights_s41_overpay", "{amount} baht is more than the {left} baht still due on request {number}.",
               "{amount} บาท มากกว่ายอดค้างจ่าย {left} บาท ของคำร้องเลขที่ {number}")
    RESERVE_SHORT = ("rights_s41_reserve_short",
                     "The Section 41 reserve of {region} for FY{year} has {left} baht left; "
                     "{amount} baht cannot be paid.",
                     "เงินกันสำรองมาตรา 41 ของ {region} ปีงบประมาณ {year} เหลือ {left} บาท จ่าย {amount} บาท ไม่ได้")
    NO_REFERENCE = ("rights_s41_no_reference", "A payment needs its reference (transfer or cheque number).",
                    "การจ่ายเงินต้องมีเลขอ้างอิง (เลขที่โอนหรือเช็ค)")
    # participation
    DAY_OUTSIDE = ("rights_day_outside_activity", "{day} is not a day of this activity ({first} – {last}).",
                   "วันที่ {day} ไม่อยู่ในช่วงกิจกรรม ({first} – {last})")
    HEARING_EXISTS = ("rights_hearing_exists", "{region} already has its public hearing for FY{year}.",
                      "{region} มีการรับฟังความคิดเห็นของปีงบประมาณ {year} แล้ว")
