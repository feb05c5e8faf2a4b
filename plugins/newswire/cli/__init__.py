"""`newswire` command line: the same stages as the DAG, plus the demo and operator helpers.

One module per command group (`ingest`, `analyst`, `operator`); `parser` wires them.
Run `newswire --help` (or `python -m newswire.cli --help`).
"""

from __future__ import annotations

import logging
import os
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
        code = int(args.func(args))
        sys.stdout.flush()  # a reader gone away shows here, not at the interpreter's exit
        return code
    except (ConfigError, WindowError, DatabaseUnavailable) as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `newswire query NAME | head`: the reader has what it wanted; stop without a
        # traceback, as other command-line tools do.
        _discard_stdout()
        return 1


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (captured in a test): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


__all__ = ["main", "project_root"]
