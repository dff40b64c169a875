"""Creating users with a role and a scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from openuhc.accounts.models import ApiToken, Profile
from openuhc.accounts.roles import Role
from openuhc.core.errors import Coded, DomainError


class AccountError(Coded):
    USER_EXISTS = ("user_exists", "A user named {username} already exists.", "มีผู้ใช้ชื่อ {username} อยู่แล้ว")
    SCOPE_MISSING = (
        "scope_missing",
        "A user with the role {role} needs a {what}.",
        "ผู้ใช้บทบาท {role} ต้องระบุ{what_th}",
    )


_SCOPE_FIELD = {
    Role.REGIONAL: ("region", "region", "เขต"),
    Role.HOSPITAL: ("unit", "health unit", "หน่วยบริการ"),
    Role.LOCALFUND: ("fund", "local fund", "กองทุน"),
    Role.CENTRE: ("centre", "coordination centre", "ศูนย์ประสานงาน"),
    Role.SECRETARIAT: ("secretariat", "secretariat", "ฝ่ายเลขานุการ"),
    Role.PAO: ("local_government", "Provincial Administrative Organisation", "องค์การบริหารส่วนจังหวัด"),
}


@transaction.atomic
def create_user(
    *, username: str, password: str | None, role: str, first_name: str = "", last_name: str = "", email: str = "",
    region: Any = None, unit: Any = None, fund: Any = None, centre: Any = None, secretariat: Any = None,
    local_government: Any = None,
) -> Any:
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise DomainError(AccountError.USER_EXISTS, username=username)
    scope = {"region": region, "unit": unit, "fund": fund, "centre": centre, "secretariat": secretariat,
             "local_government": local_government}
    if role in _SCOPE_FIELD:
        field, what, what_th = _SCOPE_FIELD[Role(role)]
        if scope[field] is None:
            raise DomainError(AccountError.SCOPE_MISSING, role=role, what=what, what_th=what_th)
    user = user_model.objects.create_user(
        username=username, password=password, first_name=first_name, last_name=last_name, email=email
    )
    Profile.objects.create(user=user, role=role, **scope)
    return user


def issue_token(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Return the token row and the raw token, which is shown once and never stored."""
    return ApiToken.issue(user, name)
