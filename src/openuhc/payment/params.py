"""Payment parameters (see openuhc.core.params); the money rules themselves live in the budget versions."""

from __future__ import annotations

from openuhc.core.params import define

FOUR_EYES = define(
    "payment.four_eyes", "bool", True,
    "A run is checked, approved and published by different people from the one who did the step before",
    "ผู้ตรวจสอบ ผู้อนุมัติ และผู้เผยแพร่รอบจ่ายต้องไม่ใช่คนเดียวกับผู้ทำขั้นตอนก่อนหน้า",
    source="Separation of duties (OpenUHC default); set to false for a one-person office.",
)
SALARY_OWNER_KINDS = define(
    "payment.salary_owner_kinds", "json", ["ministry"],
    "Owner kinds whose units have staff salaries deducted from their payments",
    "ประเภทสังกัดของหน่วยบริการที่ถูกหักเงินเดือนจากเงินที่ได้รับ",
    source="NHSO deducts salaries of Ministry of Public Health staff (thai-uhc-reference §2.1, §2.4); "
           "check the year's announcement for other owners.",
)
