from __future__ import annotations

from openuhc.core.errors import Coded


class MonitoringError(Coded):
    UNKNOWN_KPI = ("unknown_kpi", "There is no KPI {code!r} for your role.", "ไม่มีตัวชี้วัด {code!r} สำหรับบทบาทของคุณ")
    BAD_BREAKDOWN = (
        "bad_breakdown",
        "This KPI cannot be broken down by {by!r}; choose one of: {allowed}.",
        "ตัวชี้วัดนี้แยกตาม {by!r} ไม่ได้ เลือกได้จาก: {allowed}",
    )
