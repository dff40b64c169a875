"""Thai DRG parameters (see openuhc.core.params)."""

from __future__ import annotations

from openuhc.core.params import define

LONG_STAY_RULE = define(
    "drg.long_stay_rule", "str", "tdrg5",
    "AdjRW rule for stays longer than the high trim point (a named, versioned plug-in)",
    "กฎคำนวณ AdjRW สำหรับวันนอนเกินจุดตัดบน (ปลั๊กอินที่มีชื่อและรุ่น)",
    source="TDRG 5 style RW + (LOS − OT) × MDF × RW / WTLOS; the TDRG 6.x rule is to be confirmed "
           "(thai-uhc-reference §1.7).",
)
