"""Fee-schedule runs price on the batch engine: the lines are staged with all of a person's lines in one chunk, the
engine run is linked to the payment run, a compute stopped after staging is finished by computing again, and the
lines are those of pricing in one piece (with what earlier runs paid counting against the caps)."""

from __future__ import annotations

from datetime import date

import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from openuhc.claims.samples import SubmissionBuilder
from openuhc.payment import fee_runs, pricing, services
from openuhc.payment.models import ClaimPayment, PaymentRun
from openuhc.payment.tests.test_fee_runs import FEB, JAN, adp, fee_run
from openuhc.testing.world import add_person

pytestmark = pytest.mark.django_db


def submit_women(world, tmp_path, *, women: int = 6, name: str = "women"):
    """Hospital A's file: `women` women, each with antenatal visits (some over the yearly cap) and an ultrasound."""
    from openuhc.claims import services as claims

    builder = SubmissionBuilder("56001")
    for w in range(women):
        person = add_person(subdistrict=world.shph_a.subdistrict, birth=date(1990 + w, 3, 1), sex=2, first=f"หญิง{w}")
        hn = f"W{w}"
        builder.patient(hn=hn, cid=person.citizen_id, dob=person.birth_date, sex=2, fname=person.first_name_th,
                        lname=person.last_name_th, hospmain="56001", title="นาง")
        for day in range(2, 4 + w):  # woman w: 2 + w antenatal visits in January (5 a year are paid)
            seq = f"{hn}V{day}"
            builder.visit(hn=hn, seq=seq, on=date(2026, 1, day), diagnoses=["Z340"])
            adp(builder, hn=hn, seq=seq, on=date(2026, 1, day), code="ANC")
        builder.visit(hn=hn, seq=f"{hn}U", on=date(2026, 1, 20), diagnoses=["Z340"])
        adp(builder, hn=hn, seq=f"{hn}U", on=date(2026, 1, 20), code="US", qty=1 + w % 3)
        builder.visit(hn=hn, seq=f"{hn}F", on=date(2026, 2, 2), diagnoses=["Z340"])
        adp(builder, hn=hn, seq=f"{hn}F", on=date(2026, 2, 2), code="ANC")
    return claims.submit(builder.write(tmp_path / name), unit_code="56001", actor=world.users["hospital"])


def expected_checksum(run: PaymentRun, prior=None) -> str:
    """The lines as the pure function prices the run's stored lines in one piece."""
    table = fee_runs.fee_claims_table(run, {"ANC", "PNC", "US"})
    rules = pricing.FeeRules.from_config(run.budget_version.config)
    lines, _ = pricing.price_fee(table, rules, prior if prior is not None else fee_runs.prior_table(run))
    return services.lines_checksum([services.claim_checksum_row(x) for x in lines.to_pylist()])


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
    run = fee_runs.compute_fee(actor=world.users["regional"], run=run)
    assert run.engine_run == str(engine.pk) and Run.objects.get(pk=engine.pk).status == "done"
    lines = list(ClaimPayment.objects.filter(run=run))
    assert run.claims == len(lines) == sum(2 + w + 1 for w in range(6))
    assert run.checksum == expected_checksum(run)
    assert run.gross == sum(x.gross for x in lines) and {x.detail["reason"] for x in lines} >= {"", "CAP_COUNT"}
    # computing it once more changes nothing
    assert fee_runs.compute_fee(actor=world.users["national"], run=run).checksum == run.checksum
    assert ClaimPayment.objects.count() == len(lines)


def test_what_another_fee_run_paid_after_staging_counts_against_the_caps(world, budget, settings, tmp_path):
    settings.OPENUHC_ENGINE_DIR = str(tmp_path / "runs")
    submit_women(world, tmp_path, women=5)
    february = fee_run(world, FEB)
    # February is staged first, when January had paid nothing; January is computed and paid before February records
    first = fee_runs.start_fee_pricing(actor=world.users["regional"], run=february, claims=None, prior=None)
    january = fee_runs.compute_fee(actor=world.users["regional"], run=fee_run(world, JAN))
    february = fee_runs.compute_fee(actor=world.users["regional"], run=february)
    assert february.engine_run != first.engine_run  # priced again, with January's lines as prior usage
    assert february.checksum == expected_checksum(february)
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
