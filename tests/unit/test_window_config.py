"""Windows and settings: the two inputs every run starts from."""

from datetime import UTC, datetime

import pytest
from newswire.config import ConfigError, Settings
from newswire.models import Window, WindowError


def test_dates_are_utc_midnights_and_until_is_exclusive() -> None:
    window = Window.parse("2024-12-26", "2024-12-27")
    assert window.start == datetime(2024, 12, 26, tzinfo=UTC)
    assert window.end == datetime(2024, 12, 27, tzinfo=UTC)
    assert window.contains(datetime(2024, 12, 26, 23, 59, 59, tzinfo=UTC))
    assert not window.contains(datetime(2024, 12, 27, tzinfo=UTC))
    assert not window.contains(None)


def test_offsets_are_converted_to_utc() -> None:
    window = Window.parse("2024-12-26T03:00:00+03:00", "2024-12-26T12:00:00Z")
    assert window.start == datetime(2024, 12, 26, 0, 0, tzinfo=UTC)
    assert window.end == datetime(2024, 12, 26, 12, 0, tzinfo=UTC)


def test_until_defaults_to_one_day() -> None:
    assert Window.parse("2025-01-31", None).end == datetime(2025, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("since", "until"), [("2024-12-27", "2024-12-26"), ("2024-12-26", "2024-12-26"), ("soon", None)]
)
def test_bad_windows_are_refused_with_a_reason(since: str, until: str | None) -> None:
    with pytest.raises(WindowError):
        Window.parse(since, until)


def test_nightly_window_is_the_previous_utc_day() -> None:
    window = Window.nightly(datetime(2026, 3, 5, 1, 0, tzinfo=UTC))
    assert (window.start, window.end) == (
        datetime(2026, 3, 4, tzinfo=UTC),
        datetime(2026, 3, 5, tzinfo=UTC),
    )


def test_settings_defaults_are_polite() -> None:
    settings = Settings.from_env({})
    assert settings.base_url == "https://tass.com"
    assert settings.request_interval == 1.0
    assert settings.concurrency == 2
    assert settings.db_url is None
    assert "+http" in settings.user_agent  # names a contact URL


def test_settings_read_the_environment() -> None:
    settings = Settings.from_env(
        {
            "TASS_BASE_URL": "http://127.0.0.1:8089/",
            "NEWS_DB_URL": "postgresql://u@h/db",
            "TASS_REQUEST_INTERVAL": "0",
            "TASS_CONCURRENCY": "8",
        }
    )
    assert settings.base_url == "http://127.0.0.1:8089"
    assert settings.host == "127.0.0.1:8089"
    assert settings.db_url == "postgresql://u@h/db"
    assert (settings.request_interval, settings.concurrency) == (0.0, 8)


@pytest.mark.parametrize(
    "env",
    [
        {"TASS_BASE_URL": "tass.com"},
        {"TASS_CONCURRENCY": "0"},
        {"TASS_REQUEST_INTERVAL": "-1"},
        {"TASS_REQUEST_INTERVAL": "fast"},
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match=next(iter(env))):
        Settings.from_env(env)


def test_the_real_sites_are_refused_with_the_placeholder_contact() -> None:
    from newswire.config import ConfigError, Settings

    for base in ("https://tass.com", "https://www.tass.com", "https://tass.ru"):
        settings = Settings.from_env({"TASS_BASE_URL": base, "TASS_RU_BASE_URL": base})
        with pytest.raises(ConfigError, match="TASS_USER_AGENT"):
            settings.require_contact()
    own = "newswire/0.1 (research archive; +mailto:desk@university.example)"
    Settings.from_env({"TASS_USER_AGENT": own}).require_contact()  # a real contact: fine
    Settings.from_env({"TASS_BASE_URL": "http://127.0.0.1:8089"}).require_contact()


def test_a_run_against_the_real_site_is_refused_before_it_starts() -> None:
    from newswire import pipeline

    window = Window.parse("2024-12-26", "2024-12-27")
    with pytest.raises(ConfigError, match="placeholder contact"):  # no database is touched
        pipeline.begin("postgresql://nobody@127.0.0.1:1/none", Settings.from_env({}), window)
