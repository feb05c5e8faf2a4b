"""Write what the analysis finds (entity mentions, quotes) and the search documents for
freshly loaded articles, and refresh the materialised analyst views.

Writes run inside the load transaction, so an article's mentions and quotes always
describe its current text: when the text changes they are replaced, when it does not they
stay. The text analysis itself is pure (`analyse_texts`) and may run in other processes.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat

import psycopg

from newswire.analysis.entities import LANGUAGES, article_mentions, unknown_persons
from newswire.analysis.incremental import current_snapshot
from newswire.analysis.knowledge import KnowledgeBase, load_knowledge
from newswire.analysis.quotes import article_quotes
from newswire.db import connect, load_sql
from newswire.timing import stage_timer

log = logging.getLogger(__name__)
BATCH = 500


def sync_entities(conn: psycopg.Connection) -> dict[str, int]:
    """Bring the entity tables in line with the knowledge base; returns key -> entities.id.

    Entities are upserted (a key once used keeps its id, so old mentions stay valid); their
    names and roles are rewritten. All of it is skipped when `knowledge_sync` already holds
    this knowledge base's digest, so a nightly load pays one SELECT.
    """
    kb = load_knowledge()
    synced = conn.execute("SELECT digest FROM knowledge_sync").fetchone()
    if synced is None or synced[0] != kb.digest:
        _write_knowledge(conn, kb)
    return dict(conn.execute("SELECT key, id FROM entities").fetchall())


def _write_knowledge(conn: psycopg.Connection, kb: KnowledgeBase) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO entities (key, name, kind, country, name_ru, iso_code, note)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
            " country = EXCLUDED.country, name_ru = EXCLUDED.name_ru,"
            " iso_code = EXCLUDED.iso_code, note = EXCLUDED.note",
            [
                (e.key, e.name, e.kind, e.country, e.names.get("ru"), e.iso_code, e.note)
                for e in kb.entities
            ],
        )
    ids: dict[str, int] = dict(conn.execute("SELECT key, id FROM entities").fetchall())
    conn.execute("DELETE FROM entity_names")
    conn.execute("DELETE FROM entity_roles")
    with conn.cursor() as cur:
        with cur.copy("COPY entity_names (entity_id, language, name) FROM STDIN") as copy:
            for e in kb.entities:
                for language, names in e.aliases.items():
                    for name in names:
                        copy.write_row((ids[e.key], language, name))
        with cur.copy(
            "COPY entity_roles (entity_id, role, of_country, to_country, valid_from,"
            " from_precision, valid_to, to_precision, note) FROM STDIN"
        ) as copy:
            for e in kb.entities:
                for r in e.roles:
                    copy.write_row(
                        (
                            ids[e.key],
                            r.role,
                            r.of,
                            r.to,
                            r.start.first if r.start else None,
                            r.start.precision if r.start else None,
                            r.end.last if r.end else None,
                            r.end.precision if r.end else None,
                            r.note,
                        )
                    )
    conn.execute(
        "INSERT INTO knowledge_sync (digest, version) VALUES (%s, %s)"
        " ON CONFLICT (singleton) DO UPDATE SET digest = EXCLUDED.digest,"
        " version = EXCLUDED.version, synced_at = now()",
        (kb.digest, kb.version),
    )
    log.info("knowledge base %s synced: %d entities", kb.version, len(kb.entities))


def _unresolved_rows(article_id: int, texts: Sequence[str], language: str) -> list[UnknownRow]:
    surfaces: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for person in unknown_persons(texts, language):
        surfaces.setdefault(person.normalised, person.surface)
        counts[person.normalised] += 1
    return [(article_id, name, language, surfaces[name], n) for name, n in counts.items()]


# (id, headline, lead, body, language, published_at): what the analysis reads of an article.
ArticleText = tuple[int, str, str, str, str, datetime | None]
# The same without the id: everything the analysis of an article depends on.
TextKey = tuple[str, str, str, str, datetime | None]
# Rows keyed by entity *key*, not id: computing them needs no database, so worker
# processes can do it; the writer maps keys to ids.
MentionRow = tuple[int, str, int, bool, bool]
QuoteRow = tuple[int, int, int, str | None, str | None, str | None, str | None, str]
UnknownRow = tuple[int, str, str, str, int]


@dataclass
class AnalysisRows:
    """What the analysis found in a set of articles, ready to COPY."""

    mentions: list[MentionRow] = field(default_factory=list)
    quotes: list[QuoteRow] = field(default_factory=list)
    unknown: list[UnknownRow] = field(default_factory=list)

    def extend(self, other: AnalysisRows) -> None:
        self.mentions += other.mentions
        self.quotes += other.quotes
        self.unknown += other.unknown


def analyse_texts(articles: Sequence[ArticleText], discover: bool = True) -> AnalysisRows:
    """Mentions, quotes and unknown people of the articles: pure, so it runs in any
    process, and per article, so splitting the articles never changes the rows."""
    out = AnalysisRows()
    for article_id, headline, lead, body, language, published_at in articles:
        for m in article_mentions(headline, lead, body, language).values():
            out.mentions.append((article_id, m.key, m.count, m.in_headline, m.in_lead))
        published_on = published_at.date() if published_at is not None else None
        for position, q in enumerate(article_quotes(body, language, published_on), 1):
            out.quotes.append(
                (
                    article_id,
                    position,
                    q.paragraph,
                    q.speaker,
                    q.speaker_name,
                    q.speaker_role,
                    q.entity_key,
                    q.text,
                )
            )
        if discover and language in LANGUAGES:
            out.unknown += _unresolved_rows(
                article_id, [headline, lead, *body.split("\n\n")], language
            )
    return out


def write_analysis(
    conn: psycopg.Connection,
    article_ids: Sequence[int],
    rows: AnalysisRows,
    ids: dict[str, int],
    *,
    discover: bool = True,
    snapshot_id: int | None = None,
) -> None:
    """Replace the stored mentions and quotes (and unknown people when `discover`) of the
    articles with `rows`, in the caller's transaction: readers see all of it or none.
    With `snapshot_id`, record that the articles were analysed with that knowledge base."""
    batch = list(article_ids)
    if snapshot_id is not None:
        conn.execute(
            load_sql("analysis/record_analysis.sql"),
            {"ids": batch, "snapshot_id": snapshot_id, "discover": discover},
        )
    conn.execute("DELETE FROM article_mentions WHERE article_id = ANY(%s)", (batch,))
    conn.execute("DELETE FROM quotes WHERE article_id = ANY(%s)", (batch,))
    if discover:
        conn.execute("DELETE FROM unresolved_mentions WHERE article_id = ANY(%s)", (batch,))
    with conn.cursor() as cur:
        with cur.copy(
            "COPY article_mentions (article_id, entity_id, mention_count, in_headline,"
            " in_lead) FROM STDIN"
        ) as copy:
            for a, key, count, in_headline, in_lead in rows.mentions:
                copy.write_row((a, ids[key], count, in_headline, in_lead))
        with cur.copy(
            "COPY quotes (article_id, position, paragraph, speaker, speaker_name,"
            " speaker_role, speaker_entity_id, text) FROM STDIN"
        ) as copy:
            for *head, key, text in rows.quotes:
                copy.write_row((*head, ids.get(key) if key else None, text))
        if discover:
            with cur.copy(
                "COPY unresolved_mentions (article_id, normalised, language, surface,"
                " mention_count) FROM STDIN"
            ) as copy:
                for unknown_row in rows.unknown:
                    copy.write_row(unknown_row)


def read_texts(conn: psycopg.Connection, article_ids: Sequence[int]) -> list[ArticleText]:
    """The stored text of the articles, as the analysis reads it (in this transaction)."""
    return conn.execute(
        "SELECT id, headline, lead, body, language, published_at FROM articles"
        " WHERE id = ANY(%s) ORDER BY id",
        (list(article_ids),),
    ).fetchall()


def _split(items: Sequence[ArticleText], parts: int) -> list[Sequence[ArticleText]]:
    size = max(1, -(-len(items) // parts))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _compute(
    texts: Sequence[ArticleText], discover: bool, pool: Executor | None, workers: int
) -> AnalysisRows:
    if pool is None or workers <= 1 or len(texts) < 2:
        return analyse_texts(texts, discover)
    rows = AnalysisRows()
    for part in pool.map(analyse_texts, _split(texts, workers), repeat(discover)):
        rows.extend(part)
    return rows


def precompute(
    texts: Sequence[TextKey],
    *,
    discover: bool = True,
    pool: Executor | None = None,
    workers: int = 1,
) -> dict[TextKey, AnalysisRows]:
    """The analysis of texts not yet stored (e.g. a run's staged articles), keyed by the
    text itself: a load computes it before its transaction and `analyse_articles` uses
    it for every article whose stored text is exactly that, so the result is the same."""
    unique = list(dict.fromkeys(texts))
    rows = _compute([(i, *key) for i, key in enumerate(unique)], discover, pool, workers)
    out = {key: AnalysisRows() for key in unique}
    for m in rows.mentions:
        out[unique[m[0]]].mentions.append(m)
    for q in rows.quotes:
        out[unique[q[0]]].quotes.append(q)
    for u in rows.unknown:
        out[unique[u[0]]].unknown.append(u)
    return out


def _rekeyed(rows: AnalysisRows, article_id: int) -> AnalysisRows:
    return AnalysisRows(
        [(article_id, *m[1:]) for m in rows.mentions],
        [(article_id, *q[1:]) for q in rows.quotes],
        [(article_id, *u[1:]) for u in rows.unknown],
    )


def analyse_articles(
    conn: psycopg.Connection,
    article_ids: Sequence[int],
    *,
    discover: bool = True,
    pool: Executor | None = None,
    workers: int = 1,
    known: dict[TextKey, AnalysisRows] | None = None,
    known_ids: dict[int, AnalysisRows] | None = None,
) -> tuple[int, int]:
    """Recompute mentions, quotes and unknown people of the given articles.

    Returns (mentions, quotes). Finding unknown people costs most on Russian text (the
    tagger, ~20 ms an article against ~1 ms for matching): `discover=False` skips it and
    leaves the articles' stored unknown people as they are. With a process `pool` the
    text analysis of each batch is spread over `workers` processes; `known` (from
    `precompute`, same `discover`) serves the articles whose stored text it holds;
    `known_ids` the articles whose stored text the caller knows is the one analysed (the
    load's merge just wrote it), whose text is then not read back. The rows are written
    here, in the caller's transaction, the same whichever way they came.
    """
    if not article_ids:
        return 0, 0
    ids = sync_entities(conn)
    snapshot_id = current_snapshot(conn)
    known, known_ids = known or {}, known_ids or {}
    n_mentions = n_quotes = 0
    step = BATCH * max(1, workers)
    for start in range(0, len(article_ids), step):
        batch = list(article_ids[start : start + step])
        unread = [i for i in batch if i not in known_ids]
        texts = read_texts(conn, unread) if unread else []
        rows = _compute([t for t in texts if t[1:] not in known], discover, pool, workers)
        for t in texts:
            if t[1:] in known:
                rows.extend(_rekeyed(known[t[1:]], t[0]))
        for i in batch:
            if i in known_ids:
                rows.extend(_rekeyed(known_ids[i], i))
        write_analysis(conn, batch, rows, ids, discover=discover, snapshot_id=snapshot_id)
        n_mentions += len(rows.mentions)
        n_quotes += len(rows.quotes)
    return n_mentions, n_quotes


def unknown_people(conn: psycopg.Connection, limit: int = 50) -> list[tuple[str, str, int, int]]:
    """The people articles name most whom the knowledge base does not know:
    (name, language, articles, mentions), most articles first."""
    return conn.execute(load_sql("analysis/unknown_people.sql"), {"limit": limit}).fetchall()


def index_search(conn: psycopg.Connection, run_id: int, *, parts: int = 1, part: int = 0) -> int:
    """Write the search documents of a run's merged articles that lack a current one.

    Call after the merge, before the run's staged rows are deleted. A large run can be
    shared by `parts` connections, each taking the articles with id mod parts = part.
    Returns the number of documents written.
    """
    if not 0 <= part < parts:
        raise ValueError(f"part {part} is not one of {parts} parts")
    return conn.execute(
        load_sql("pipeline/index_article_search.sql"),
        {"run_id": run_id, "parts": parts, "part": part},
    ).fetchone()[0]


def reanalyse_all(db_url: str, *, discover: bool = True) -> tuple[int, int]:
    """Recompute mentions and quotes of every article (after the knowledge base changed),
    then refresh the views: the batched, resumable job of `analysis.reanalyse`."""
    from newswire.analysis.reanalyse import reanalyse

    summary = reanalyse(db_url, discover=discover, everything=True)
    return summary.mentions, summary.quotes


@stage_timer("refresh_views")
def refresh_views(db_url: str) -> None:
    """Recompute the materialised analyst views: the one refresh path of every write.

    Called after each load (the DAG's refresh task, `ingest_window`, `reparse`) and by
    `reanalyse_all`. The database function refreshes every materialised view in
    dependency order; populated ones CONCURRENTLY, so analysts reading them are not blocked.
    """
    with connect(db_url) as conn:
        conn.execute("SELECT refresh_analyst_views()")
    log.info("analyst views refreshed")
