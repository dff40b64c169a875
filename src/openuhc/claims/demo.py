"""Demo: one month (the demo's month, the last complete month by default) of claim files from every hospital of
the demo province — about 3.75 OP visits and 0.12 admissions per person-year, so ~15,600 visits and ~500 admissions for
50,000 people — written as the 16-file text (UTF-8 from some hospitals, TIS-620 from others) with a realistic
share of faulty records, and loaded through the same check-and-store path as a real upload."""

from __future__ import annotations

import calendar
import tempfile
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from openuhc.claims import services
from openuhc.claims.samples import SubmissionBuilder
from openuhc.demo.loader import DemoContext
from openuhc.registry.ids import check_digit
from openuhc.registry.models import Coverage

ORDER = 50
OP_PER_PERSON_YEAR = 3.75
IP_PER_PERSON_YEAR = 0.12
FAULTY_SHARE = 0.04
# Itemised fee-schedule lines (16-file ADP rows) on some OP visits of women aged 15-45: the share of such visits
# that carry one, the codes (FY2569's fee schedule) with their weights, and every how many ultrasounds one asks for
# three (over the yearly cap of two, so statements show a capped line).
FEE_VISIT_SHARE = 0.12
FEE_CODES = (("ANC", 6), ("PNC", 2), ("US", 2))
US_OVER_CAP_EVERY = 5

OP_CODES = ["J069", "J00", "I10", "E119", "K30", "M545", "R509", "A099", "J209", "N390", "L309", "H103", "K021",
            "E785", "M179", "R51", "J029", "B349"]
IP_CODES = [("K358", "4709"), ("J189", ""), ("A099", ""), ("I639", ""), ("N390", ""), ("J441", ""), ("K922", "4513"),
            ("S7200", "7915"), ("E119", ""), ("I500", "")]


def _month(anchor: date) -> tuple[date, int]:
    # the demo's month (the budget demo configures its fiscal year, so it can be paid)
    first = anchor.replace(day=1)
    return first, calendar.monthrange(first.year, first.month)[1]


def sending_days(anchor: date) -> tuple[date, date]:
    """When the demo's hospitals send files: the month's files ten days after it ends and one hospital's late file a
    day later — or, while those days are still to come, yesterday and today: a demo never shows a file received in
    the future, and the first inpatient round (cut off on the first day) never takes the late file."""
    start, days = _month(anchor)
    end, today = start + timedelta(days=days - 1), timezone.localdate()
    return min(end + timedelta(days=10), today - timedelta(days=1)), min(end + timedelta(days=11), today)


def _spoil(builder: SubmissionBuilder, kind: str, key: str, hn: str, rng) -> None:  # noqa: ANN001
    """Make one record faulty the way exports go wrong in real life."""
    fault = rng.choice(["cid", "pdx", "charges", "be_year", "dxtype", "negative"])
    if fault == "cid":
        for row in builder.rows["PAT"]:
            if row["HN"] == hn:
                cid = row["PERSON_ID"]
                row["PERSON_ID"] = cid[:12] + str((int(cid[12]) + 1) % 10)
    elif fault == "pdx":
        file = "ODX" if kind == "OP" else "IDX"
        key_field = "SEQ" if kind == "OP" else "AN"
        for row in builder.rows[file]:
            if row[key_field] == key:
                row["DXTYPE"] = 4
    elif fault == "charges":
        for row in builder.rows["CHT"]:
            if row["SEQ"] == key:
                row["TOTAL"] = f"{Decimal(row['TOTAL']) + 100:.2f}"
    elif fault == "be_year" and kind == "OP":
        for row in builder.rows["OPD"]:
            if row["SEQ"] == key:
                row["DATEOPD"] = str(int(row["DATEOPD"][:4]) + 543) + row["DATEOPD"][4:]
    elif fault == "negative":
        for row in builder.rows["CHA"]:
            if row["SEQ"] == key:
                row["AMOUNT"] = "-" + row["AMOUNT"]
                break
    else:
        file = "ODX" if kind == "OP" else "IDX"
        key_field = "SEQ" if kind == "OP" else "AN"
        for row in builder.rows[file]:
            if row[key_field] == key:
                row["DIAG"] = row["DIAG"][:3] + "." + row["DIAG"][3:]


def load(ctx: DemoContext) -> None:
    rng = ctx.rng("claims")
    everyone = [p for p in ctx.data.get("people", []) if p.pk]
    if not everyone:
        return
    start, days = _month(ctx.anchor)
    end = start + timedelta(days=days - 1)
    # Hospitals send the universal scheme's patients here; a few others slip in (denied, as in real life).
    uc = set(Coverage.objects.filter(scheme__code="UCS", valid_from__lte=start).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=end)).values_list("person_id", flat=True))
    people = [p for p in everyone if (p.pk in uc and (p.death_date is None or p.death_date > end))
              or rng.random() < 0.01]
    hospitals = ctx.data["hospitals"]
    hospital_of_district = {h.subdistrict.district_id: h for h in hospitals.values()}
    month_share = days / 365.25
    # Rates per person-year of the whole population (~50,000), spread over the UC patients who use them.
    n_op = round(len(everyone) * OP_PER_PERSON_YEAR * month_share)
    n_ip = round(len(everyone) * IP_PER_PERSON_YEAR * month_share)
    ctx.progress.stage("claims", n_op + n_ip)
    builders: dict[str, SubmissionBuilder] = {}
    patients: dict[str, set[str]] = defaultdict(set)
    counter = defaultdict(int)

    def builder_for(unit) -> SubmissionBuilder:  # noqa: ANN001
        if unit.code not in builders:
            builders[unit.code] = SubmissionBuilder(unit.code)
        return builders[unit.code]

    def patient(b: SubmissionBuilder, person) -> str:  # noqa: ANN001
        hn = f"{person.pk:07d}"
        if hn not in patients[b.hcode]:
            patients[b.hcode].add(hn)
            cid = person.citizen_id
            if rng.random() < 0.003:  # a typing slip in the last digit: the check digit catches it
                cid = cid[:12] + str((check_digit(cid[:12]) + 3) % 10)
            b.patient(hn=hn, cid=cid, dob=person.birth_date, sex=person.sex, fname=person.first_name_th,
                      lname=person.last_name_th, title=person.title)
        return hn

    fee_rng = ctx.rng("claims-fee")  # its own stream: the other demo claims stay as they were
    ultrasounds = 0
    weights = [1.0 + max(0, (ctx.anchor - p.birth_date).days / 365.25 - 40) / 20 for p in people]
    for person in rng.choices(people, weights=weights, k=n_op):
        home = hospital_of_district.get(person.subdistrict.district_id, ctx.data["provincial"])
        unit = home if rng.random() < 0.9 else ctx.data["provincial"]
        b = builder_for(unit)
        hn = patient(b, person)
        counter[unit.code] += 1
        seq = f"{start:%y%m}{counter[unit.code]:06d}"
        day = start + timedelta(days=rng.randrange(days))
        codes = [rng.choice(OP_CODES)] + ([rng.choice(OP_CODES)] if rng.random() < 0.3 else [])
        charges = {"31": f"{rng.randrange(50, 400)}.00"}
        if rng.random() < 0.6:
            charges["41"] = f"{rng.randrange(20, 600)}.{rng.randrange(100):02d}"
        b.visit(hn=hn, seq=seq, on=day, diagnoses=codes, charges=charges, drugs=rng.choice([0, 1, 1, 2]),
                emergency="E" if rng.random() < 0.02 else "")
        if person.sex == 2 and 15 <= (day - person.birth_date).days / 365.25 < 46 \
                and fee_rng.random() < FEE_VISIT_SHARE:
            code = fee_rng.choices([c for c, _ in FEE_CODES], weights=[w for _, w in FEE_CODES])[0]
            ultrasounds += code == "US"
            quantity = 3 if code == "US" and ultrasounds % US_OVER_CAP_EVERY == 1 else 1
            b.rows["ADP"].append({"HN": hn, "AN": "", "DATEOPD": day.strftime("%Y%m%d"), "TYPE": "12", "CODE": code,
                                  "QTY": quantity, "RATE": "0.00", "SEQ": seq, "TOTAL": "0.00"})
        if rng.random() < FAULTY_SHARE:
            _spoil(b, "OP", seq, hn, rng)
        ctx.progress.advance()
    for person in rng.choices(people, weights=[w * w for w in weights], k=n_ip):
        unit = hospital_of_district.get(person.subdistrict.district_id, ctx.data["provincial"])
        if rng.random() < 0.35:
            unit = ctx.data["provincial"]
        b = builder_for(unit)
        hn = patient(b, person)
        counter[unit.code] += 1
        an = f"{start:%y}{counter[unit.code]:07d}"
        admitted = start + timedelta(days=rng.randrange(days - 1))
        discharged = min(admitted + timedelta(days=rng.choice([1, 2, 2, 3, 3, 4, 5, 7, 10])), start + timedelta(
            days=days - 1))
        pdx, proc = rng.choice(IP_CODES)
        b.admission(hn=hn, an=an, admitted=admitted, discharged=discharged, diagnoses=[pdx] + (
            [rng.choice(OP_CODES)] if rng.random() < 0.5 else []), procedures=[proc] if proc else [],
            charges={"11": f"{(discharged - admitted).days * 400}.00", "31": f"{rng.randrange(800, 9000)}.00",
                     "71": f"{rng.randrange(100, 2000)}.00"}, status=rng.choice([1, 2, 2, 2, 3]))
        if rng.random() < FAULTY_SHARE:
            _spoil(b, "IP", an, hn, rng)
        ctx.progress.advance()

    ctx.progress.stage("claim submissions", len(builders))
    on_time, _late = sending_days(ctx.anchor)
    ctx.data["on_time_sent_on"] = on_time
    with tempfile.TemporaryDirectory(prefix="openuhc-demo-claims-") as tmp:
        for index, (code, b) in enumerate(sorted(builders.items())):
            # Some hospitals' systems export TIS-620, others UTF-8: both are read the same way.
            folder = b.write(Path(tmp) / code, encoding="cp874" if index % 2 else "utf-8")
            # sent on time, hospital by hospital
            sent = timezone.make_aware(datetime.combine(on_time, time(9, index % 60)))
            submission = services.submit(folder, unit_code=code, actor=ctx.actor, channel="demo", received_at=sent)
            ctx.data.setdefault("claim_submissions", []).append(submission)
            ctx.progress.advance()


LATE_ORDER = 51
LATE_ADMISSIONS = 6


def load_late(ctx: DemoContext) -> None:
    """A late file: a few admissions of the provincial hospital discharged in the first days of the demo month,
    sent 70 days after the month began — after the month's first inpatient round, so a later round pays them, at
    the late-submission percentage (payment/demo.py)."""
    rng = ctx.rng("claims-late")  # its own stream: the month's other claims stay as they were
    start, _days = _month(ctx.anchor)
    uc = set(Coverage.objects.filter(scheme__code="UCS", valid_from__lte=start).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)).values_list("person_id", flat=True))
    people = [p for p in ctx.data.get("people", []) if p.pk in uc and p.death_date is None]
    if not people:
        return
    unit = ctx.data["provincial"]
    b = SubmissionBuilder(unit.code)
    for number, person in enumerate(rng.sample(people, min(LATE_ADMISSIONS, len(people))), start=1):
        hn = f"{person.pk:07d}"
        b.patient(hn=hn, cid=person.citizen_id, dob=person.birth_date, sex=person.sex, fname=person.first_name_th,
                  lname=person.last_name_th, title=person.title)
        admitted = start + timedelta(days=rng.randrange(2))
        pdx, proc = rng.choice(IP_CODES)
        b.admission(hn=hn, an=f"L{start:%y%m}{number:04d}", admitted=admitted,
                    discharged=admitted + timedelta(days=1 + rng.randrange(2)), diagnoses=[pdx],
                    procedures=[proc] if proc else [], charges={"11": "800.00", "31": f"{rng.randrange(800, 9000)}.00"})
    # discharged on the month's first days, sent after the month's other files: over 30 days late (95 % by the
    # late-submission rules) unless the demo is built in a month's first days
    _on_time, sent_on = sending_days(ctx.anchor)
    with tempfile.TemporaryDirectory(prefix="openuhc-demo-late-") as tmp:
        submission = services.submit(b.write(Path(tmp) / unit.code), unit_code=unit.code, actor=ctx.actor,
                                     channel="demo", received_at=min(
                                         timezone.make_aware(datetime.combine(sent_on, time(9, 0))), timezone.now()))
    ctx.data["late_submission"], ctx.data["late_sent_on"] = submission, sent_on


STEPS = [(ORDER, load), (LATE_ORDER, load_late)]
