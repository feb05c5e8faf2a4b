"""``python -m newswire.testsite``: serve the imitation of tass.com until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType

from newswire.testsite.faults import FAULT_NAMES, FaultSpec, FaultSpecError
from newswire.testsite.server import TassTestSite


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newswire.testsite", description="Serve the local TASS test site."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    parser.add_argument("--port", type=int, default=8089, help="port (0 picks a free one)")
    parser.add_argument("--quiet", action="store_true", help="do not log every request")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="switch on a fault, e.g. 503_once or slow:every=3 (repeatable; known: "
        + ", ".join(FAULT_NAMES)
        + ")",
    )
    parser.add_argument(
        "--validators", action="store_true", help="send ETag/Last-Modified and answer 304s"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for spec in args.fault:
            FaultSpec.parse(spec)
    except FaultSpecError as exc:
        parser.error(str(exc))
    try:
        site = TassTestSite(host=args.host, port=args.port)
        site.faults.update(args.fault)
        site.validators = args.validators
        site.start()
    except OSError as exc:
        print(f"cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(site.base_url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        site.stop()
        logging.getLogger("newswire.testsite").info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
