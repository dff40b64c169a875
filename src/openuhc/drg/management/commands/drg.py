"""`openuhc drg group INPUT --out OUTPUT` — group admissions and weigh them on the batch engine (all cores).

CSV or Parquet in and out, by extension. The input is first written as Parquet in chunks of row groups, then
run as an engine run (`drg.group`), so a killed grouping resumes with `openuhc engine resume RUN`."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.core.management.base import BaseCommand, CommandError

from openuhc.core.errors import DomainError
from openuhc.core.jobs import TerminalProgress

ROWS_PER_GROUP = 50_000  # staged row groups; a chunk is one or two of them (engine_functions.rows_per_chunk)


class Command(BaseCommand):
    help = "Group admissions with the installed Thai DRG tables and compute AdjRW."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        grp = sub.add_parser("group", help="group a CSV or Parquet file of admissions")
        grp.add_argument("input")
        grp.add_argument("--out", required=True, help="output .csv or .parquet")
        grp.add_argument("--version", dest="table_version", help="table version (default: the one in force)")
        grp.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
        from openuhc.engine.options import add_runner_arguments

        add_runner_arguments(grp)  # --runner in-process|spark, --master (docs/engine.md)
        weigh = sub.add_parser("weigh", help="AdjRW of DRGs assigned elsewhere (e.g. the lines of a statement)")
        weigh.add_argument("input", help="CSV or Parquet with an, drg, admit_date, discharge_date, leave_days")
        weigh.add_argument("--out", required=True, help="output .csv or .parquet")

    def execute(self, *args: Any, **options: Any) -> Any:
        # Before Django's system checks, which load the URLs and with them the first module importing Polars.
        if options.get("action") == "group":
            from openuhc.drg.engine_functions import share_cores
            from openuhc.engine import runner

            share_cores(options.get("workers") or runner.default_workers())
        return super().execute(*args, **options)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "weigh":
            return self._weigh(Path(options["input"]), Path(options["out"]))
        from openuhc.drg.engine_functions import in_processes, params_for, rows_per_chunk
        from openuhc.drg.services import DrgError, tables_for
        from openuhc.engine import runner
        from openuhc.engine.options import runner_options

        source, target = Path(options["input"]), Path(options["out"])
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        if target.suffix.lower() not in (".csv", ".parquet"):
            raise CommandError("--out must end in .csv or .parquet.")
        staging = Path(tempfile.mkdtemp(prefix="openuhc-drg-"))
        try:
            tables = tables_for(options.get("table_version"))
            staged = self._stage(source, staging / "input.parquet")
            names = pq.ParquetFile(staged).schema_arrow.names
            missing = [c for c in ("pdx", "sex", "age", "admit_date", "discharge_date") if c not in names]
            if missing:
                raise DomainError(DrgError.MISSING_COLUMNS, columns=", ".join(missing))
            total = pq.ParquetFile(staged).metadata.num_rows
            workers = options.get("workers") or runner.default_workers()
            run = runner.start("drg.group", staged, params=params_for(tables, processes=in_processes(total, workers)),
                               reference_version=tables.version, rows_per_chunk=rows_per_chunk(total, workers),
                               title=f"drg group {source.name}")
            with TerminalProgress() as progress:
                run = runner.resume(run, workers=options.get("workers"), progress=progress, **runner_options(options))
            result = pq.ParquetFile(run.output_path)
            errors = approximate = 0
            writer = None
            for batch in result.iter_batches(batch_size=ROWS_PER_GROUP):
                errors += batch.num_rows - batch.column("error").null_count
                approximate += sum(1 for v in batch.column("exact").to_pylist() if v is False)
                if target.suffix.lower() == ".csv":
                    writer = writer or pacsv.CSVWriter(target, batch.schema)
                    writer.write_batch(batch)
            if writer is not None:
                writer.close()
            if target.suffix.lower() == ".parquet":
                shutil.copyfile(run.output_path, target)
        except DomainError as error:
            raise CommandError(error.message_en) from None
        except (pa.ArrowInvalid, OSError) as error:
            raise CommandError(f"{source}: {error}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self.stdout.write(f"{result.metadata.num_rows:,} admissions grouped with TDRG {tables.version} → {target}: "
                          f"{errors:,} rows with an error code, {approximate:,} approximate (run {run.pk})")

    def _weigh(self, source: Path, target: Path) -> None:
        from openuhc.drg.services import weigh_table

        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        if target.suffix.lower() not in (".csv", ".parquet"):
            raise CommandError("--out must end in .csv or .parquet.")
        try:
            if source.suffix.lower() == ".parquet":
                table = pq.read_table(source)
            else:
                with source.open("rb") as handle:
                    header = handle.readline().decode("utf-8-sig").strip().split(",")
                table = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.string() for name in header}, strings_can_be_null=True))
            out = weigh_table(table)
        except DomainError as error:
            raise CommandError(error.message_en) from None
        except (pa.ArrowInvalid, OSError) as error:
            raise CommandError(f"{source}: {error}") from None
        if target.suffix.lower() == ".csv":
            pacsv.write_csv(out, target)
        else:
            pq.write_table(out, target)
        errors = out.num_rows - out.column("error").null_count
        self.stdout.write(f"{out.num_rows:,} lines weighed → {target}: {errors:,} with an error code")

    def _stage(self, source: Path, staged: Path) -> Path:
        """The input as Parquet with row groups the engine can chunk; every CSV column read as text (the
        grouper checks each value itself, row by row)."""
        if source.suffix.lower() == ".parquet":
            reader = pq.ParquetFile(source).iter_batches(batch_size=ROWS_PER_GROUP)
        else:
            with source.open("rb") as handle:
                header = handle.readline().decode("utf-8-sig").strip().split(",")
            options = pacsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                           strings_can_be_null=True)
            reader = pacsv.open_csv(source, read_options=pacsv.ReadOptions(block_size=8 << 20),
                                    convert_options=options)
        writer = None
        pending: list[pa.RecordBatch] = []
        size = 0
        for batch in reader:
            pending.append(batch)
            size += batch.num_rows
            if size >= ROWS_PER_GROUP:
                table = pa.Table.from_batches(pending)
                writer = writer or pq.ParquetWriter(staged, table.schema)
                writer.write_table(table, row_group_size=ROWS_PER_GROUP)
                pending, size = [], 0
        if pending or writer is None:
            table = pa.Table.from_batches(pending) if pending else pa.table({})
            writer = writer or pq.ParquetWriter(staged, table.schema)
            writer.write_table(table, row_group_size=ROWS_PER_GROUP)
        writer.close()
        return staged
