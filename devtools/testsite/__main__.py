"""``python -m devtools.testsite``: serve the imitation of tass.com (or tass.ru, or both on
two ports) until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType

from devtools.testsite.faults import FAULT_NAMES, FaultSpec, FaultSpecError
from devtools.testsite.server import RU_MARKUPS, RU_ROBOTS, SERVICES, TassTestSite, TassTestSites


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.testsite", description="Serve the local TASS test site."
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
    parser.add_argument(
        "--service",
        choices=(*SERVICES, "both"),
        default="tass.com",
        help="which TASS site to imitate; both: tass.com on --port, tass.ru on --ru-port",
    )
    parser.add_argument(
        "--ru-port", type=int, default=None, help="tass.ru's port with --service both (port+1)"
    )
    parser.add_argument(
        "--robots",
        choices=tuple(RU_ROBOTS),
        default="2026",
        help="tass.ru's robots.txt: the 2026 rules (API disallowed) or the older ones",
    )
    parser.add_argument(
        "--ru-markup",
        choices=RU_MARKUPS,
        default="era",
        help="tass.ru pages in each article's era markup, or all in today's Next.js markup",
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
    options = {"robots": args.robots, "ru_markup": args.ru_markup}
    if args.service == "both":
        ru_port = args.ru_port if args.ru_port is not None else (args.port + 1 if args.port else 0)
        pair = TassTestSites(args.host, args.port, ru_port, **options)
        sites = [pair.com, pair.ru]
    else:
        sites = [TassTestSite(host=args.host, port=args.port, service=args.service, **options)]
    for site in sites:
        site.faults.update(args.fault)
        site.validators = args.validators
    started: list[TassTestSite] = []
    try:
        for site in sites:
            started.append(site.start())
    except OSError as exc:
        for site in started:
            site.stop()
        print(f"cannot serve on {args.host}: {exc}", file=sys.stderr)
        return 1
    for site in sites:  # one line per site: its base URL (tass.com first)
        print(site.base_url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for site in sites:
            site.stop()
        logging.getLogger("devtools.testsite").info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
