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
NORMALISE_WEIGHTS = define(
    "payment.capitation_normalise_weights", "bool", True,
    "The OP capitation age weights are normalised over the national registered population, so that what is paid "
    "equals the OP sub-fund",
    "ปรับค่าน้ำหนักกลุ่มอายุของงบเหมาจ่ายผู้ป่วยนอกด้วยประชากรที่ลงทะเบียนทั้งประเทศ ให้ยอดจ่ายเท่ากับงบประเภทบริการ",
    source="thai-uhc-reference.md §2.3: a unit gets OP budget × Σ N_unit·w ÷ Σ N_nation·w (M). Set false to use "
           "the weights as configured (e.g. weights already normalised by the announcement).",
)
CCUF = define(
    "payment.ccuf", "json", {},
    "CCUF of each hospital (unit code → factor with 4 decimals; 1 when absent): AdjRW2 = AdjRW × CCUF × multiplier",
    "ค่า CCUF ของแต่ละหน่วยบริการ (รหัสหน่วยบริการ → ตัวคูณ ทศนิยม 4 ตำแหน่ง ไม่ระบุ = 1)",
    source="NHSO inpatient statement (REP) column 6, a per-hospital multiplier (thai-uhc-reference.md §2.4; its "
           "definition was not found, L): set it from the year's announcement or the REP files.",
)
UNIT_MULTIPLIERS = define(
    "payment.unit_multipliers", "json", {},
    "The inpatient multiplier code of each hospital (unit code → a code of the year's ip_multipliers)",
    "รหัสตัวคูณผู้ป่วยในของแต่ละหน่วยบริการ (รหัสหน่วยบริการ → รหัสใน ip_multipliers ของปีงบประมาณ)",
    source="OpenUHC: which hospitals get which multiplier (e.g. remote areas) is decided per year by the fund.",
)
RTI_COLUMN = define(
    "payment.rti_column", "str", "",
    "The IPD column (kept with the claim) that carries what road-traffic insurance paid for the admission; empty: "
    "none is read",
    "คอลัมน์ในแฟ้ม IPD ที่ระบุจำนวนเงินที่ พ.ร.บ.ผู้ประสบภัยจากรถจ่ายแล้ว (ว่าง = ไม่อ่าน)",
    source="The claim-file standard transcribed in thai-uhc-reference.md §3.2 has no such field; a fund that "
           "receives it in an extra IPD column names that column here.",
)
