"""The source registry: per-source settings, lookups, merging and the tass.ru adapters."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from newswire.config import ConfigError, Settings
from newswire.models import ArticleRef, Window
from newswire.sources import (
    SOURCES,
    TASS_COM,
    TASS_RU,
    DiscoveryContext,
    LazyDiscoverer,
    get_source,
    listing_window,
    merge_refs,
    source_for,
)


def test_each_source_reads_its_own_base_url_and_politeness() -> None:
    env = {
        "TASS_BASE_URL": "http://127.0.0.1:8089",
        "TASS_RU_BASE_URL": "http://127.0.0.1:8090/",
        "TASS_REQUEST_INTERVAL": "0.5",
        "TASS_RU_REQUEST_INTERVAL": "3",
    }
    com, ru = TASS_COM.settings(env), TASS_RU.settings(env)
    assert (com.base_url, com.source, com.request_interval) == (
        "http://127.0.0.1:8089",
        "tass.com",
        0.5,
    )
    assert (ru.base_url, ru.source, ru.request_interval) == (
        "http://127.0.0.1:8090",
        "tass.ru",
        3.0,
    )
    defaults = TASS_RU.settings({})
    assert (defaults.base_url, defaults.request_interval) == ("https://tass.ru", 1.5)
    assert TASS_COM.settings({}) == Settings.from_env({})  # tass.com as before the registry
    with pytest.raises(ConfigError, match="TASS_RU_BASE_URL"):
        TASS_RU.settings({"TASS_RU_BASE_URL": "ftp://tass.ru"})


def test_registry_entries_are_complete_and_distinct() -> None:
    assert set(SOURCES) == {"tass.com", "tass.ru"}
    for field in ("dag_id", "pool", "env_prefix", "default_base_url"):
        values = [getattr(s, field) for s in SOURCES.values()]
        assert len(set(values)) == len(values), field
    assert TASS_COM.dag_id == "tass_ingest" and TASS_COM.pool == "tass_http"
    assert (TASS_COM.language, TASS_RU.language) == ("en", "ru")
    assert get_source("tass.ru") is TASS_RU
    assert source_for(Settings.from_env({})) is TASS_COM
    with pytest.raises(ConfigError, match=r"unknown source 'ria\.ru'"):
        get_source("ria.ru")


def test_a_missing_discovery_module_fails_with_its_name() -> None:
    missing = LazyDiscoverer("newswire.no_such_module:discover")
    context = DiscoveryContext(Settings.from_env({}), Window.parse("2026-01-01", None), None, "")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"newswire\.no_such_module:discover"):
        asyncio.run(missing(context))


def test_listing_window_is_the_part_older_than_the_sitemaps() -> None:
    horizon = datetime(2020, 10, 1, tzinfo=UTC)
    assert listing_window(Window.parse("2021-01-01", "2021-02-01"), horizon) is None
    assert listing_window(Window.parse("2017-09-12", "2017-09-13"), horizon) == Window.parse(
        "2017-09-12", "2017-09-13"
    )
    assert listing_window(Window.parse("2020-09-01", "2020-11-01"), horizon) == Window.parse(
        "2020-09-01", "2020-10-01"
    )
    assert listing_window(Window.parse("2017-01-01", "2017-02-01"), None) is None


def test_merge_refs_names_every_way_an_article_was_found() -> None:
    when = datetime(2020, 9, 30, tzinfo=UTC)
    sitemap = ArticleRef("tass.com", 1, "u", "world", None, when, "sitemap")
    listing = ArticleRef("tass.com", 1, "u", "world", when, None, "listing")
    other = ArticleRef("tass.com", 2, "v", "world", when, None, "listing")
    merged = merge_refs([sitemap], [listing, other])
    assert [(r.external_id, r.found_in, r.published_at) for r in merged] == [
        (1, "sitemap+listing", when),
        (2, "listing", when),
    ]
