"""Build the committed schema references the migration-replay test compares against.

* tests/data/schema_catalogue.json: the catalogue (devtools/catalogue.py) of a new
  database after every migration in sql/migrations/, with the server's major version.
  Rebuild it only when a *new* migration is added: a difference that appears without one
  means an applied migration was edited.
* tests/data/views_before_0006/: the analyst view files that migration 0006 replaced
  (sql/views/ as of commit 12c5f8d, read from git history), so the test can check that
  0006's frozen definitions create exactly what those files created.

Run: PYTHONPATH=plugins python scripts/build_schema_catalogue.py POSTGRES_ADMIN_URL
(a server where the URL's user may create and drop databases).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools.catalogue import replay  # noqa: E402

MIGRATIONS = ROOT / "sql" / "migrations"
DATA = ROOT / "tests" / "data"
REFERENCE = DATA / "schema_catalogue.json"
OLD_VIEWS = DATA / "views_before_0006"
VIEWS_COMMIT = "12c5f8d"  # the last commit with sql/views/ in it


def write_old_views() -> None:
    """Copy sql/views/*.sql as they were at VIEWS_COMMIT out of git history."""
    listing = subprocess.run(
        ["git", "ls-tree", "--name-only", VIEWS_COMMIT, "sql/views/"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()
    OLD_VIEWS.mkdir(parents=True, exist_ok=True)
    for name in listing:
        text = subprocess.run(
            ["git", "show", f"{VIEWS_COMMIT}:{name}"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
        (OLD_VIEWS / Path(name).name).write_text(text, "utf-8")
    print(f"{len(listing)} view files of {VIEWS_COMMIT} -> {OLD_VIEWS.relative_to(ROOT)}")


def write_reference(admin_url: str) -> None:
    dump, major = replay(admin_url, sorted(MIGRATIONS.glob("*.sql")))
    REFERENCE.write_text(
        json.dumps({"server_major": major, "catalogue": dump}, indent=1, ensure_ascii=False)
        + "\n",
        "utf-8",
    )
    objects = sum(len(section) for section in dump.values())
    print(f"{objects} catalogue entries (PostgreSQL {major}) -> {REFERENCE.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/build_schema_catalogue.py POSTGRES_ADMIN_URL")
    write_old_views()
    write_reference(sys.argv[1])
