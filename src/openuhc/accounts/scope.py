"""What a user may see: one place that turns a role and its scope object into querysets and checks.

Views and the API never decide access themselves: they ask the Scope. A refusal is a 403 with a
plain message; a list simply contains fewer rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from openuhc.accounts.roles import ELIGIBILITY_ROLES, PERSONAL_DATA_ROLES, Role


@dataclass
class Scope:
    user: Any
    role: str | None
    region: Any = None
    unit: Any = None
    fund: Any = None
    centre: Any = None
    secretariat: Any = None
    local_government: Any = None

    @classmethod
    def of(cls, user: Any) -> Scope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(user=user, role=None)
        from openuhc.accounts.models import Profile

        profile = Profile.objects.select_related("region", "unit", "fund__local_government", "centre",
                                                 "secretariat__province", "secretariat__region",
                                                 "local_government__province").filter(user=user).first()
        if profile is None:
            # An operator's superuser without a profile acts as a national officer.
            return cls(user=user, role=Role.NATIONAL if user.is_superuser else None)
        return cls(user=user, role=profile.role, region=profile.region, unit=profile.unit, fund=profile.fund,
                   centre=profile.centre, secretariat=profile.secretariat, local_government=profile.local_government)

    # --- roles ---------------------------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return self.role is not None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def is_national(self) -> bool:
        return self.role == Role.NATIONAL

    @property
    def sees_personal_data(self) -> bool:
        return self.role in PERSONAL_DATA_ROLES

    @property
    def can_check_eligibility(self) -> bool:
        return self.role in ELIGIBILITY_ROLES

    @property
    def can_import(self) -> bool:
        return self.role == Role.NATIONAL

    @property
    def can_read_access_log(self) -> bool:
        return self.role == Role.NATIONAL

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""

    @property
    def label(self) -> str:
        """The scope as a person reads it: "Region 1", "10716 Phayao Hospital", ..."""
        target = self.region or self.unit or self.fund or self.centre or self.secretariat or self.local_government
        return str(target) if target is not None else ""

    # --- units ---------------------------------------------------------------------------------------
    @cached_property
    def hospital_unit_ids(self) -> frozenset[int]:
        """A hospital user's unit, plus the units of the CUP it leads."""
        if self.unit is None:
            return frozenset()
        from openuhc.providers.models import HealthUnit

        ids = {self.unit.pk}
        ids.update(HealthUnit.objects.filter(cup__main_unit=self.unit).values_list("pk", flat=True))
        return frozenset(ids)

    def units(self) -> QuerySet:
        from openuhc.providers.models import HealthUnit

        units = HealthUnit.objects.all()
        if self.role in (Role.NATIONAL, Role.ANALYST):
            return units
        if self.role == Role.REGIONAL:
            return units.filter(subdistrict__district__province__region=self.region)
        if self.role == Role.HOSPITAL:
            return units.filter(pk__in=self.hospital_unit_ids)
        if self.role == Role.LOCALFUND and self.fund is not None and self.fund.local_government_id:
            return units.filter(subdistrict__local_governments=self.fund.local_government_id)
        if self.role == Role.PAO and self.local_government is not None:
            # the PAO's own units: those transferred to it (providers' ownership history keeps the owner current)
            return units.filter(owner__local_government=self.local_government)
        if self.role == Role.SECRETARIAT and self.secretariat is not None:
            if self.secretariat.province_id:
                return units.filter(subdistrict__district__province=self.secretariat.province_id)
            if self.secretariat.region_id:
                return units.filter(subdistrict__district__province__region=self.secretariat.region_id)
            return units
        if self.role == Role.CENTRE and self.centre is not None:
            return units.filter(
                Q(subdistrict__district__province__centres=self.centre)
                | Q(subdistrict__district__province__region=self.centre.region)
            ).distinct()
        return units.none()

    def can_see_unit(self, unit: Any) -> bool:
        if self.role in (Role.NATIONAL, Role.ANALYST):
            return True
        if self.role == Role.HOSPITAL:
            return unit.pk in self.hospital_unit_ids
        return self.units().filter(pk=unit.pk).exists()

    # --- persons (personal data) ------------------------------------------------------------------------
    def persons(self) -> QuerySet:
        from openuhc.registry.models import Person

        people = Person.objects.all()
        if self.role == Role.NATIONAL:
            return people
        if self.role == Role.REGIONAL:
            return people.filter(
                Q(current_registration__main_unit__subdistrict__district__province__region=self.region)
                | Q(subdistrict__district__province__region=self.region)
            )
        if self.role == Role.HOSPITAL:
            ids = self.hospital_unit_ids
            return people.filter(
                Q(current_registration__main_unit__in=ids) | Q(current_registration__primary_unit__in=ids)
                | Q(current_registration__referral_unit__in=ids)
            )
        return people.none()

    def can_see_person(self, person: Any) -> bool:
        if self.role == Role.NATIONAL:
            return True
        if self.role not in PERSONAL_DATA_ROLES:
            return False
        return self.persons().filter(pk=person.pk).exists()

    def can_reveal_id(self, person: Any) -> bool:
        return self.can_see_person(person)


def scope_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Attach `request.scope`, computed on first use."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: Scope.of(request.user))  # type: ignore[attr-defined]
        return get_response(request)

    return middleware


def role_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous users go to the login page; users of other roles are refused (403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.scope.role not in roles:  # type: ignore[attr-defined]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapper

    return decorator
