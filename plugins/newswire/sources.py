"""The wires newswire ingests, as data: one entry per source.

Each entry says where the site is (and which variable moves it), how its articles are
found (feed, sitemaps, listing API), which page layouts it serves, how politely to ask,
and how Airflow runs it (DAG id, schedule, pool). The DAG file, the CLI and `make
backfill` loop over `SOURCES`, so a third wire is one entry here plus its layouts.

An entry names its discovery by a callable taking a `DiscoveryContext`: tass.com's feed
and sitemaps (`newswire.discover`) wrapped in `WithHistory`, which walks the listing API
for windows older than the sitemaps; tass.ru's is `newswire.discover_ru`. A wire whose
discovery lives in a module not always installed can be named `LazyDiscoverer("m:f")`.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from newswire import history
from newswire.config import (
    HTTP_POOL,
    INGEST_DAG_ID,
    ConfigError,
    Settings,
    env_float,
    env_int,
    env_str,
    environment,
    normalise_base_url,
)
from newswire.discover import discover, read_robots
from newswire.fetch import PoliteFetcher
from newswire.models import ArticleRef, DiscoveryResult, Window
from newswire.parse import b_material, generic, tass_com, tass_ru_2019, tass_ru_next
from newswire.parse.layout import Layout

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DiscoveryContext:
    """What a discovery function gets: the run's settings, window, fetcher and warehouse."""

    settings: Settings
    window: Window
    fetcher: PoliteFetcher
    db_url: str
    run_id: int | None = None


class Discoverer(Protocol):
    def __call__(self, context: DiscoveryContext) -> Awaitable[DiscoveryResult]: ...


@dataclass(frozen=True)
class LazyDiscoverer:
    """A discoverer named `package.module:function`, imported when first called.

    Lets an entry point at discovery code that lives (or will live) in another module
    without importing it whenever the registry is read, e.g. while Airflow parses DAGs.
    """

    target: str

    def resolve(self) -> Callable[[DiscoveryContext], Awaitable[DiscoveryResult]]:
        module_name, _, attribute = self.target.partition(":")
        try:
            module = importlib.import_module(module_name)
            function = getattr(module, attribute)
        except (ImportError, AttributeError) as exc:
            raise ConfigError(
                f"the discovery function {self.target} is not available ({exc})"
            ) from exc
        return function  # type: ignore[no-any-return]

    def __call__(self, context: DiscoveryContext) -> Awaitable[DiscoveryResult]:
        return self.resolve()(context)


@dataclass(frozen=True)
class Politeness:
    """Defaults for one host; `<PREFIX>_REQUEST_INTERVAL` / `_CONCURRENCY` override them."""

    request_interval: float = 1.0
    concurrency: int = 2


@dataclass(frozen=True)
class Source:
    """One wire: everything that differs between tass.com and tass.ru."""

    name: str
    language: str
    default_base_url: str
    env_prefix: str  # TASS → TASS_BASE_URL, TASS_RU → TASS_RU_BASE_URL
    discovery_methods: tuple[str, ...]
    discover: Discoverer
    layouts: tuple[Layout, ...]
    dag_id: str
    schedule: str  # cron, UTC
    pool: str
    politeness: Politeness = Politeness()
    pool_slots: int = 2
    listing: history.ListingApi | None = None
    # Before this, the feeds and sitemaps list nothing (used when no sitemap was readable).
    sitemap_horizon: datetime | None = None
    # Measured items a day (README, `scripts/estimate_backfill.py`): backfill estimates.
    items_per_day: int = 150

    @property
    def base_url_env(self) -> str:
        return f"{self.env_prefix}_BASE_URL"

    def settings(self, env: Mapping[str, str] | None = None) -> Settings:
        """Settings for this source: its host, politeness and name, the rest shared."""
        values = dict(environment() if env is None else env)
        shared = Settings.from_env({k: v for k, v in values.items() if k != "TASS_SOURCE"})
        raw_url = env_str(values, self.base_url_env) or self.default_base_url
        base_url = normalise_base_url(raw_url, self.base_url_env)

        def setting(suffix: str) -> str:
            """The source's own variable when set, else the shared TASS_ one (both declared
            in newswire.config.VARIABLES), so a bad value is reported under its real name."""
            own = f"{self.env_prefix}_{suffix}"
            return own if env_str(values, own) is not None else f"TASS_{suffix}"

        polite = self.politeness
        return dataclasses.replace(
            shared,
            base_url=base_url,
            source=self.name,
            request_interval=env_float(
                values, setting("REQUEST_INTERVAL"), polite.request_interval, 0.0
            ),
            concurrency=env_int(values, setting("CONCURRENCY"), polite.concurrency, 1),
        )


def listing_window(window: Window, horizon: datetime | None) -> Window | None:
    """The part of `window` older than the feeds' horizon (None when there is none)."""
    if horizon is None or window.start >= horizon:
        return None
    return Window(window.start, min(window.end, horizon))


def merge_refs(*groups: Sequence[ArticleRef]) -> list[ArticleRef]:
    """One ref per article id: the first seen wins, `found_in` names every way it came."""
    merged: dict[int, ArticleRef] = {}
    for group in groups:
        for ref in group:
            known = merged.get(ref.external_id)
            if known is None:
                merged[ref.external_id] = ref
            elif ref.found_in not in known.found_in.split("+"):
                merged[ref.external_id] = dataclasses.replace(
                    known,
                    found_in=f"{known.found_in}+{ref.found_in}",
                    published_at=known.published_at or ref.published_at,
                )
    return sorted(merged.values(), key=lambda ref: ref.external_id)


async def discover_feeds(context: DiscoveryContext) -> DiscoveryResult:
    """tass.com's feed and news sitemaps (`newswire.discover`)."""
    return await discover(context.settings, context.window, context.fetcher)


async def discover_tass_ru(context: DiscoveryContext) -> DiscoveryResult:
    """tass.ru's feed, sitemaps and (when robots.txt allows) content API: `discover_ru`."""
    from newswire.discover_ru import discover_tass_ru as discover_ru

    return await discover_ru(context.settings, context.window, context.fetcher)


@dataclass(frozen=True)
class WithHistory:
    """A source's feed discovery, then the part of the window older than the oldest
    sitemap entry through the source's listing API, checkpointed in the warehouse."""

    feeds: Discoverer

    async def __call__(self, context: DiscoveryContext) -> DiscoveryResult:
        settings, window = context.settings, context.window
        source = source_for(settings)
        found = await self.feeds(context)
        horizon = found.oldest_listed or source.sitemap_horizon
        older = listing_window(window, horizon)
        if older is None or source.listing is None:
            return found
        log.info("%s: %s is older than the sitemaps (%s): listing API", source.name, older, horizon)
        robots = await read_robots(settings, context.fetcher)
        walked = await history.walk(
            context.db_url, settings, context.fetcher, source.listing, older, robots
        )
        return dataclasses.replace(
            found,
            refs=merge_refs(found.refs, walked.refs),
            feeds_read=found.feeds_read + (1 if walked.pages_requested or walked.refs else 0),
            skipped_robots=found.skipped_robots + walked.sections_disallowed,
        )


TASS_COM_SECTION_IDS: Mapping[str, int] = {
    "politics": 4954,
    "world": 4844,
    "economy": 4845,
    "defense": 4953,
    "science": 4957,
    "emergencies": 4992,
    "society": 4956,
    "pressreview": 4981,
    "sports": 4869,
}
TASS_COM = Source(
    name="tass.com",
    language="en",
    default_base_url="https://tass.com",
    env_prefix="TASS",
    discovery_methods=("feed", "sitemaps", "listing_api"),
    discover=WithHistory(discover_feeds),
    layouts=(tass_com.LAYOUT, b_material.LAYOUT, generic.LAYOUT),
    dag_id=INGEST_DAG_ID,
    schedule="0 1 * * *",
    pool=HTTP_POOL,
    listing=history.CategoryNewsList(TASS_COM_SECTION_IDS),
    sitemap_horizon=datetime(2020, 10, 1, tzinfo=UTC),
    items_per_day=150,
)
TASS_RU = Source(
    name="tass.ru",
    language="ru",
    default_base_url="https://tass.ru",
    env_prefix="TASS_RU",
    discovery_methods=("feed", "sitemaps", "content_api"),
    # newswire.discover_ru reads the feed, the sitemaps and, while robots.txt allows it,
    # the content API (its own walk back through the window).
    discover=discover_tass_ru,
    layouts=(tass_ru_next.LAYOUT, tass_ru_2019.LAYOUT, b_material.LAYOUT, generic.LAYOUT),
    dag_id="tass_ru_ingest",
    schedule="30 1 * * *",
    pool="tass_ru_http",
    politeness=Politeness(request_interval=1.5, concurrency=2),
    items_per_day=600,
)

SOURCES: Mapping[str, Source] = {source.name: source for source in (TASS_COM, TASS_RU)}


def get_source(name: str) -> Source:
    try:
        return SOURCES[name]
    except KeyError:
        raise ConfigError(f"unknown source {name!r}; known: {', '.join(SOURCES)}") from None


def source_for(settings: Settings) -> Source:
    return get_source(settings.source)
