"""Monitoring parameters (see openuhc.core.params)."""

from __future__ import annotations

from openuhc.core.params import define

HISTORY_YEARS = define(
    "monitoring.history_years", "int", 2,
    "Fiscal years kept in the analytics store (the running year and the ones before it)",
    "จำนวนปีงบประมาณที่เก็บในคลังข้อมูลวิเคราะห์ (ปีปัจจุบันและปีก่อนหน้า)",
)
ON_TIME_TARGET = define(
    "monitoring.on_time_target_percent", "decimal", "80",
    "Target share of complaints closed within their deadline (percent)",
    "เป้าหมายสัดส่วนเรื่องร้องเรียนที่ปิดได้ภายในกำหนด (ร้อยละ)",
)
