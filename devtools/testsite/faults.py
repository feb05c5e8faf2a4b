"""Switchable misbehaviour of the local test site, modelled on what tass.com does to bots.

A fault is switched on by putting its spec in ``TassTestSite.faults`` (or ``--fault`` on
the command line). A spec is ``NAME`` or ``NAME:OPTION=VALUE[:OPTION=VALUE...]``:

- ``ids=1893769,1893783`` – only these article ids (default: every article); on the
  listing API (``POST /userApi/categoryNewsList``) the ids are section ids, e.g. 4844,
  and only specs naming ids apply to it;
- ``every=N`` – only articles whose id is a multiple of N;
- ``times=K`` – misbehave on the first K requests of each targeted path, then answer
  normally (0 means always; each fault has its own default);
- ``retry_after=S`` (429) – the Retry-After value sent;
- ``sitemap=N`` (billion_laughs) – which news sitemap is poisoned (default 0).

Several specs may be on at once, so one run sees good and bad articles side by side.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import struct
import time
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler

ARTICLE_FAULTS: dict[str, int] = {
    # name: default `times` (0 = on every request)
    "503_once": 1,
    "429": 1,
    "slow": 0,
    "reset": 1,
    "truncated": 0,
    "challenge_200": 0,
    "challenge_403": 0,
    "redirect_offhost": 0,
    "oversized": 0,
    "gzip_bomb": 0,
    "403": 0,
}
FEED_FAULTS: dict[str, int] = {"malformed_feed": 0, "billion_laughs": 0, "offhost_link": 0}
FAULT_NAMES = tuple(ARTICLE_FAULTS) + tuple(FEED_FAULTS)
OFF_HOST = "elsewhere.invalid"
OFF_HOST_ARTICLE_ID = 1999999

CHALLENGE_PAGE = (
    b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Just a moment...</title>'
    b"<script>var t=Date.now();function go(){document.cookie='__ddg='+t+'; path=/';"
    b"location.reload();}setTimeout(go,4000);</script></head><body>"
    b'<div class="challenge"><p>Checking your browser before accessing the site.</p>'
    b"<p>Please enable JavaScript and cookies to continue. DDoS protection.</p>"
    b"<noscript>JavaScript is required.</noscript></div>"
    + b"<!-- pad -->" * 100
    + b"</body></html>"
)
DENIED_PAGE = b"<html><head><title>403 Forbidden</title></head><body>Access denied</body></html>"
MALFORMED_RSS = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>TASS</title>'
    b"<item><title>Broken & unescaped</title><link>http://x/world/1</lin"
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>&lol9;</loc></url></urlset>\n"
)


class FaultSpecError(ValueError):
    """A fault spec that names no known fault or has a malformed option."""


@dataclass(frozen=True)
class FaultSpec:
    name: str
    ids: frozenset[int] | None = None
    every: int | None = None
    times: int = 0
    options: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @classmethod
    def parse(cls, spec: str) -> FaultSpec:
        name, *parts = spec.strip().split(":")
        if name not in FAULT_NAMES:
            raise FaultSpecError(f"unknown fault {name!r}; known: {', '.join(FAULT_NAMES)}")
        options: dict[str, str] = {}
        for part in parts:
            key, sep, value = part.partition("=")
            if not sep or not value:
                raise FaultSpecError(f"fault option {part!r} in {spec!r} is not KEY=VALUE")
            options[key] = value
        try:
            ids = frozenset(int(x) for x in options["ids"].split(",")) if "ids" in options else None
            every = int(options["every"]) if "every" in options else None
            times = int(options.get("times", ARTICLE_FAULTS.get(name, FEED_FAULTS.get(name, 0))))
        except ValueError as exc:
            raise FaultSpecError(f"fault {spec!r}: {exc}") from exc
        if every is not None and every < 1:
            raise FaultSpecError(f"fault {spec!r}: every must be at least 1")
        return cls(name, ids, every, times, options)

    def targets(self, external_id: int) -> bool:
        if self.ids is not None and external_id not in self.ids:
            return False
        return self.every is None or external_id % self.every == 0


@cache
def parse_specs(specs: frozenset[str]) -> tuple[FaultSpec, ...]:
    return tuple(FaultSpec.parse(s) for s in sorted(specs))


@cache
def gzip_bomb(decoded_bytes: int) -> bytes:
    """A small gzip body that inflates to `decoded_bytes` of spaces inside an HTML page."""
    head, tail = b"<!DOCTYPE html><html><body>", b"</body></html>"
    return gzip.compress(head + b" " * decoded_bytes + tail, compresslevel=9)


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    *,
    content_type: str = "text/html; charset=utf-8",
    headers: tuple[tuple[str, str], ...] = (),
    length: int | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    for name, value in headers:
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def send_slowly(handler: BaseHTTPRequestHandler, body: bytes, delay: float) -> None:
    """Headers at once, then nothing for `delay` seconds, then the body (if still wanted)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.flush()
    time.sleep(delay)
    with contextlib.suppress(OSError):  # the client gave up, as it should
        handler.wfile.write(body)


def reset_midway(handler: BaseHTTPRequestHandler, body: bytes) -> None:
    """Promise the whole body, send half, then reset the TCP connection (RST, not FIN)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body[: len(body) // 2])
    handler.wfile.flush()
    handler.close_connection = True
    conn = handler.connection
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
