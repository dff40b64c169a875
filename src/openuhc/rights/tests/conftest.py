"""Rights fixtures: a controllable clock, case helpers, a second centre in another region."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from openuhc.accounts.roles import Role
from openuhc.accounts.services import create_user
from openuhc.rights import services
from openuhc.rights.models import CaseCategory, Centre
from openuhc.testing.world import PASSWORD


def at(text: str) -> datetime:
    """A moment in the scheme's time zone: at("2026-03-06 10:00")."""
    return timezone.make_aware(datetime.fromisoformat(text))


def category(code: str = "charged.fees") -> CaseCategory:
    return CaseCategory.objects.get(code=code)


def open_complaint(world: Any, *, now: datetime, named: bool = True, share: bool = False, kind: str = "complaint",
                   unit: Any = None, **extra: Any) -> Any:
    case, _secret = services.open_case(
        actor=world.users["centre"], kind=kind, channel="hotline", category=category(), subject="ถูกเรียกเก็บเงิน",
        description="ถูกเรียกเก็บค่ารักษา 500 บาท", centre=world.centre, unit=unit or world.hospital_a,
        complainant_name="นางลับ ไม่เปิดเผย" if named else "", complainant_contact="0812345678" if named else "",
        consent_to_record=named, share_identity_with_unit=share, now=now, **extra)
    return case


@pytest.fixture
def other_centre(world):
    """A centre of another region (Phitsanulok, region 2) with its own staff `centre2`."""
    centre = Centre.objects.create(code="PC65", name_th="ศูนย์ประสานงานพิษณุโลก", kind=Centre.Kind.PEOPLES_CENTRE,
                                   region=world.other_province.region)
    centre.provinces.set([world.other_province])
    world.users["centre2"] = create_user(username="centre2", password=PASSWORD, role=Role.CENTRE, centre=centre)
    return centre
