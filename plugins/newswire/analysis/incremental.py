"""Which articles a knowledge base change can reach, so re-analysis skips the others.

Every article records the snapshot (knowledge base digest + analyser fingerprint) its
stored analysis was computed with (`article_analysis`), and every snapshot keeps the
parts of the knowledge base the analysis reads (`knowledge_snapshots.knowledge`). The
analysis sees the knowledge base only through three token tries (`matching`): entity
names and blockers, country names (nested), role titles and "former" words; and through
the roles of people (who held an office on a day) and their kind and home country. So
an article analysed with snapshot S finds the same under the current one C unless:

* the analyser differs (code, version constant, language models): every article;
* its text holds every word of a name whose owner differs between S and C (added,
  removed, moved between entities, a blocker), or a name of an entity whose kind,
  country or roles changed, or a title of a role whose holders changed;
* (Russian) its text holds a word whose inflected forms one trie gained or lost;
* it holds mentions or quotes linked to an entity whose kind, country or roles changed.

Words are compared as lower-case substrings (ё as е, looked for both ways), Russian
words by the common prefix of all their forms: a superset of what the matcher can match,
never less.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import psycopg

from newswire.analysis.knowledge import LANGUAGES, KnowledgeBase, load_knowledge
from newswire.analysis.matching import _TOKEN, _case_rule, _norm, expand_alias, russian_forms
from newswire.db import load_sql, one_row

# Bump when the analysis finds something else in the same text for a reason the source
# fingerprint cannot see (it hashes the analysis modules and the language models' versions).
ANALYSER_VERSION = 1
_SOURCES = ("entities.py", "matching.py", "knowledge.py", "unknowns.py", "russian.py", "store.py")
_MODELS = ("pymorphy3", "pymorphy3-dicts-ru", "natasha", "slovnet", "navec", "razdel")
# More words than this to look for and a scan of every text is no cheaper than analysing it.
MAX_WORDS = 400

Spelling = tuple[tuple[str, str], ...]  # (lower-case word, case rule) per word of a name


@cache
def analyser_fingerprint() -> str:
    """A digest of the analysis code and the language models it runs on."""
    h = hashlib.sha256(f"analyser {ANALYSER_VERSION}".encode())
    root = resources.files("newswire.analysis")
    quotes = sorted(p.name for p in root.joinpath("quotes").iterdir() if p.name.endswith(".py"))
    for name in [*_SOURCES, *(f"quotes/{q}" for q in quotes)]:
        h.update(name.encode() + b"\0" + root.joinpath(name).read_bytes())
    for package in _MODELS:
        try:
            h.update(f"{package}={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{package} missing".encode())
    return h.hexdigest()[:24]


def snapshot(kb: KnowledgeBase) -> dict[str, Any]:
    """The parts of the knowledge base the analysis reads, in the order it reads them."""

    def role(r: Any) -> list[str | None]:
        start = r.start.first.isoformat() if r.start else None
        end = r.end.last.isoformat() if r.end else None
        return [r.role, r.of, r.to, start, end]

    return {
        "entities": [
            {
                "key": e.key,
                "kind": e.kind,
                "country": e.country,
                "aliases": {lang: list(e.aliases.get(lang, ())) for lang in LANGUAGES},
                "roles": [role(r) for r in e.roles],
            }
            for e in kb.entities
        ],
        "blockers": {lang: list(kb.blockers[lang]) for lang in LANGUAGES},
        # a list, not an object: jsonb sorts keys, and the first title of a spelling wins
        "role_titles": [
            [r, {lang: list(t[lang]) for lang in LANGUAGES}] for r, t in kb.role_titles.items()
        ],
        "former": {lang: list(kb.former[lang]) for lang in LANGUAGES},
        "regional_roles": sorted(kb.regional_roles),
    }


@cache
def _snapshot_json(digest: str) -> str:
    kb = load_knowledge()
    assert kb.digest == digest
    return json.dumps(snapshot(kb), ensure_ascii=False)


def current_snapshot(conn: psycopg.Connection) -> int:
    """The id of the snapshot of the knowledge base and analyser this process runs."""
    digest, analyser = load_knowledge().digest, analyser_fingerprint()
    query = "SELECT id FROM knowledge_snapshots WHERE digest = %s AND analyser = %s"
    found = conn.execute(query, (digest, analyser)).fetchone()
    if found is None:
        conn.execute(
            "INSERT INTO knowledge_snapshots (digest, analyser, knowledge) VALUES (%s, %s, %s)"
            " ON CONFLICT (digest, analyser) DO NOTHING",
            (digest, analyser, _snapshot_json(digest)),
        )
        found = conn.execute(query, (digest, analyser)).fetchone()
    assert found is not None
    return int(found[0])


@dataclass
class Change:
    """What a re-analysis must look for in the articles analysed with an older snapshot."""

    everything: bool = False
    # language -> names (their words' search patterns): an article holding every pattern
    # of one name may be affected
    names: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    entities: set[str] = field(default_factory=set)  # keys whose linked articles redo

    @property
    def words(self) -> int:
        return sum(len(n) for names in self.names.values() for n in names)

    def terms(self, language: str) -> list[str]:
        """The names of one language as the SQL reads them: words joined by spaces, each
        word its spellings joined by "|" (the texts are only lower-cased: ё stays ё)."""
        # An empty pattern (forms sharing no first letter) is in every text: left out, and
        # a name left with no word matches every article.
        return sorted(
            " ".join("|".join(_yo_spellings(w)) for w in n if w)
            for n in self.names.get(language, ())
        )


def _yo_spellings(word: str) -> list[str]:
    """``word`` with each е also as ё (the matcher reads ё as е); past the fourth е the
    word is cut, which looks for more, never less."""
    cuts = [i for i, c in enumerate(word) if c == "е"]
    if len(cuts) > 4:
        word, cuts = word[: cuts[4]], cuts[:4]
    out = [word]
    for i in cuts:
        out += [w[:i] + "ё" + w[i + 1 :] for w in out]
    return out


def _owners(names: Iterable[tuple[str, str]]) -> tuple[dict[Spelling, str], set[str]]:
    """Each spelling's owner (the first name wins, as in the trie) and the words whose
    forms a Russian trie expands."""
    owners: dict[Spelling, str] = {}
    expanded: set[str] = set()
    for name, owner in names:
        for spelling in expand_alias(name):
            words = _TOKEN.findall(spelling)
            if words:
                owners.setdefault(tuple((_norm(w), _case_rule(w)) for w in words), owner)
                expanded.update(_norm(w) for w in words if not w.isupper())
    return owners, expanded


def _tries(snap: Mapping[str, Any], lang: str) -> dict[str, tuple[dict[Spelling, str], set[str]]]:
    """The three tries of one language, as `matching.matcher` and the title matcher build them."""
    entities = snap["entities"]
    main = [(b, "") for b in snap["blockers"][lang]]
    main += [(a, e["key"]) for e in entities for a in e["aliases"][lang]]
    nested = [(a, e["key"]) for e in entities if e["kind"] == "country" for a in e["aliases"][lang]]
    titles = [(t, r) for r, spec in snap["role_titles"] for t in spec[lang]]
    titles += [(w, "former") for w in snap["former"][lang]]
    return {"main": _owners(main), "nested": _owners(nested), "titles": _owners(titles)}


def _holders(snap: Mapping[str, Any]) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = {}
    for e in snap["entities"]:
        for r in e["roles"]:
            out.setdefault(r[0], []).append([e["key"], *r])
    return out


def _changed_entities(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    """Entities whose kind, home country or roles differ, or that exist in one only."""

    def facts(snap: Mapping[str, Any]) -> dict[str, tuple[Any, ...]]:
        return {e["key"]: (e["kind"], e["country"], e["roles"]) for e in snap["entities"]}

    a, b = facts(old), facts(new)
    return {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


@cache
def pattern(word: str, language: str) -> str:
    """What an article's lower-cased text must contain to hold a form of ``word``."""
    if language != "ru":
        return word
    forms = sorted(russian_forms(word) | {word})
    first, last = forms[0], forms[-1]  # the sorted extremes share what all of them share
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> Change:
    """What changed between two snapshots' knowledge, as names to look for."""
    change = Change(entities=_changed_entities(old, new))
    h_old, h_new = _holders(old), _holders(new)
    roles = {r for r in h_old.keys() | h_new.keys() if h_old.get(r) != h_new.get(r)}
    # A role made regional (or no longer) resolves differently wherever its title occurs.
    roles |= set(old.get("regional_roles", ())) ^ set(new.get("regional_roles", ()))
    for lang in LANGUAGES:
        names: set[tuple[str, ...]] = set()
        t_old, t_new = _tries(old, lang), _tries(new, lang)
        for trie in ("main", "nested", "titles"):
            (o, o_expanded), (n, n_expanded) = t_old[trie], t_new[trie]
            watched = roles if trie == "titles" else change.entities
            kept: set[str] = set()  # words of the names whose owner stays
            for spelling in o.keys() | n.keys():
                was, now = o.get(spelling), n.get(spelling)
                if was != now or was in watched or now in watched:
                    names.add(tuple(pattern(w, lang) for w, _ in spelling))
                else:
                    kept.update(w for w, _ in spelling)
            if lang == "ru":
                # A word whose forms the trie gained or lost: a kept name written in
                # capitals with it ("ПУТИН") now matches (or no longer) its declined forms.
                names.update((pattern(w, lang),) for w in (o_expanded ^ n_expanded) & kept)
        if names:
            change.names[lang] = names
    change.everything = change.words > MAX_WORDS
    return change


def plan_targets(conn: psycopg.Connection, job_id: int, current: int, discover: bool) -> int:
    """List in `reanalyse_targets` the articles the change since their snapshot may affect,
    and move the others to the current snapshot (their analysis stays what it is).
    Returns the number of targets. Runs in the caller's transaction."""
    conn.execute(
        load_sql("analysis/reanalyse_unrecorded.sql"), {"job_id": job_id, "discover": discover}
    )
    stale = [
        int(r[0])
        for r in conn.execute(
            "SELECT DISTINCT s FROM article_analysis, unnest(ARRAY[snapshot_id,"
            " CASE WHEN %s THEN unknown_snapshot_id END]) s WHERE s IS NOT NULL AND s <> %s",
            (discover, current),
        )
    ]
    snap_query = "SELECT knowledge, analyser FROM knowledge_snapshots WHERE id = %s"
    new_snap, analyser = one_row(conn, snap_query, (current,))
    (folds,) = one_row(conn, "SELECT lower('ПЁТР') = 'пётр'")
    for old_id in stale:
        old_snap, old_analyser = one_row(conn, snap_query, (old_id,))
        change = diff(old_snap, new_snap) if old_analyser == analyser else Change(everything=True)
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM entities WHERE key = ANY(%s)", (sorted(change.entities),)
            )
        ]
        if change.everything or not folds:  # no text to read: every article of the snapshot
            conn.execute(
                "INSERT INTO reanalyse_targets (job_id, article_id) SELECT %s, article_id"
                " FROM article_analysis WHERE snapshot_id = %s OR (%s AND unknown_snapshot_id"
                " = %s) ON CONFLICT DO NOTHING",
                (job_id, old_id, discover, old_id),
            )
            continue
        conn.execute(
            load_sql("analysis/reanalyse_affected.sql"),
            {
                "job_id": job_id,
                "old": old_id,
                "discover": discover,
                "everything": False,
                "en": change.terms("en"),
                "ru": change.terms("ru"),
                "entities": ids,
            },
        )
    conn.execute(
        load_sql("analysis/reanalyse_advance.sql"),
        {"job_id": job_id, "current": current, "stale": stale, "discover": discover},
    )
    (targets,) = one_row(
        conn, "SELECT count(*) FROM reanalyse_targets WHERE job_id = %s", (job_id,)
    )
    return int(targets)
