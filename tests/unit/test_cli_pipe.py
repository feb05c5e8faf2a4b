"""The CLI's output piped into a reader that stops early (`newswire query … | head`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_closed_pipe_ends_the_command_without_a_traceback() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "newswire.cli", "query", "--list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "BrokenPipeError" not in done.stderr and "Traceback" not in done.stderr
    assert done.returncode == 1
