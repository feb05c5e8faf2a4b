"""A loopback HTTP server that imitates tass.com for tests and the offline demo.

It serves robots.txt, the RSS feed, the sitemap index and news sitemaps, article pages
and placeholder images, all built from the committed fixtures. Pages are rendered once
(at ``start()`` or when a test edits an article) so that serving costs a dict lookup.
The handler asks the site object for fault modes before answering, so tests can later
switch on misbehaviour (challenge pages, 429s, slow bodies) without a second server.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import struct
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC as UTC_ZONE
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape as xml_escape

from newswire.cli.common import TESTSITE_HEADER

from devtools.testsite import faults as fault_modes
from devtools.testsite import listing
from devtools.testsite.layouts import (
    moscow_wall_time,
    render_b_material_page,
    render_tass_ru_2019_page,
    render_tass_ru_next_page,
    rubric_name,
)
from devtools.testsite.pages import (
    MSK,
    ArticleRecord,
    msk_iso,
    render_article_page,
    render_home_page,
    render_not_found,
    section_name,
)

log = logging.getLogger("devtools.testsite")

RSS_ITEMS = 100
SITEMAP_SIZE = 150
# Like tass.com's, the news sitemaps list nothing modified before this; older articles are
# found through the listing API only.
SITEMAP_HORIZON = datetime(2020, 10, 1, tzinfo=UTC_ZONE)
# Articles published before this are served in their era's markup (b-material).
B_MATERIAL_BEFORE = datetime(2020, 1, 1, tzinfo=UTC_ZONE)
ARTICLE_PATH_RE = re.compile(r"^/([a-z0-9][a-z0-9\-]*)/(\d+)/?$")
IMAGE_PATH_RE = re.compile(r"^/(?:media|img)/[\w\-/.]+\.jpe?g$")
SITEMAP_PATH_RE = re.compile(r"^/sitemap/sitemap_news(\d+)\.xml$")

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
JSON = "application/json; charset=utf-8"

SERVICES = ("tass.com", "tass.ru")
CONTENT_API_PATH = "/tbp/api/v1/content"
API_MAX_LIMIT = 100
# tass.ru's robots.txt in 2026 (the API under */api/* is off limits) and before.
RU_ROBOTS = {
    "2026": ["/search", "/preview/", "/n/", "*/api/*", "/video/"],
    "old": ["/api", "/search"],
}
# When tass.ru changed its article markup (archived copies): b-material until mid-2019,
# the news-header classes until the Next.js site of 2022.
RU_ERAS = (("2019-07-01", "b_material"), ("2022-01-01", "tass_ru_2019"))
RU_MARKUPS = ("era", "current")


def load_fixture_articles(language: str = "en") -> list[ArticleRecord]:
    """The committed fixture articles for ``language`` ("en" or "ru"), sorted by id.

    ``history_<language>.json`` (scripts/build_history_fixtures.py), when present, adds
    articles from before the sitemaps to those of ``articles_<language>.json``.
    """
    fixtures = resources.files("devtools.testsite").joinpath("fixtures")
    raw = json.loads(fixtures.joinpath(f"articles_{language}.json").read_text(encoding="utf-8"))
    history = fixtures.joinpath(f"history_{language}.json")
    if history.is_file():
        known = {int(item["external_id"]) for item in raw}
        extra = json.loads(history.read_text(encoding="utf-8"))
        raw += [item for item in extra if int(item["external_id"]) not in known]
    return sorted((ArticleRecord.from_dict(item) for item in raw), key=lambda r: r.external_id)


def _placeholder_jpeg(width: int = 320, height: int = 180) -> bytes:
    """A valid mid-grey baseline JPEG built by hand, so the site needs no image library.

    With level shift, grey 128 has a zero DC coefficient in every block, so each 8x8 block
    is two one-bit Huffman codes: DC difference category 0 and the AC end-of-block.
    """

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">HH", marker, len(payload) + 2) + payload

    blocks = -(-width // 8) * -(-height // 8)
    bits = "00" * blocks
    bits += "1" * (-len(bits) % 8)  # pad the last byte with ones, as the standard asks
    scan = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))
    one_code = bytes([1] + [0] * 15) + b"\x00"  # a single code of length 1 for symbol 0
    return b"".join(
        [
            b"\xff\xd8",
            segment(0xFFDB, b"\x00" + b"\x01" * 64),
            segment(0xFFC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
            segment(0xFFC4, b"\x00" + one_code + b"\x10" + one_code),
            segment(0xFFDA, b"\x01\x01\x00\x00\x3f\x00"),
            scan,
            b"\xff\xd9",
        ]
    )


@dataclasses.dataclass(frozen=True)
class Response:
    """One prepared answer: status, content type and body bytes."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class _Handler(BaseHTTPRequestHandler):
    """Answers from the site's prepared state; one INFO log line per request."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def version_string(self) -> str:
        return "nginx"

    def end_headers(self) -> None:
        """Every answer, faults included, says it comes from the test site."""
        self.send_header(TESTSITE_HEADER, "1")
        super().end_headers()

    def do_GET(self) -> None:
        self._answer(head_only=False)

    def do_HEAD(self) -> None:
        self._answer(head_only=True)

    def do_POST(self) -> None:
        """Only the listing API takes a POST; its faults are keyed on the section id."""
        site = self.server.site
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        site.note_request(self.command, self.path, dict(self.headers.items()))
        response = site.respond_post(urlsplit(self.path).path, body, self)
        if response is None:  # a fault already answered
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def _answer(self, *, head_only: bool) -> None:
        site = self.server.site
        site.note_request(self.command, self.path, dict(self.headers.items()))
        if site.apply_faults(self):
            return
        parts = urlsplit(self.path)
        path = parts.path
        if path == CONTENT_API_PATH and site.service == "tass.ru":
            response = site.content_api(parts.query)
        else:
            response = site.with_validators(path, site.respond(path), self.headers)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def log_error(self, format: str, *args: Any) -> None:
        log.warning("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: TassTestSite) -> None:
        self.site = site
        super().__init__(address, _Handler)


class TassTestSite:
    """The imitation of tass.com: start it, point the pipeline at ``base_url``, stop it.

    ``faults`` is consulted on every request: a set of fault specs (see
    ``devtools.testsite.faults``), empty by default. ``validators`` makes article pages
    carry an ETag and Last-Modified and answer conditional GETs with 304.
    """

    def __init__(
        self,
        articles: Iterable[ArticleRecord] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        sitemap_size: int = SITEMAP_SIZE,
        sitemap_horizon: datetime | None = SITEMAP_HORIZON,
        service: str = "tass.com",
        robots: str = "2026",
        ru_markup: str = "era",
    ) -> None:
        if service not in SERVICES:
            raise ValueError(f"service must be one of {SERVICES}, not {service!r}")
        if robots not in RU_ROBOTS or ru_markup not in RU_MARKUPS:
            raise ValueError(f"robots in {tuple(RU_ROBOTS)}, ru_markup in {RU_MARKUPS}")
        self.service = service
        self.ru_markup = ru_markup
        language = "ru" if service == "tass.ru" else "en"
        records = list(articles) if articles is not None else load_fixture_articles(language)
        self._articles: dict[int, ArticleRecord] = {r.external_id: r for r in records}
        if len(self._articles) != len(records):
            raise ValueError("duplicate external_id in the test site's articles")
        self.host = host
        self.port = port
        self.sitemap_size = max(1, sitemap_size)
        # tass.com's sitemaps begin in 2020-10; how far back tass.ru's reach is not known.
        self.sitemap_horizon = sitemap_horizon if service == "tass.com" else None
        self.faults: set[str] = set()
        # tass.ru: the 2026 rules (API forbidden) or the older ones (`robots="old"`).
        self.disallow: list[str] = list(RU_ROBOTS[robots]) if service == "tass.ru" else ["/search"]
        self.validators = False
        self.slow_seconds = 3.0
        self.oversized_bytes = 6_000_000
        self.bomb_bytes = 100_000_000
        self._fault_hits: dict[tuple[str, str], int] = {}
        self.requests: deque[tuple[str, str, dict[str, str]]] = deque(maxlen=10_000)
        self._lock = threading.RLock()
        # Notified on every request, so a test waits for one instead of sleeping on a guess.
        self._requested = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._pages: dict[int, bytes] = {}
        self._feeds: dict[str, Response] = {}
        self._order: list[ArticleRecord] = []
        self._position: dict[int, int] = {}
        self._not_found = b""
        self._image = _placeholder_jpeg()
        # (path, modified) of copies the sitemaps list, newest first (serve_copies).
        self._listed_copies: list[tuple[str, datetime]] = []

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> TassTestSite:
        """Bind, pre-render every page and serve from a background thread."""
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), self)
        self.port = server.server_address[1]
        self._server = server
        with self._lock:
            self._rebuild()
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"tass-testsite-{self.port}",
            daemon=True,
        )
        self._thread.start()
        log.info("TASS test site serving %d articles at %s", len(self._articles), self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> TassTestSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` of the running site (the port is known once started)."""
        if self._server is None:
            raise RuntimeError("the test site is not started")
        return f"http://{self.host}:{self.port}"

    # ------------------------------------------------------------------- content

    @property
    def articles(self) -> list[ArticleRecord]:
        """The current articles, newest first."""
        with self._lock:
            return self._sorted()

    def article(self, external_id: int) -> ArticleRecord:
        with self._lock:
            return self._articles[external_id]

    def url_for(self, record_or_id: ArticleRecord | int) -> str:
        """The article's URL on this site."""
        record = (
            record_or_id if isinstance(record_or_id, ArticleRecord) else self.article(record_or_id)
        )
        return self.base_url + record.path

    def update_article(self, external_id: int, **changes: Any) -> ArticleRecord:
        """Edit an article (e.g. headline, paragraphs, modified_at) as a revision would.

        The next response for its page and for the feeds reflects the change. Datetimes
        are accepted for ``published_at``/``modified_at`` and stored as ``+03:00`` ISO.
        """
        with self._lock:
            current = self._articles[external_id]
            for key in ("published_at", "modified_at"):
                if key in changes and not isinstance(changes[key], str):
                    changes[key] = msk_iso(changes[key])
            if "paragraphs" in changes:
                changes["paragraphs"] = tuple(changes["paragraphs"])
            updated = dataclasses.replace(current, **changes)
            ArticleRecord.from_dict(updated.to_dict())  # validate times early
            self._articles[external_id] = updated
            if self._server is not None:
                self._rebuild(changed=external_id)
            return updated

    def serve_copies(
        self,
        count: int,
        first_id: int = 5_000_000,
        *,
        listed_between: tuple[datetime, datetime] | None = None,
    ) -> list[str]:
        """Serve `count` extra article paths that reuse the prepared fixture pages.

        For load tests: thousands of distinct URLs cost no rendering and no memory. Returns
        the new paths. The copies are not in the feeds unless `listed_between` is given:
        then the news sitemaps list them too, their modification times spread evenly over
        that span, so a backfill of it discovers them as it would real articles (the pages
        themselves still carry their original's text and dates).
        """
        with self._lock:
            if not self._pages:
                raise RuntimeError("start the site before asking for copies")
            originals = self._order
            paths = []
            for n in range(count):
                record = originals[n % len(originals)]
                copy_id = first_id + n
                self._pages[copy_id] = self._pages[record.external_id]
                paths.append(f"/{record.section}/{copy_id}")
            if listed_between is not None:
                start, end = listed_between
                step = (end - start) / max(count, 1)
                self._listed_copies.extend(
                    (path, start + step * (n + 0.5)) for n, path in enumerate(paths)
                )
                self._listed_copies.sort(key=lambda item: item[1], reverse=True)
                self._rebuild_sitemaps()
            return paths

    def _sorted(self) -> list[ArticleRecord]:
        return sorted(
            self._articles.values(), key=lambda r: (r.published, r.external_id), reverse=True
        )

    def _rebuild(self, changed: int | None = None) -> None:
        """Render pages and feeds; after an edit, only that page and the feeds."""
        self._order = self._sorted()
        self._position = {r.external_id: i for i, r in enumerate(self._order)}
        self._feeds = {
            "/robots.txt": Response(200, TEXT, self._robots()),
            "/rss/v2.xml": Response(200, RSS, self._rss()),
            "/": Response(200, HTML, render_home_page(self.base_url, self._order[:50])),
        }
        self._rebuild_sitemaps()
        targets = [self._articles[changed]] if changed is not None else self._order
        latest = self._order[:10]
        for record in targets:
            self._pages[record.external_id] = self._render(record, latest)
        self._not_found = render_not_found(self.base_url)

    def _rebuild_sitemaps(self) -> None:
        """The sitemap index and every news sitemap, from the articles and listed copies."""
        for path in [p for p in self._feeds if SITEMAP_PATH_RE.match(p)]:
            del self._feeds[path]
        self._feeds["/sitemap.xml"] = Response(200, XML, self._sitemap_index())
        for number, chunk in enumerate(self._sitemap_chunks()):
            path = f"/sitemap/sitemap_news{number}.xml"
            self._feeds[path] = Response(200, XML, self._news_sitemap(chunk))

    def _render(self, record: ArticleRecord, latest: Sequence[ArticleRecord]) -> bytes:
        """Render one page; neighbours in time supply the "Also read" and related links."""
        order = self._order
        index = self._position[record.external_id]
        neighbours = [r for r in order[max(0, index - 6) : index + 7] if r is not record]
        also_read = neighbours[len(neighbours) // 2] if neighbours else None
        same_section = [r for r in neighbours if r.section == record.section and r is not also_read]
        related = (same_section or [r for r in neighbours if r is not also_read])[:5]
        if self.service == "tass.ru":
            return self._render_ru(record, also_read, related)
        if record.published < B_MATERIAL_BEFORE:
            return render_b_material_page(
                record, self.base_url, also_read=also_read, related=related
            )
        return render_article_page(
            record,
            self.base_url,
            also_read=also_read,
            related=related,
            latest=[r for r in latest if r is not record][:8],
        )

    def markup_for(self, record: ArticleRecord) -> str:
        """Which tass.ru markup serves `record`: its era's, or today's Next.js for all."""
        if self.ru_markup == "current":
            return "tass_ru_next"
        day = record.published.astimezone(UTC_ZONE).date().isoformat()
        for until, markup in RU_ERAS:
            if day < until:
                return markup
        return "tass_ru_next"

    def _render_ru(
        self,
        record: ArticleRecord,
        also_read: ArticleRecord | None,
        related: Sequence[ArticleRecord],
    ) -> bytes:
        markup = self.markup_for(record)
        if markup == "b_material":
            return render_b_material_page(
                record, self.base_url, language="ru", also_read=also_read, related=related
            )
        if markup == "tass_ru_2019":
            return render_tass_ru_2019_page(
                record, self.base_url, also_read=also_read, related=related
            )
        # Half the Next.js pages carry no JSON-LD: their dates are only in __NEXT_DATA__.
        return render_tass_ru_next_page(
            record,
            self.base_url,
            json_ld=record.external_id % 2 == 0,
            also_read=also_read,
            related=related,
            state_shape="data",
        )

    # --------------------------------------------------------------------- feeds

    def _robots(self) -> bytes:
        rules = "".join(f"Disallow: {path}\n" for path in self.disallow)
        return f"User-agent: *\n{rules}\nSitemap: {self.base_url}/sitemap.xml\n".encode()

    def _rss(self) -> bytes:
        items = []
        russian = self.service == "tass.ru"
        for record in self._order[:RSS_ITEMS]:
            link = xml_escape(self.base_url + record.path)
            category = (
                rubric_name(record.section, "ru") if russian else section_name(record.section)
            )
            items.append(
                "<item>"
                f"<title>{xml_escape(record.headline)}</title>"
                f"<link>{link}</link>"
                + (f"<guid>{link}</guid>" if russian else "")
                + f"<pubDate>{format_datetime(record.published)}</pubDate>"
                f"<description>{xml_escape(record.lead)}</description>"
                f"<category>{xml_escape(category)}</category>"
                "</item>"
            )
        newest = self._order[0].published if self._order else None
        build = f"<lastBuildDate>{format_datetime(newest)}</lastBuildDate>" if newest else ""
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            + (
                f"<title>ТАСС</title><link>{self.base_url}/</link>"
                "<description>Новости ТАСС</description><language>ru</language>"
                if russian
                else f"<title>TASS</title><link>{self.base_url}/</link>"
                "<description>TASS news in English</description><language>en</language>"
            )
            + f"{build}\n"
            + "\n".join(items)
            + "\n</channel></rss>\n"
        ).encode()

    # ------------------------------------------------------------ tass.ru listing API

    def content_api(self, query: str) -> Response:
        """`/tbp/api/v1/content`: the newest-first listing tass.ru's pages load.

        Sorted by `es_updated_dt` (the search index's update time: here the article's
        modification time), paged by `offset` or by the cursor `last_es_updated_dt`
        (items updated strictly before it), filtered by `rubrics`. Some answers write
        `published_dt` without a zone (Moscow time), as the real API does.
        """
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        try:
            limit = min(API_MAX_LIMIT, max(1, int(params.get("limit", "20"))))
            offset = max(0, int(params.get("offset", "0")))
            cursor_raw = params.get("last_es_updated_dt")
            cursor = datetime.fromisoformat(cursor_raw) if cursor_raw else None
        except ValueError as exc:
            return Response(400, JSON, json.dumps({"error": str(exc)}).encode())
        if cursor is not None and cursor.tzinfo is None:
            cursor = cursor.replace(tzinfo=MSK)
        if params.get("sort", "-es_updated_dt") != "-es_updated_dt":
            return Response(400, JSON, b'{"error": "unsupported sort"}')
        rubric = params.get("rubrics", "").strip("/")
        with self._lock:
            listing = sorted(
                self._articles.values(),
                key=lambda r: (r.modified, r.external_id),
                reverse=True,
            )
        if rubric:
            listing = [r for r in listing if r.section == rubric]
        if cursor is not None:
            listing = [r for r in listing if r.modified < cursor]
        page = listing[offset : offset + limit]
        result = [
            {
                "id": r.external_id,
                "title": r.headline,
                "lead": r.lead,
                "url": r.path,
                "published_dt": (
                    msk_iso(r.published)
                    if r.external_id % 2
                    else moscow_wall_time(r.published).isoformat()
                ),
                "updated_dt": msk_iso(r.modified),
                "es_updated_dt": msk_iso(r.modified),
                "rubrics": [{"slug": r.section, "title": rubric_name(r.section, "ru")}],
            }
            for r in page
        ]
        body = json.dumps({"result": result}, ensure_ascii=False).encode()
        return Response(200, JSON, body)

    def _sitemap_chunks(self) -> list[list[tuple[str, datetime]]]:
        """(path, modified) of what the news sitemaps list, newest first, in files."""
        size = self.sitemap_size
        horizon = self.sitemap_horizon
        listed = [
            (r.path, r.modified) for r in self._order if horizon is None or r.modified >= horizon
        ]
        if self._listed_copies:
            copies = [c for c in self._listed_copies if horizon is None or c[1] >= horizon]
            listed = sorted([*listed, *copies], key=lambda item: item[1], reverse=True)
        return [listed[i : i + size] for i in range(0, len(listed), size)] or [[]]

    def _sitemap_index(self) -> bytes:
        entries = []
        for number, chunk in enumerate(self._sitemap_chunks()):
            lastmod = max((modified for _, modified in chunk), default=None)
            stamp = f"<lastmod>{msk_iso(lastmod)}</lastmod>" if lastmod else ""
            entries.append(
                f"<sitemap><loc>{self.base_url}/sitemap/sitemap_news{number}.xml</loc>"
                f"{stamp}</sitemap>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(entries)
            + "\n</sitemapindex>\n"
        ).encode()

    def _news_sitemap(self, chunk: Sequence[tuple[str, datetime]]) -> bytes:
        entries = "\n".join(
            f"<url><loc>{xml_escape(self.base_url + path)}</loc>"
            f"<lastmod>{msk_iso(modified)}</lastmod></url>"
            for path, modified in chunk
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}\n</urlset>\n"
        ).encode()

    # ----------------------------------------------------------------- requests

    def note_request(self, method: str, path: str, headers: dict[str, str]) -> None:
        """Keep a log of requests so tests can check what a client asked for."""
        with self._requested:
            self.requests.append((method, path, headers))
            self._requested.notify_all()

    def wait_for_requests(self, ready: Callable[[], bool], timeout: float = 30.0) -> bool:
        """Block until `ready()` is true (it is re-checked after each request); False when
        `timeout` seconds pass first."""
        with self._requested:
            return self._requested.wait_for(ready, timeout=timeout)

    def _due(self, spec: fault_modes.FaultSpec, path: str) -> bool:
        """Count a hit of `spec` on `path`; True while the fault should still fire there."""
        with self._lock:
            key = (spec.name, path)
            hits = self._fault_hits.get(key, 0) + 1
            self._fault_hits[key] = hits
        return spec.times == 0 or hits <= spec.times

    def apply_faults(self, handler: BaseHTTPRequestHandler) -> bool:
        """Answer the request with a fault if one is switched on for it; True when it did."""
        if not self.faults:
            return False
        specs = fault_modes.parse_specs(frozenset(self.faults))
        path = urlsplit(handler.path).path
        match = ARTICLE_PATH_RE.match(path)
        with self._lock:
            page = self._pages.get(int(match.group(2))) if match else None
        if match and page is not None:
            external_id = int(match.group(2))
            for spec in specs:
                if (
                    spec.name in fault_modes.ARTICLE_FAULTS
                    and spec.targets(external_id)
                    and self._due(spec, path)
                ):
                    self._article_fault(handler, spec, path, page)
                    return True
            return False
        if path == CONTENT_API_PATH and self.service == "tass.ru":
            # The listing API misbehaves like the pages: faults aimed at every article.
            key = handler.path
            for spec in specs:
                if (
                    spec.name in fault_modes.ARTICLE_FAULTS
                    and spec.ids is None
                    and spec.every is None
                    and self._due(spec, key)
                ):
                    body = self.content_api(urlsplit(handler.path).query).body
                    self._article_fault(handler, spec, path, body)
                    return True
            return False
        for spec in specs:
            if spec.name in fault_modes.FEED_FAULTS and self._feed_fault(handler, spec, path):
                return True
        return False

    def _article_fault(
        self, handler: BaseHTTPRequestHandler, spec: fault_modes.FaultSpec, path: str, page: bytes
    ) -> None:
        name, send = spec.name, fault_modes.send
        if name == "503_once":
            send(handler, 503, b"<html><body>Service Unavailable</body></html>")
        elif name == "429":
            retry_after = spec.options.get("retry_after", "1")
            send(handler, 429, b"Too Many Requests", headers=(("Retry-After", retry_after),))
        elif name == "slow":
            fault_modes.send_slowly(handler, page, self.slow_seconds)
        elif name == "reset":
            fault_modes.reset_midway(handler, page)
        elif name == "truncated":
            send(handler, 200, page[: len(page) // 2])
        elif name == "challenge_200":
            send(handler, 200, fault_modes.CHALLENGE_PAGE)
        elif name == "challenge_403":
            send(handler, 403, fault_modes.CHALLENGE_PAGE)
        elif name == "403":
            send(handler, 403, fault_modes.DENIED_PAGE)
        elif name == "redirect_offhost":
            location = f"http://{fault_modes.OFF_HOST}{path}"
            send(handler, 302, b"", headers=(("Location", location),))
        elif name == "oversized":
            send(handler, 200, page + b" " * max(0, self.oversized_bytes - len(page)))
        elif name == "gzip_bomb":
            body = fault_modes.gzip_bomb(self.bomb_bytes)
            send(handler, 200, body, headers=(("Content-Encoding", "gzip"),))

    def _feed_fault(
        self, handler: BaseHTTPRequestHandler, spec: fault_modes.FaultSpec, path: str
    ) -> bool:
        if spec.name == "malformed_feed" and path == "/rss/v2.xml":
            if self._due(spec, path):
                fault_modes.send(handler, 200, fault_modes.MALFORMED_RSS, content_type=RSS)
                return True
        elif spec.name == "billion_laughs":
            poisoned = f"/sitemap/sitemap_news{spec.options.get('sitemap', '0')}.xml"
            if path == poisoned and self._due(spec, path):
                fault_modes.send(handler, 200, fault_modes.BILLION_LAUGHS, content_type=XML)
                return True
        elif spec.name == "offhost_link" and path == "/rss/v2.xml" and self._due(spec, path):
            foreign = (
                f"<item><title>Elsewhere</title><link>http://{fault_modes.OFF_HOST}/world/"
                f"{fault_modes.OFF_HOST_ARTICLE_ID}</link><pubDate>{{date}}</pubDate></item>"
            )
            with self._lock:
                rss = self._feeds["/rss/v2.xml"].body
                newest = self._order[0].published if self._order else None
            stamp = format_datetime(newest) if newest else ""
            extra = foreign.replace("{date}", stamp).encode()
            body = rss.replace(b"</channel>", extra + b"</channel>", 1)
            fault_modes.send(handler, 200, body, content_type=RSS)
            return True
        return False

    def respond_post(
        self, path: str, body: bytes, handler: BaseHTTPRequestHandler
    ) -> Response | None:
        """The listing API's answer, or None when a fault switched on for it answered."""
        if path != listing.LISTING_PATH:
            return Response(404, HTML, self._not_found)
        try:
            payload = listing.read_request(body)
        except listing.BadListingRequest as exc:
            return Response(400, "application/json", json.dumps({"error": str(exc)}).encode())
        with self._lock:
            answer = listing.answer(self._articles.values(), payload)
        section_id = int(payload["sectionId"])
        if self.faults:
            for spec in fault_modes.parse_specs(frozenset(self.faults)):
                # Only specs naming section ids: a bare `403` means "every article page".
                if (
                    spec.name in fault_modes.ARTICLE_FAULTS
                    and spec.ids is not None
                    and spec.targets(section_id)
                    and self._due(spec, f"{path}#{section_id}")
                ):
                    self._article_fault(handler, spec, path, answer)
                    return None
        return Response(200, "application/json; charset=utf-8", answer)

    def with_validators(self, path: str, response: Response, request_headers: Any) -> Response:
        """Add ETag/Last-Modified to article pages and answer matching conditional GETs."""
        match = ARTICLE_PATH_RE.match(path)
        if not self.validators or response.status != 200 or not match:
            return response
        record = self._articles.get(int(match.group(2)))
        if record is None:
            return response
        etag = '"' + hashlib.sha256(response.body).hexdigest()[:20] + '"'
        modified = record.modified
        last_modified = format_datetime(modified.astimezone(UTC_ZONE), usegmt=True)
        headers = (*response.headers, ("ETag", etag), ("Last-Modified", last_modified))
        if_none_match = request_headers.get("If-None-Match")
        if_modified_since = request_headers.get("If-Modified-Since")
        not_modified = False
        if if_none_match is not None:
            not_modified = etag in [t.strip() for t in if_none_match.split(",")]
        elif if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
                not_modified = modified.replace(microsecond=0) <= since
            except (TypeError, ValueError):
                not_modified = False
        if not_modified:
            return Response(304, response.content_type, b"", headers)
        return Response(200, response.content_type, response.body, headers)

    def respond(self, path: str) -> Response:
        """The prepared response for a request path (query strings are ignored)."""
        with self._lock:
            if path == "/robots.txt":  # built per request: tests edit `disallow` live
                return Response(200, TEXT, self._robots())
            feed = self._feeds.get(path)
            if feed is not None:
                return feed
            match = ARTICLE_PATH_RE.match(path)
            if match:
                page = self._pages.get(int(match.group(2)))
                if page is not None:
                    # Like TASS, any section path serves the article with that id.
                    return Response(200, HTML, page)
            if IMAGE_PATH_RE.match(path):
                return Response(
                    200, "image/jpeg", self._image, (("Cache-Control", "max-age=86400"),)
                )
            return Response(404, HTML, self._not_found)


class TassTestSites:
    """tass.com and tass.ru side by side on two ports, started and stopped together.

    `com` and `ru` are ordinary TassTestSite objects (faults, edits and request logs are
    per site); keyword options other than the ports go to the tass.ru site.
    """

    def __init__(
        self, host: str = "127.0.0.1", com_port: int = 0, ru_port: int = 0, **ru_options: Any
    ) -> None:
        self.com = TassTestSite(host=host, port=com_port, service="tass.com")
        self.ru = TassTestSite(host=host, port=ru_port, service="tass.ru", **ru_options)

    def start(self) -> TassTestSites:
        self.com.start()
        try:
            self.ru.start()
        except BaseException:
            self.com.stop()
            raise
        return self

    def stop(self) -> None:
        self.ru.stop()
        self.com.stop()

    def __enter__(self) -> TassTestSites:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = [
    "RSS_ITEMS",
    "SITEMAP_SIZE",
    "ArticleRecord",
    "TassTestSite",
    "TassTestSites",
    "load_fixture_articles",
]
