"""Runs a command so that it dies with the process that started it (the CLI).

The CLI starts `airflow dags test` in a session of its own, so that Ctrl-C reaches only
the CLI, which then stops the child's whole process group. A CLI killed with SIGKILL
cannot do that: the child kept running, fetching from TASS with nobody waiting for it.
This small program sits between the two, as the leader of the child's process group:

    python child_guard.py <parent pid> -- <command ...>

On Linux the kernel signals it when its parent dies (`prctl(PR_SET_PDEATHSIG)`);
elsewhere a thread polls the parent's pid. Either way it then SIGKILLs its own process
group: the command and everything the command started. It is run by path, never
imported by the library, so it starts without loading the package.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import threading
from types import FrameType

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_GONE = signal.SIGUSR1  # the signal the kernel sends us when the parent dies
POLL_SECONDS = 0.5


def _kill_group(signum: int = 0, frame: FrameType | None = None) -> None:
    """The parent is gone: end the command, its children and this guard at once."""
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _ignore(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C and SIGTERM reach the whole group; the guard stays to report the exit."""


def _ask_the_kernel() -> bool:
    """PR_SET_PDEATHSIG on Linux; False where it is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(PARENT_GONE), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _poll_parent(parent: int) -> None:
    """Where the kernel cannot tell us: notice the parent's death by our new parent pid."""
    stop = threading.Event()
    while not stop.wait(POLL_SECONDS):
        if os.getppid() != parent:
            _kill_group()


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: child_guard.py <parent pid> -- <command ...>", file=sys.stderr)
        return 2
    parent, command = int(argv[0]), argv[2:]
    signal.signal(PARENT_GONE, _kill_group)
    for signum in (signal.SIGINT, signal.SIGTERM):  # a handler, not SIG_IGN: not inherited
        signal.signal(signum, _ignore)
    if not _ask_the_kernel():
        threading.Thread(target=_poll_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the kernel was asked to watch it
        _kill_group()
    code = subprocess.Popen(command).wait()
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
