"""Error codes of the local-fund app, each with an English and a Thai message."""

from __future__ import annotations

from openuhc.core.errors import Coded


class FundError(Coded):
    YEAR_CLOSED = ("fund_year_closed", "Fiscal year {year} of this fund is closed; record it in an open year.",
                   "ปีงบประมาณ {year} ของกองทุนนี้ปิดแล้ว กรุณาบันทึกในปีที่ยังเปิดอยู่")
    YEAR_ALREADY_CLOSED = ("fund_year_already_closed", "Fiscal year {year} is already closed.",
                           "ปีงบประมาณ {year} ปิดไปแล้ว")
    DATE_OUTSIDE_YEAR = ("fund_date_outside_year", "{date} is not in fiscal year {year} ({start} – {end}).",
                         "วันที่ {date} ไม่อยู่ในปีงบประมาณ {year} ({start} – {end})")
    AMOUNT_NOT_POSITIVE = ("fund_amount_not_positive", "The amount must be more than zero.",
                           "จำนวนเงินต้องมากกว่าศูนย์")
    AMOUNT_SATANG = ("fund_amount_satang", "Amounts are in baht with at most 2 decimals (satang).",
                     "จำนวนเงินเป็นบาท ทศนิยมไม่เกิน 2 ตำแหน่ง (สตางค์)")
    UNKNOWN_KIND = ("fund_unknown_income_kind", "There is no kind of income called {kind}.",
                    "ไม่มีประเภทรายรับ {kind}")
    UNKNOWN_CATEGORY = ("fund_unknown_category", "There is no project category {category}.",
                        "ไม่มีประเภทโครงการ {category}")
    NO_POPULATION = ("fund_no_population",
                     "No registered population was found in the area of this fund; the transfer cannot be worked out.",
                     "ไม่พบประชากรในพื้นที่ของกองทุนนี้ จึงคำนวณเงินโอนไม่ได้")
    BAD_POPULATION_RULE = ("fund_bad_population_rule", "The population rule {rule} is neither address nor unit.",
                           "หลักเกณฑ์นับประชากร {rule} ไม่ใช่ address หรือ unit")
    NO_BUDGET_LINES = ("fund_no_budget_lines", "A project needs at least one budget line.",
                       "โครงการต้องมีรายการงบประมาณอย่างน้อยหนึ่งรายการ")
    WRONG_STATUS = ("fund_wrong_status", "The project is {status}; this step needs it to be {needed}.",
                    "โครงการอยู่ในสถานะ {status} ขั้นตอนนี้ต้องอยู่ในสถานะ {needed}")
    MEETING_OTHER_FUND = ("fund_meeting_other_fund", "That meeting belongs to another fund.",
                          "การประชุมนั้นเป็นของกองทุนอื่น")
    NO_QUORUM = ("fund_no_quorum",
                 "Meeting {meeting} had no quorum ({present} of {in_office} members present, {needed} needed); "
                 "it cannot decide on projects.",
                 "การประชุม {meeting} ไม่ครบองค์ประชุม (มา {present} จาก {in_office} คน ต้องมีอย่างน้อย {needed} คน) "
                 "จึงพิจารณาโครงการไม่ได้")
    MEETING_BEFORE_SUBMISSION = ("fund_meeting_before_submission",
                                 "The meeting was held before the project was submitted.",
                                 "การประชุมจัดก่อนวันที่ยื่นโครงการ")
    APPROVED_TOO_MUCH = ("fund_approved_too_much", "The approved amount {approved} is more than the {requested} "
                         "requested.", "จำนวนที่อนุมัติ {approved} บาท มากกว่าที่ขอ {requested} บาท")
    CAP_EXCEEDED = ("fund_cap_exceeded",
                    "Approving {amount} baht would bring {category} to {total} baht in FY{year}, above its cap of "
                    "{percent} % of the year's receipts ({cap} baht).",
                    "การอนุมัติ {amount} บาท จะทำให้ {category} ในปีงบประมาณ {year} รวมเป็น {total} บาท "
                    "เกินเพดานร้อยละ {percent} ของรายรับของปี ({cap} บาท)")
    NOT_ENOUGH_MONEY = ("fund_not_enough_money",
                        "Approving {amount} baht would commit more than the {available} baht the {account} has "
                        "that is not yet committed.",
                        "การอนุมัติ {amount} บาท เกินเงินที่ยังไม่ผูกพันใน{account} ({available} บาท)")
    OVERDRAWN = ("fund_overdrawn", "Paying {amount} baht would take the {account} below zero (balance {balance}).",
                 "การจ่าย {amount} บาท จะทำให้{account}ติดลบ (คงเหลือ {balance} บาท)")
    OVER_APPROVED = ("fund_over_approved",
                     "Paying {amount} baht would bring the project's disbursements to {total}, above the {approved} "
                     "approved.", "การจ่าย {amount} บาท จะทำให้ยอดเบิกจ่ายรวม {total} บาท เกินวงเงินอนุมัติ {approved} บาท")
    SPENT_MORE_THAN_PAID = ("fund_spent_more_than_paid",
                            "The actual spending {spent} is more than the {paid} baht paid to the project.",
                            "ค่าใช้จ่ายจริง {spent} บาท มากกว่าเงินที่จ่ายให้โครงการ {paid} บาท")
    NEEDS_AGREEMENT_NO = ("fund_needs_agreement_no", "Enter the agreement number.", "กรุณากรอกเลขที่ข้อตกลง")
    MEMBER_TERM = ("fund_member_term", "The term ends before it starts.", "วันสิ้นสุดวาระอยู่ก่อนวันเริ่มวาระ")
    MEMBER_OTHER_FUND = ("fund_member_other_fund", "A member of another fund cannot attend this meeting.",
                         "กรรมการของกองทุนอื่นเข้าประชุมของกองทุนนี้ไม่ได้")
    DUPLICATE_MEETING = ("fund_duplicate_meeting", "Meeting number {number} of FY{year} is already recorded.",
                         "การประชุมครั้งที่ {number} ของปีงบประมาณ {year} บันทึกไว้แล้ว")
    PLAN_TARGET_OTHER = ("fund_plan_target_other", "That health-plan target belongs to another fund or year.",
                         "เป้าหมายแผนสุขภาพนั้นเป็นของกองทุนหรือปีอื่น")
    PREVIOUS_YEAR_OPEN = ("fund_previous_year_open", "Close FY{year} first: years are closed in order.",
                          "กรุณาปิดปีงบประมาณ {year} ก่อน เพราะต้องปิดปีตามลำดับ")
