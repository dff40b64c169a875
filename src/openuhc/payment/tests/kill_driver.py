"""A helper process for test_kill_resume (not a test): it owns a SQLite file with the engine's tables and, on
each command read from stdin, forks a child that starts or resumes an engine run. The test kills the child with
SIGKILL at random points; the driver reaps it (so that its pid is gone and its leases are taken back, as after a
real crash) and reports. Forking from a process where Django is already set up makes a "life" cost milliseconds
instead of a Python start-up, so 20 kills fit in a few seconds.

Commands (one per line): `start INPUT PARAMS_JSON_FILE` → `run <uuid>`; `life RUN [HOLD]` → `pid <n>`, then
`exit <wait status> <run status> <output sha256> <output path>` once the child has ended. With HOLD the child waits,
before computing another chunk, once HOLD chunks are done: a kill meant for the middle of the run cannot land after
the run has finished, however slow the machine that sends it.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, connections

    from openuhc.engine import runner, worker
    from openuhc.engine.models import Chunk, Run

    with connection.schema_editor() as editor:  # only the engine's tables: a full migrate would take longer
        editor.create_model(get_user_model())  # the table a run's created_by refers to (left empty)
        editor.create_model(Run)
        editor.create_model(Chunk)
    connections.close_all()
    for line in sys.stdin:
        command, *args = line.split()
        if command == "start":
            with open(args[1], encoding="utf-8") as handle:
                params = json.load(handle)
            run = runner.start("payment.price_ip", args[0], params=params, rows_per_chunk=1)
            connections.close_all()  # a forked child must open its own connection
            print(f"run {run.pk}", flush=True)
        elif command == "life":
            pid = os.fork()
            if pid == 0:  # the child: resume the run inline (this process is the worker that gets killed)
                code = 0
                if len(args) > 1:
                    hold(Chunk, args[0], int(args[1]), worker)
                try:
                    runner.resume(Run.objects.get(pk=args[0]), workers=1)
                except BaseException:  # noqa: BLE001 - reported through the exit status
                    traceback.print_exc()
                    code = 1
                finally:
                    os._exit(code)
            print(f"pid {pid}", flush=True)
            _, status = os.waitpid(pid, 0)
            run = Run.objects.get(pk=args[0])
            print(f"exit {status} {run.status} {run.output_checksum or '-'} {run.output_path or '-'}", flush=True)
            connections.close_all()


def hold(chunk_model, run_id: str, limit: int, worker) -> None:
    """In the child only: compute a chunk only while fewer than `limit` are done; past that, wait to be killed."""
    compute = worker.compute_chunk

    def held(*args, **kwargs):
        while chunk_model.objects.filter(run_id=run_id, state=chunk_model.State.DONE).count() >= limit:
            time.sleep(0.05)
        return compute(*args, **kwargs)

    worker.compute_chunk = held


if __name__ == "__main__":
    main()
