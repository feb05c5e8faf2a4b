"""`newswire` command line: the same stages as the DAG, plus the demo and operator helpers.

One module per command group (`ingest`, `analyst`, `operator`); `parser` wires them.
Run `newswire --help` (or `python -m newswire.cli --help`).
"""

from __future__ import annotations

import logging
import sys

from newswire.config import ConfigError, project_root
from newswire.db import DatabaseUnavailable
from newswire.models import WindowError


def main(argv: list[str] | None = None) -> int:
    from newswire.cli.parser import build_parser

    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "pgserver", "yoyo", "devtools.testsite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.func(args))
    except (ConfigError, WindowError, DatabaseUnavailable) as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return 2


__all__ = ["main", "project_root"]
