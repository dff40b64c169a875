"""Demo: one login per role, all with the demo password."""

from __future__ import annotations

from openuhc.accounts.roles import Role
from openuhc.accounts.services import create_user
from openuhc.demo.loader import DEMO_PASSWORD, DemoContext

ORDER = 90


def load(ctx: DemoContext) -> None:
    province = ctx.data["province"]
    second_hospital = sorted(ctx.data["hospitals"].values(), key=lambda u: u.code)[1]
    fund = ctx.data["funds"][0]
    accounts = [
        ("national", Role.NATIONAL, {}, "สมชาย", "ใจดี", "national office"),
        ("region1", Role.REGIONAL, {"region": province.region}, "สมหญิง", "รักษ์ถิ่น", str(province.region)),
        ("hospital", Role.HOSPITAL, {"unit": ctx.data["provincial"]}, "วิชัย", "มั่นคง", str(ctx.data["provincial"])),
        ("hospital2", Role.HOSPITAL, {"unit": second_hospital}, "สุดา", "แสงทอง", str(second_hospital)),
        ("localfund", Role.LOCALFUND, {"fund": fund}, "ประยุทธ", "บุญมา", str(fund)),
        ("centre", Role.CENTRE, {"centre": ctx.data["centre"]}, "อรทัย", "ศรีสุข", str(ctx.data["centre"])),
        ("analyst", Role.ANALYST, {}, "กิตติ", "วงศ์ใหญ่", "aggregates only"),
    ]
    for username, role, scope, first, last, label in accounts:
        create_user(username=username, password=DEMO_PASSWORD, role=role, first_name=first, last_name=last, **scope)
        ctx.logins.append((username, role, label))
