"""The `openuhc` command: Django's management commands with OpenUHC's settings preset.

Everything an operator does goes through it, e.g. `openuhc migrate`, `openuhc demo`,
`openuhc import persons people.csv`, `openuhc audit access --from 2026-11-01 --to 2026-11-30`.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    from django.core.management import execute_from_command_line

    args = ["openuhc", *(sys.argv[1:] if argv is None else argv)]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
