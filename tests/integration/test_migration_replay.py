"""The migrations replayed on an empty database give the schema they have always given.

A committed reference (tests/data/schema_catalogue.json, built by
scripts/build_schema_catalogue.py) holds the catalogue of a fresh replay; a later edit
of an applied migration changes the replay and fails here. A new migration changes it
too: rebuild the reference in the same commit.

Migration 0006 froze the analyst views that sql/views/ used to create; the files it
replaced are kept in tests/data/views_before_0006/, and both must build the same schema.
"""

from __future__ import annotations

import json
from pathlib import Path

from newswire.migrate import apply_migrations

from devtools.catalogue import Catalogue, catalogue, replay, server_major
from devtools.scratch import scratch_database

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "sql" / "migrations"
DATA = ROOT / "tests" / "data"
REFERENCE = DATA / "schema_catalogue.json"
OLD_VIEWS = DATA / "views_before_0006"
# Deparsed text (view and function bodies) is the server's rendering, which a major
# version may change; other sections are compared whatever the version.
DEPARSED = ("views", "functions")


def _differences(want: Catalogue, got: Catalogue, sections: set[str]) -> dict[str, object]:
    """Per section: entries missing, extra, or with another definition."""
    out: dict[str, object] = {}
    for section in sorted(set(want) | set(got)):
        a, b = want.get(section, {}), got.get(section, {})
        if section not in sections:
            a, b = dict.fromkeys(a, ""), dict.fromkeys(b, "")
        changed = {k: (a[k], b[k]) for k in a.keys() & b.keys() if a[k] != b[k]}
        if a.keys() - b.keys() or b.keys() - a.keys() or changed:
            out[section] = {
                "missing": sorted(a.keys() - b.keys()),
                "extra": sorted(b.keys() - a.keys()),
                "changed": changed,
            }
    return out


def test_a_fresh_replay_matches_the_committed_catalogue(admin_url: str) -> None:
    reference = json.loads(REFERENCE.read_text("utf-8"))
    with scratch_database(admin_url, "newswire_catalogue") as url:
        apply_migrations(url)  # the way every warehouse is built
        got, major = catalogue(url), server_major(url)
    sections = set(got)
    if major != reference["server_major"]:
        sections -= set(DEPARSED)  # names still compared, definitions not
    assert _differences(reference["catalogue"], got, sections) == {}, (
        "the replayed schema differs from tests/data/schema_catalogue.json: an applied "
        "migration was edited, or a new one needs the reference rebuilt "
        "(scripts/build_schema_catalogue.py)"
    )
    # the reference is no empty shell
    assert {"articles", "dprk_articles", "ingest_runs"} <= set(reference["catalogue"]["relations"])
    assert len(reference["catalogue"]["columns"]) > 100


def test_migration_0006_builds_what_the_old_view_files_built(admin_url: str) -> None:
    before = sorted(p for p in MIGRATIONS.glob("*.sql") if p.name < "0006")
    old_files = sorted(OLD_VIEWS.glob("*.sql"))
    assert len(old_files) == 8
    old, _ = replay(admin_url, [*before, *old_files])
    frozen, _ = replay(admin_url, [*before, MIGRATIONS / "0006_views.sql"])
    assert len(old["views"]) == 7
    assert _differences(old, frozen, set(old)) == {}


def test_an_edited_old_migration_is_caught(admin_url: str, tmp_path: Path) -> None:
    """Editing an applied migration (here: one more column in 0001) shows in the replay."""
    files = sorted(MIGRATIONS.glob("*.sql"))
    edited = tmp_path / files[0].name
    edited.write_text(
        files[0].read_text("utf-8") + "\nALTER TABLE articles ADD COLUMN note text;\n", "utf-8"
    )
    got, _ = replay(admin_url, [edited, *files[1:]])
    reference = json.loads(REFERENCE.read_text("utf-8"))["catalogue"]
    found = _differences(reference, got, set(reference))
    assert found["columns"] == {"missing": [], "extra": ["articles.note"], "changed": {}}
