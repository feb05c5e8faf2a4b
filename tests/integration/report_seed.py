"""A small warehouse with a known shape, written straight into the tables.

Eight ISO weeks from Monday 2024-01-01 (Moscow days):

| week of    | articles | DPRK | DPRK and Russia |
| 2024-01-01 | 5        | 1    | 1               |
| 2024-01-08 | 4        | 1    | 0               |
| 2024-01-15 | 3        | 0    | 0               |  a zero week
| 2024-01-22 | 0        | 0    | 0               |  a gap
| 2024-01-29 | 0        | 0    | 0               |  a gap
| 2024-02-05 | 4        | 1    | 0               |
| 2024-02-12 | 10       | 8    | 6               |  a spike: trailing level 0.75
| 2024-02-19 | 3        | 1    | 1               |

One Russian-language article (week of 2024-02-12, about the DPRK and Russia) and one
article from a second source; one article revised once.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import psycopg
from newswire.analysis.store import analyse_articles, refresh_views

FIRST_MONDAY = date(2024, 1, 1)
# week index -> (articles, dprk, dprk and russia)
WEEKS = {0: (5, 1, 1), 1: (4, 1, 0), 2: (3, 0, 0), 5: (4, 1, 0), 6: (10, 8, 6), 7: (3, 1, 1)}
REVISED_ID = 1


def _article(n: int, week: int, kind: str) -> dict[str, object]:
    day = FIRST_MONDAY + timedelta(weeks=week, days=n % 5)
    published = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)  # 12:00 Moscow
    if kind == "dprk_russia":
        headline = f"North Korea and Russia sign treaty {n}"
        body = (
            f"SEOUL, January 1. /TASS/. North Korea and Russia agreed on step {n}. "
            '"Our ties with Pyongyang are developing steadily," Russian Foreign Minister '
            "Sergey Lavrov said."
        )
    elif kind == "dprk":
        headline = f"Pyongyang launches satellite {n}"
        body = f"SEOUL, January 1. /TASS/. North Korea launched satellite number {n}."
    else:
        headline = f"Brazil harvest report {n}"
        body = f"BRASILIA, January 1. /TASS/. Brazil expects a large harvest, report {n} says."
    return {
        "source": "tass.com",
        "external_id": 1000 + n,
        "url": f"https://tass.com/world/{1000 + n}",
        "headline": headline,
        "body": body,
        "language": "en",
        "published_at": published,
    }


def seed(db_url: str) -> list[dict[str, object]]:
    """Write the articles and the revision, analyse them, refresh the views."""
    rows: list[dict[str, object]] = []
    n = 0
    for week, (total, dprk, both) in WEEKS.items():
        kinds = ["dprk_russia"] * both + ["dprk"] * (dprk - both) + ["other"] * (total - dprk)
        for kind in kinds:
            rows.append(_article(n, week, kind))
            n += 1
    # a Russian-language DPRK–Russia article replaces one DPRK-only article of the spike week
    spike_week = [r for r in rows if str(r["headline"]).startswith("Pyongyang launches")]
    russian = next(r for r in spike_week if r["published_at"] >= datetime(2024, 2, 12, tzinfo=UTC))
    russian.update(
        headline="КНДР и Россия подписали договор",
        body="СЕУЛ, 12 февраля. /ТАСС/. КНДР и Россия подписали договор.",
        language="ru",
        source="tass.ru",
        url="https://tass.ru/politika/1",
    )
    with psycopg.connect(db_url) as conn:
        ids = []
        for r in rows:
            digest = hashlib.sha256(f"{r['headline']}{r['body']}".encode()).hexdigest()
            ids.append(
                conn.execute(
                    "INSERT INTO articles (source, external_id, url, section, headline, lead,"
                    " published_at, body, language, content_hash, extraction_method,"
                    " parser_version, first_seen_at, last_fetched_at)"
                    " VALUES (%(source)s, %(external_id)s, %(url)s, 'world', %(headline)s, '',"
                    " %(published_at)s, %(body)s, %(language)s, %(hash)s, 'seed', 'seed',"
                    " %(published_at)s, %(published_at)s) RETURNING id",
                    {**r, "hash": digest},
                ).fetchone()[0]  # type: ignore[index]
            )
        revised = ids[0]
        first = rows[0]
        for revision, headline, body, seen in (
            (1, "North Korea and Russia discuss treaty 0", "SEOUL. North Korea agreed.", 1),
            (2, str(first["headline"]), str(first["body"]), 2),
        ):
            conn.execute(
                "INSERT INTO article_revisions (article_id, revision, content_hash, headline,"
                " lead, body, seen_at) VALUES (%s, %s, %s, %s, '', %s, %s)",
                (
                    revised,
                    revision,
                    f"h{revision}",
                    headline,
                    body,
                    datetime(2024, 1, seen, tzinfo=UTC) + timedelta(hours=12),
                ),
            )
        analyse_articles(conn, ids)
    refresh_views(db_url)
    return rows
