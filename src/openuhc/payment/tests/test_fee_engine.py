"""Fee-schedule rounds price on the batch engine: the lines are staged with all of a person's lines in one chunk,
the engine run is linked to the round, a compute stopped after staging is finished by computing again, and the
lines are those of pricing in one piece (with what earlier rounds paid counting against the caps)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from openuhc.claims.samples import SubmissionBuilder
from openuhc.payment import fee_runs, pricing, workflow
from openuhc.payment.models import ClaimPayment, PaymentRun
from openuhc.payment.tests.test_fee_runs import adp, fee_run
from openuhc.testing.world import add_person

pytestmark = pytest.mark.django_db


JAN_SENT, FEB_SENT = datetime(2026, 1, 25, 9, tzinfo=UTC), datetime(2026, 2, 5, 9, tzinfo=UTC)


def submit_women(world, tmp_path, *, women: int = 6):
    """Hospital A's files: `women` women, each with antenatal visits in January (some over the yearly cap) and an
    ultrasound, sent on 25 January; and one more antenatal visit each in February, sent on 5 February."""
    from openuhc.claims import services as claims

    january, february = SubmissionBuilder("56001"), SubmissionBuilder("56001")
    for w in range(women):
        person = add_person(subdistrict=world.shph_a.subdistrict, birth=date(1990 + w, 3, 1), sex=2, first=f"หญิง{w}")
        hn = f"W{w}"
        for builder in (january, february):
            builder.patient(hn=hn, cid=person.citizen_id, dob=person.birth_date, sex=2, fname=person.first_name_th,
                            lname=person.last_name_th, hospmain="56001", title="นาง")
        for day in range(2, 4 + w):  # woman w: 2 + w antenatal visits in January (5 a year are paid)
            seq = f"{hn}V{day}"
            january.visit(hn=hn, seq=seq, on=date(2026, 1, day), diagnoses=["Z340"])
            adp(january, hn=hn, seq=seq, on=date(2026, 1, day), code="ANC")
        january.visit(hn=hn, seq=f"{hn}U", on=date(2026, 1, 20), diagnoses=["Z340"])
        adp(january, hn=hn, seq=f"{hn}U", on=date(2026, 1, 20), code="US", qty=1 + w % 3)
        february.visit(hn=hn, seq=f"{hn}F", on=date(2026, 2, 2), diagnoses=["Z340"])
        adp(february, hn=hn, seq=f"{hn}F", on=date(2026, 2, 2), code="ANC")
    for name, builder, sent in (("january", january, JAN_SENT), ("february", february, FEB_SENT)):
        submission = claims.submit(builder.write(tmp_path / name), unit_code="56001", actor=world.users["hospital"])
        type(submission).objects.filter(pk=submission.pk).update(received_at=sent)


def expected_checksum(run: PaymentRun) -> str:
    """The lines as the pure function prices the round's stored, unpaid lines in one piece (call it before the
    round records)."""
    versions, _held = fee_runs.schedules(run)
    table = fee_runs.fee_claims_table(run, {fy: {i.code for i in v.config.fee_items} for fy, v in versions.items()})
    rules = {fy: pricing.FeeRules.from_config(v.config, 10) for fy, v in versions.items()}
    lines, _ = pricing.price_fee_years(table, rules, fee_runs.prior_table(run, sorted(versions)))
    return workflow.lines_checksum([workflow.claim_checksum_row(x) for x in lines.to_pylist()])


def test_a_fee_run_stopped_after_staging_is_finished_by_computing_it_again(world, budget, settings, tmp_path):
    from openuhc.engine.models import Chunk, Run

    settings.OPENUHC_ENGINE_DIR = str(tmp_path / "runs")
    submit_women(world, tmp_path)
    run = fee_run(world)
    # the process computing the run died after staging (small groups: several chunks), holding a chunk
    staged = fee_runs.start_fee_pricing(actor=world.users["regional"], run=run, claims=None, prior=None,
                                        rows_per_group=8)
    engine = Run.objects.get(pk=staged.engine_run)
    assert engine.function == "payment.price_fee" and engine.total_chunks > 1
    Chunk.objects.filter(run=engine, index=0).update(state="leased", lease_owner="elsewhere:1:x",
                                                     lease_expires=timezone.now())
    assert PaymentRun.objects.get(pk=run.pk).computed_at is None and not ClaimPayment.objects.exists()
    # all of a person's lines are in one row group, so in one chunk
    source = pq.ParquetFile(engine.input_path)
    groups = [set(source.read_row_group(i).column("person_key").to_pylist()) for i in range(source.num_row_groups)]
    assert sum(len(g) for g in groups) == len(set().union(*groups)) == 6
    expected = expected_checksum(run)
    run = fee_runs.compute_fee(actor=world.users["regional"], run=run)
    assert run.engine_run == str(engine.pk) and Run.objects.get(pk=engine.pk).status == "done"
    lines = list(ClaimPayment.objects.filter(run=run))
    assert run.claims == len(lines) == sum(2 + w + 2 for w in range(6))  # antenatal, ultrasound, February
    assert run.checksum == expected
    assert run.gross == sum(x.gross for x in lines) and {x.detail["reason"] for x in lines} >= {"", "CAP_COUNT"}
    # computing it once more changes nothing
    assert fee_runs.compute_fee(actor=world.users["national"], run=run).checksum == run.checksum
    assert ClaimPayment.objects.count() == len(lines)


def test_what_another_fee_round_paid_after_staging_counts_against_the_caps(world, budget, settings, tmp_path):
    from openuhc.engine import runner
    from openuhc.engine.models import Run

    settings.OPENUHC_ENGINE_DIR = str(tmp_path / "runs")
    submit_women(world, tmp_path, women=5)
    later = fee_run(world, date(2026, 2, 10))
    # the round cut off on 10 February is staged first, when nothing was paid; a round cut off on 31 January is
    # computed and pays January's lines before the first one records
    first = fee_runs.start_fee_pricing(actor=world.users["regional"], run=later, claims=None, prior=None)
    january = fee_runs.compute_fee(actor=world.users["regional"], run=fee_run(world, date(2026, 1, 31)))
    engine = runner.resume(Run.objects.get(pk=first.engine_run))
    assert fee_runs.record_fee(actor=world.users["regional"], run=first, engine=engine).computed_at is None
    expected = expected_checksum(later)
    february = fee_runs.compute_fee(actor=world.users["regional"], run=later)
    assert february.engine_run != first.engine_run  # priced again, with January's lines as prior usage
    assert february.checksum == expected
    # women 0-2 had 2-4 antenatal visits in January: their February visit is paid; women 3-4 had used up 5
    assert sorted(x.gross for x in february.claim_payments.all()) == [0, 0, 360, 360, 360]
    assert january.claims == sum(2 + w + 1 for w in range(5))


def test_the_run_page_shows_the_engine_runs_progress(world, budget, settings, tmp_path, client_for):
    settings.OPENUHC_ENGINE_DIR = str(tmp_path / "runs")
    submit_women(world, tmp_path, women=2)
    run = fee_runs.start_fee_pricing(actor=world.users["regional"], run=fee_run(world), claims=None, prior=None)
    page = client_for("regional").get(f"/payment/runs/{run.pk}/").content.decode()
    assert 'id="pricing-progress"' in page and "0 of 1 chunks" in page
    fee_runs.compute_fee(actor=world.users["regional"], run=run)
    page = client_for("national").get(f"/payment/runs/{run.pk}/").content.decode()
    assert "1 of 1 chunks" in page and f"/engine/runs/{run.engine_run}/" in page
