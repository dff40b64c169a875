"""Capitation rounds (เหมาจ่ายรายหัว): the registered population of each CUP by age group on the count date,
times the age weights, times the monthly capitation per head, minus the salary deduction of public units.

Each person is counted once in the whole country: at the registration in force on the count date, whichever
region it is in (a person who moved region is counted where they are registered that day, never also at an older
registration elsewhere). The weights are normalised so that the OP capitation paid equals the sub-fund
(reference §2.3: a unit gets OP budget × Σ N_unit·w ÷ Σ N_nation·w, i.e. its weighted heads × the per-head
amount × N_nation ÷ Σ N_nation·w), unless the dated parameter `payment.capitation_normalise_weights` is false,
when they are used as configured.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Count, Q, Value, When

from openuhc.budget.services import in_force
from openuhc.core import params
from openuhc.core.errors import DomainError
from openuhc.core.money import allocate, baht
from openuhc.payment import owners, workflow
from openuhc.payment.errors import PaymentError
from openuhc.payment.models import CapitationLine, PaymentRun, UnitPayment

PAYEE = "main_unit__cup__main_unit"  # a registration's payee: the unit that leads its main unit's CUP
REGION = "subdistrict__district__province__region"


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_group_expression(groups: Any, on: date, field: str) -> Case:
    """The age group (its code) of a birth date `field` on `on`, as a database expression. Someone is `a` years
    old on `on` when born on or before the same day `a` years earlier."""
    whens = []
    for group in groups:
        older_than = Q(**{f"{field}__lte": _years_before(on, group.min_age)})
        if group.max_age is not None:
            older_than &= Q(**{f"{field}__gt": _years_before(on, group.max_age + 1)})
        whens.append(When(older_than, then=Value(group.code)))
    return Case(*whens, default=Value(""), output_field=CharField())


def _age_group(groups: Any, birth: date, on: date) -> str:
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return next((g.code for g in groups if g.min_age <= age and (g.max_age is None or age <= g.max_age)), "")


def counted_population(*, scheme: Any, on: date, groups: Any, region: Any = None) -> Counter:
    """The people covered by `scheme` and alive on `on`, counted once each at the registration in force that
    day whose main unit belongs to a CUP: Counter[(payee unit id, age group)] — of `region`, or of every region
    when `region` is None."""
    from openuhc.providers.models import HealthUnit
    from openuhc.registry.models import Coverage, Person, Registration

    holders = Coverage.objects.filter(scheme=scheme, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)).values("person_id")
    covered = Person.objects.filter(pk__in=holders).filter(Q(death_date__isnull=True) | Q(death_date__gte=on))
    counts: Counter = Counter()
    # Most people's current registration was already in force on that day: counted in the database.
    current = covered.filter(current_registration__effective_from__lte=on,
                             **{f"current_registration__{PAYEE}__isnull": False})
    if region is not None:
        current = current.filter(**{f"current_registration__{PAYEE}__{REGION}": region})
    rows = (current.annotate(age_group=age_group_expression(groups, on, "birth_date"))
            .values_list(f"current_registration__{PAYEE}", "age_group").annotate(n=Count("id")))
    for payee, group, n in rows:
        if group:
            counts[(payee, group)] += n
    # People whose current registration began later: the registration in force that day, from their history in
    # every region (the latest one then; if it is in another region, they are not counted here).
    later = dict(covered.filter(current_registration__effective_from__gt=on).values_list("pk", "birth_date"))
    if later:
        in_force: dict[int, int | None] = {}
        for person_id, payee in (Registration.objects.filter(person_id__in=list(later), effective_from__lte=on)
                                 .order_by("person_id", "-effective_from", "-id")
                                 .values_list("person_id", PAYEE)):
            in_force.setdefault(person_id, payee)
        payees = {p for p in in_force.values() if p is not None}
        if region is not None:
            payees = set(HealthUnit.objects.filter(pk__in=payees, **{REGION: region}).values_list("pk", flat=True))
        for person_id, payee in in_force.items():
            group = _age_group(groups, later[person_id], on)
            if payee in payees and group:
                counts[(payee, group)] += 1
    return counts


@dataclass(frozen=True)
class GroupCount:
    code: str
    min_age: int
    max_age: int | None
    weight: Decimal
    population: int


def capitation_amounts(groups: list[GroupCount], per_head_year: Decimal,
                       factor: Decimal = Decimal(1)) -> tuple[Decimal, list[Decimal]]:
    """A unit's month: gross = Σ population × weight × factor × per-head amount ÷ 12, rounded half-up to the
    satang, split into the age-group lines in proportion to population × weight (lines sum exactly to gross)."""
    weighted = [Decimal(g.population) * g.weight for g in groups]
    gross = baht(sum(weighted, Decimal(0)) * factor * per_head_year / 12)
    if gross == 0 or sum(weighted, Decimal(0)) == 0:
        return Decimal("0.00"), [Decimal("0.00")] * len(groups)
    return gross, allocate(gross, weighted)


def normalising_factor(national: Counter, config: Any, on: date, scheme: str) -> tuple[Decimal, dict[str, Any]]:
    """N_nation ÷ Σ N_nation·w (reference §2.3), or 1 when the weights are used as given."""
    people = sum(national.values())
    weighted = sum((Decimal(national.get(g.code, 0)) * g.weight for g in config.age_groups), Decimal(0))
    if not params.get("payment.capitation_normalise_weights", on=on, scheme=scheme):
        return Decimal(1), {"normalised": False}
    factor = Decimal(people) / weighted if people and weighted else Decimal(1)
    return factor, {"normalised": True, "national_population": people, "national_weighted": str(weighted),
                    "factor": str(factor.quantize(Decimal("0.00000001")))}


@transaction.atomic
def compute_capitation(*, actor: Any, run: PaymentRun, workers: int = 1, progress: Any = None) -> PaymentRun:
    """Count each CUP's registered population by age group on the first day of the month and pay
    population × weight × (capitation per head ÷ 12), minus the salary deduction of public units (their owner
    that day)."""
    from openuhc.providers.models import HealthUnit

    run = PaymentRun.objects.select_for_update().select_related("scheme", "region").get(pk=run.pk)
    done = workflow.check_may_compute(actor, run, PaymentRun.Kind.CAPITATION)
    if done is not None:
        return done
    version = in_force(run.scheme.code, run.period)
    config = version.config
    payees = list(HealthUnit.objects.filter(led_cup__isnull=False, **{REGION: run.region}).order_by("code"))
    if not payees:
        raise DomainError(PaymentError.NO_UNITS, region=run.region.number)
    counts = counted_population(scheme=run.scheme, on=run.period, groups=config.age_groups, region=run.region)
    national: Counter = Counter()
    for (_payee, group), n in counted_population(scheme=run.scheme, on=run.period, groups=config.age_groups).items():
        national[group] += n
    factor, summary = normalising_factor(national, config, run.period, run.scheme.code)
    public = owners.public_units([u.pk for u in payees], on=run.period, scheme=run.scheme.code)
    lines: list[CapitationLine] = []
    units: list[UnitPayment] = []
    checksum_rows: list[str] = [f"factor|{factor}"]
    population_total = 0
    for unit in payees:
        groups = [GroupCount(g.code, g.min_age, g.max_age, g.weight, counts.get((unit.pk, g.code), 0))
                  for g in config.age_groups]
        gross, amounts = capitation_amounts(groups, config.capitation_per_head, factor)
        salary = baht(gross * config.salary_op_percent / 100) if public[unit.pk] else Decimal("0.00")
        population = sum(g.population for g in groups)
        population_total += population
        units.append(UnitPayment(run=run, unit=unit, population=population, gross=gross, salary_deduction=salary,
                                 net=gross - salary))
        checksum_rows.append(f"{unit.code}|{population}|{gross}|{salary}")
        for group, amount in zip(groups, amounts, strict=True):
            lines.append(CapitationLine(run=run, unit=unit, age_group=group.code, min_age=group.min_age,
                                        max_age=group.max_age, population=group.population, weight=group.weight,
                                        amount=amount))
            checksum_rows.append(f"{unit.code}|{group.code}|{group.population}|{group.weight}|{amount}")
    UnitPayment.objects.bulk_create(units)
    CapitationLine.objects.bulk_create(lines)
    return workflow.finish(run, actor=actor, version=version, units=units, population=population_total, claims=0,
                           checksum_rows=checksum_rows, summary=summary)


ROUND = workflow.RoundKind(PaymentRun.Kind.CAPITATION, compute_capitation)
