"""Starting configurations for the universal coverage scheme (UCS), FY2569 and FY2570.

Sources (../shared/domain/thai-uhc-reference.md, "ref §"):
- per capita FY2569 4,173.04 baht (ref §2.1, table row 2569, tag M/H); IP base rate 8,350 baht per AdjRW held
  for FY2569 by board resolution (ref §2.4, tag M);
- the salary share of the IP rate: 3,505 of 8,350 baht per RW is left after separating salaries (ref §2.4,
  a leaked working paper, tag M) → 58.02 % salary deduction for public units' inpatient money;
- fee-schedule prices ANC 360 / postnatal 150 / pregnancy ultrasound 400 baht (ref §2.5, tag L).
Illustrative, NOT from an announcement (the reference says the per-year split must come from that year's
announcement, ref §2.2): the sub-fund split, the age weights (shape from ref §2.3: under 5 and over 60 above 1,
adults below 1), the regional IP budgets, the late-submission steps, the OP salary deduction, the road-traffic
cap and the fee caps; FY2570 (not yet announced) is FY2569 + 3 % per sub-fund. Replace them with the year's
announcement before paying real money.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from openuhc.core.money import allocate

UC_MEMBERS = 47_600_000  # ref §2.1: 47.9 m people in FY2565; used only to size the illustrative IP budgets

SUB_FUNDS_2569 = [
    # code, Thai, English, baht per head, paid by
    ("OP", "บริการผู้ป่วยนอกทั่วไป", "OP general", D("1426.69"), "capitation"),
    ("IP", "บริการผู้ป่วยในทั่วไป", "IP general", D("1545.80"), "ip"),
    ("CR", "บริการกรณีเฉพาะ", "Central reimbursement", D("405.33"), "other"),
    ("PP", "บริการสร้างเสริมสุขภาพและป้องกันโรค", "Prevention and promotion", D("505.15"), "fee"),
    ("REHAB", "บริการฟื้นฟูสมรรถภาพด้านการแพทย์", "Medical rehabilitation", D("21.39"), "other"),
    ("TTM", "บริการการแพทย์แผนไทย", "Thai traditional medicine", D("17.84"), "other"),
    ("CAPITAL", "ค่าบริการทางการแพทย์ที่เบิกจ่ายในลักษณะงบลงทุน", "Capital replacement", D("148.02"), "other"),
    ("QOF", "บริการตามเกณฑ์คุณภาพผลงานบริการ", "Quality and outcome framework", D("102.82"), "other"),
]
AGE_GROUPS = [("0-4", 0, 4, D("1.9500")), ("5-14", 5, 14, D("0.9000")), ("15-59", 15, 59, D("0.7000")),
              ("60+", 60, None, D("1.9000"))]
# Illustrative shares of the IP budget by NHSO region 1–13 (roughly the UC population of each region).
REGION_SHARES = [68, 46, 44, 66, 69, 66, 76, 86, 101, 67, 69, 70, 62]
LATE_RULES = [(0, D("100")), (31, D("95")), (366, D("0"))]
FEE_ITEMS = [
    {"code": "ANC", "name_th": "ฝากครรภ์", "name_en": "Antenatal care visit", "price": "360", "sex": 2,
     "min_age": 10, "max_age": 54, "cap_count": 5, "cap_period": "year"},
    {"code": "PNC", "name_th": "ตรวจหลังคลอด", "name_en": "Postnatal care visit", "price": "150", "sex": 2,
     "min_age": 10, "max_age": 54, "cap_count": 3, "cap_period": "year"},
    {"code": "US", "name_th": "อัลตราซาวด์ระหว่างตั้งครรภ์", "name_en": "Ultrasound in pregnancy", "price": "400",
     "sex": 2, "min_age": 10, "max_age": 54, "cap_count": 2, "cap_amount": "800", "cap_period": "year"},
]


def year_config(fy: int) -> dict[str, Any]:
    """The configuration dict of FY2569, or FY2569 grown 3 % per sub-fund for a later year (illustrative)."""
    growth = D("1.03") ** max(0, fy - 2569)
    sub_funds = [{"code": c, "name_th": th, "name_en": en, "per_capita": str((amount * growth).quantize(D("0.01"))),
                  "paid_by": paid_by} for c, th, en, amount, paid_by in SUB_FUNDS_2569]
    per_capita = sum((D(s["per_capita"]) for s in sub_funds), D(0))
    ip_per_head = next(D(s["per_capita"]) for s in sub_funds if s["code"] == "IP")
    budgets = allocate(ip_per_head * UC_MEMBERS, REGION_SHARES)
    return {
        "per_capita": str(per_capita), "sub_funds": sub_funds,
        "age_groups": [{"code": c, "min_age": lo, "max_age": hi, "weight": str(w)} for c, lo, hi, w in AGE_GROUPS],
        "ip_base_rate": "8350.00", "ip_max_rate": None,
        "ip_regions": [{"region": n, "ip_budget": str(b)} for n, b in enumerate(budgets, start=1)],
        "ip_multipliers": {"REMOTE": "1.1000"},
        "late_rules": [{"from_days": d, "percent": str(p)} for d, p in LATE_RULES],
        "salary_op_percent": "25.00", "salary_ip_percent": "58.02", "rti_deduct": True, "rti_cap": "30000.00",
        "fee_items": FEE_ITEMS,
    }
