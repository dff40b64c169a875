"""The runner options of every command that starts or finishes engine runs (`openuhc engine …`, `openuhc drg
group`), in one place: `--runner in-process|spark` and `--master`. Without them, OPENUHC_ENGINE_RUNNER and
OPENUHC_SPARK_MASTER decide — which is also how runs started from pages (payment rounds, grouping of stored claims)
go to Spark."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from openuhc.engine import runner


def add_runner_arguments(parser: Any) -> None:
    parser.add_argument("--runner", choices=runner.RUNNERS, default=None,
                        help="in-process (this machine's cores) or spark (default: OPENUHC_ENGINE_RUNNER, "
                             f"now {getattr(settings, 'OPENUHC_ENGINE_RUNNER', 'in-process')})")
    parser.add_argument("--master", default=None,
                        help="Spark master: local[2], spark://host:7077, yarn, k8s://... (default: "
                             "OPENUHC_SPARK_MASTER); implies --runner spark")


def runner_options(options: dict[str, Any]) -> dict[str, Any]:
    """`runner.resume` keyword arguments from parsed options."""
    chosen = options.get("runner")
    master = options.get("master")
    if master and not chosen:
        chosen = "spark"
    return {"runner": chosen, "master": master}
