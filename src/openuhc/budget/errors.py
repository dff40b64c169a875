"""Error codes of the budget app (Thai and English)."""

from __future__ import annotations

from openuhc.core.errors import Coded


class BudgetError(Coded):
    NO_CONFIG = (
        "budget_no_config",
        "No budget configuration of scheme {scheme} is in force on {on} (fiscal year {fy}).",
        "ไม่มีการตั้งค่างบประมาณของสิทธิ {scheme} ที่ใช้บังคับในวันที่ {on} (ปีงบประมาณ {fy})",
    )
    FIELD = (
        "budget_field",
        "{where}: {problem}",
        "{where}: {problem_th}",
    )
    SUB_FUNDS_SUM = (
        "budget_sub_funds_sum",
        "The sub-funds add up to {total} baht per head, not to the per-capita amount {per_capita}.",
        "ผลรวมของประเภทบริการเท่ากับ {total} บาทต่อหัว ไม่เท่ากับงบเหมาจ่ายรายหัว {per_capita} บาท",
    )
    AGE_GROUPS = (
        "budget_age_groups",
        "Age groups must start at age 0, follow each other without gaps or overlaps, and end open (no upper age).",
        "กลุ่มอายุต้องเริ่มที่ 0 ปี ต่อเนื่องกันโดยไม่เว้นช่วงหรือซ้อนกัน และกลุ่มสุดท้ายไม่มีอายุสูงสุด",
    )
    LATE_RULES = (
        "budget_late_rules",
        "Late-submission rules must start at 0 days late and go up in days.",
        "เกณฑ์การส่งข้อมูลล่าช้าต้องเริ่มที่ 0 วัน และเรียงจำนวนวันจากน้อยไปมาก",
    )
    DUPLICATE = (
        "budget_duplicate",
        "{what} {code} appears more than once.",
        "{what_th} {code} ปรากฏมากกว่าหนึ่งครั้ง",
    )
    UNKNOWN_REGION = ("budget_unknown_region", "There is no NHSO region {region}.", "ไม่มีเขตบริการ สปสช. ที่ {region}")
    UNKNOWN_SCHEME = ("budget_unknown_scheme", "There is no scheme {scheme}.", "ไม่มีสิทธิ {scheme}")
    OUTSIDE_YEAR = (
        "budget_outside_year",
        "A version of fiscal year {fy} must take effect by the end of that year ({end}).",
        "การตั้งค่าของปีงบประมาณ {fy} ต้องเริ่มใช้ไม่เกินวันสิ้นปีงบประมาณ ({end})",
    )
    SAVED_MEANWHILE = (
        "budget_saved_meanwhile",
        "Someone else saved a version of this year at the same moment; open the page again and re-apply your change.",
        "มีผู้อื่นบันทึกการตั้งค่าของปีนี้ในเวลาเดียวกัน กรุณาเปิดหน้าใหม่แล้วแก้ไขอีกครั้ง",
    )
    BAD_FILE = (
        "budget_bad_file",
        "The file cannot be read as a budget configuration: {detail}",
        "อ่านไฟล์เป็นการตั้งค่างบประมาณไม่ได้: {detail_th}",
    )
