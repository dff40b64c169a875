"""Local-fund fixtures: a second fund (another local government, another officer) and a fund with money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from openuhc.accounts.roles import Role
from openuhc.accounts.services import create_user
from openuhc.geo.models import LocalGovernment, Subdistrict
from openuhc.localfund import services
from openuhc.localfund.models import CommitteeMember, Fund
from openuhc.testing.world import PASSWORD

YEAR = 2569  # 1 Oct 2025 – 30 Sep 2026
IN_YEAR = date(2025, 11, 3)


@pytest.fixture
def other_fund(world):
    """A fund of another local government in the same province, with its own officer `localfund2`."""
    lg = LocalGovernment.objects.create(code="5602011", kind=LocalGovernment.Kind.SAO, province=world.province,
                                        name_th="อบต.ทดสอบสอง", name_en="Second SAO")
    lg.subdistricts.set([Subdistrict.objects.get(code="560201")])
    fund = Fund.objects.create(code="L5602011", name_th="กองทุนทดสอบสอง", local_government=lg)
    world.users["localfund2"] = create_user(username="localfund2", password=PASSWORD, role=Role.LOCALFUND, fund=fund)
    return fund


@dataclass
class Committee:
    members: list[CommitteeMember]

    def meeting(self, fund: Fund, held_on: date = date(2025, 11, 20), present: int | None = None) -> Any:
        attendees = self.members if present is None else self.members[:present]
        return services.record_meeting(actor=None, fund=fund, held_on=held_on, attendees=attendees,
                                       agenda="พิจารณาโครงการ")


def make_committee(fund: Fund, size: int = 6) -> Committee:
    roles = [CommitteeMember.Role.CHAIR, CommitteeMember.Role.VICE_CHAIR, CommitteeMember.Role.COUNCIL,
             CommitteeMember.Role.VOLUNTEER, CommitteeMember.Role.COMMUNITY, CommitteeMember.Role.SECRETARY]
    members = [services.add_member(actor=None, fund=fund, name=f"กรรมการลับ{i}", role=roles[i % len(roles)],
                                   term_start=date(2024, 1, 1), term_end=date(2027, 12, 31)) for i in range(size)]
    return Committee(members)


@pytest.fixture
def committee(world):
    return make_committee(world.fund)


def fund_money(fund: Fund, amount: str = "100000.00", year: int = YEAR) -> None:
    services.record_income(actor=None, fund=fund, year=year, kind="national_transfer", amount=Decimal(amount),
                           received_on=date(year - 544, 10, 15))


def submit(fund: Fund, *, category: str = "2", amount: str = "10000.00", year: int = YEAR, title: str = "โครงการ",
           contact: str = "") -> Any:
    return services.submit_project(
        actor=None, fund=fund, year=year, title=title, category=category, proposer_kind="community",
        proposer_name="ชมรมผู้สูงอายุบ้านทดสอบ", contact_person=contact, objectives="ลดความเสี่ยงโรคเรื้อรัง",
        target_group="ผู้สูงอายุ", budget_lines=[("ค่าอาหาร", amount)], submitted_on=date(year - 544, 11, 1))

