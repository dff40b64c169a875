"""Governance fixtures: the seeded lists, secretariats and PAO staff personas, a provincial committee with members."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps as django_apps

from openuhc.accounts.roles import Role
from openuhc.accounts.services import create_user
from openuhc.core.dates import fiscal_year, today
from openuhc.geo.models import LocalGovernment
from openuhc.governance import bodies as B
from openuhc.governance.models import Body, BodyType, Member, Secretariat
from openuhc.testing.world import PASSWORD

SEED = "openuhc.governance.migrations.0002_default_body_types_and_agencies"


def ensure_seeded() -> None:
    """Browser (transactional) tests empty every table, seeded rows included: put the lists back."""
    if not BodyType.objects.exists():
        importlib.import_module(SEED).add(django_apps, None)


@dataclass
class Gov:
    world: Any
    secretariat: Secretariat
    other_secretariat: Secretariat
    pao: LocalGovernment
    other_pao: LocalGovernment
    committee: Body
    members: list[Member] = field(default_factory=list)

    def meeting(self, present: int | None = None, held_on: date | None = None, **kwargs: Any) -> Any:
        attendees = self.members if present is None else self.members[:present]
        return B.record_meeting(actor=None, body=self.committee, held_on=held_on or today() - timedelta(days=7),
                                agenda=["รับรองรายงานการประชุม", "พิจารณาแผนยุทธศาสตร์"], attendees=attendees,
                                **kwargs)


def body_type(code: str) -> BodyType:
    ensure_seeded()
    return BodyType.objects.get(code=code)


@pytest.fixture
def gov(world) -> Gov:
    ensure_seeded()
    pao = world.pao_owner.local_government
    other_pao = LocalGovernment.objects.create(code="6500000", kind=LocalGovernment.Kind.PAO,
                                               province=world.other_province, name_th="อบจ.พิษณุโลก",
                                               name_en="Phitsanulok PAO")
    secretariat = Secretariat.objects.create(code="SEC-56", name_th="ฝ่ายเลขานุการสุขภาพจังหวัดพะเยา",
                                             name_en="Phayao health secretariat", province=world.province)
    other = Secretariat.objects.create(code="SEC-65", name_th="ฝ่ายเลขานุการสุขภาพจังหวัดพิษณุโลก",
                                       province=world.other_province)
    personas = {
        "secretariat": (Role.SECRETARIAT, {"secretariat": secretariat}),
        "secretariat2": (Role.SECRETARIAT, {"secretariat": other}),
        "pao": (Role.PAO, {"local_government": pao}),
        "pao2": (Role.PAO, {"local_government": other_pao}),
    }
    for username, (role, scope) in personas.items():
        world.users[username] = create_user(username=username, password=PASSWORD, role=role, **scope)
    committee = B.create_body(actor=None, secretariat=secretariat, body_type=body_type("pao_health"),
                              code="PHC-56", name_th="คณะกรรมการสุขภาพจังหวัดพะเยา", local_government=pao,
                              appointing_order="คำสั่ง อบจ.พะเยา ที่ 100/2567", appointed_on=date(2024, 6, 1))
    start, end = today() - timedelta(days=700), today() + timedelta(days=760)
    roles = [Member.Role.CHAIR, Member.Role.VICE_CHAIR, Member.Role.MEMBER, Member.Role.MEMBER, Member.Role.MEMBER,
             Member.Role.SECRETARY]
    sectors = [Member.Sector.STATE, Member.Sector.PEOPLE, Member.Sector.ACADEMIC, Member.Sector.PEOPLE,
               Member.Sector.STATE, Member.Sector.STATE]
    members = [B.appoint_member(actor=None, body=committee, name=f"กรรมการลับ{i}", role=roles[i], sector=sectors[i],
                                seat=f"ที่นั่ง {i}", term_start=start, term_end=end) for i in range(6)]
    return Gov(world, secretariat, other, pao, other_pao, committee, members)


def this_year() -> int:
    return fiscal_year(today())
