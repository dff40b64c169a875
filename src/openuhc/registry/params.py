"""Registry parameters (see openuhc.core.params)."""

from __future__ import annotations

from openuhc.core.params import define

UNIT_CHANGE_LIMIT = define(
    "registry.unit_change_limit", "int", 4,
    "Changes of registered unit allowed per period", "จำนวนครั้งที่เปลี่ยนหน่วยบริการได้ต่อรอบ",
    source="Reported as 4 per year (NHSO public information; low confidence, check the current announcement).",
)
UNIT_CHANGE_PERIOD = define(
    "registry.unit_change_period", "str", "fiscal_year",
    "Period over which unit changes are counted: fiscal_year or calendar_year",
    "รอบการนับการเปลี่ยนหน่วยบริการ: fiscal_year (ปีงบประมาณ) หรือ calendar_year (ปีปฏิทิน)",
)
