"""Create the analyst views from the files in sql/views/ (the one place they are defined).

Each file drops and re-creates what it defines, so a later migration that changes a view
edits the file and re-runs this step (step_views()) in a new numbered migration.
"""

from pathlib import Path

from yoyo import step

VIEWS_DIR = Path(__file__).resolve().parents[1] / "views"

__depends__ = {"0005_search"}


def apply_views(conn) -> None:
    cursor = conn.cursor()
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        cursor.execute(path.read_text(encoding="utf-8"))


steps = [step(apply_views)]
