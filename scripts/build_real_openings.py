"""Build tests/data/real_openings.json.gz: the opening of every real TASS text we hold.

The dateline reader is tested against all of them, so this file must carry every
opening of the real-text files beside the repository (`../shared/data/tass_real/`), not a
sample. An opening is the start of an article's body, where a dateline would be:

* tass.com index items: the stored 60 characters of the body (`s`), as they are;
* full or excerpted texts: the first paragraph, cut to OPENING_CHARS characters (a
  dateline is never longer; the cut keeps the file small);
* dateline_examples.json: the example string itself.

Records are [source file, id or URL, language, opening]; exact repeats of the same
record are kept once. Nothing here decides what the dateline is.

Run: python scripts/build_real_openings.py
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "tass_real"
OUT = ROOT / "tests" / "data" / "real_openings.json.gz"
OPENING_CHARS = 200

Record = tuple[str, str, str, str]


def _load(name: str) -> Any:
    return json.loads((REAL / name).read_text(encoding="utf-8"))


def _first_paragraph(text: str) -> str:
    """The first non-empty line: these dumps separate paragraphs with line breaks."""
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:OPENING_CHARS]
    return ""


def _index() -> Iterator[Record]:
    for name in ("tass_com_index_2025.json", "tass_com_index_2026.json"):
        for item in _load(name):
            yield name, item["u"], "en", item["s"]


def _politics() -> Iterator[Record]:
    # `content` is the lead (repeated from `description`), then the body paragraphs.
    name = "tass_com_politics_2024-12-26_full20.json"
    for item in _load(name):
        content = item["content"]
        body = content[1:] if content and content[0] == item["description"] else content
        yield name, item["link"], "en", body[0][:OPENING_CHARS]


def _dprk_excerpts() -> Iterator[Record]:
    # Page text with its furniture (menu, section, time, lead) before the body. The body
    # is the first paragraph naming the agency; the lead and furniture never do.
    name = "tass_com_dprk_2017-2018_text_excerpts.json"
    for item in _load(name):
        paragraphs = [p.strip() for p in item["excerpt"].split("\n\n") if p.strip()]
        body = next(p for p in paragraphs if "/TASS/" in p)
        yield name, item["url"], "en", body[:OPENING_CHARS]


def _ru() -> Iterator[Record]:
    name = "tass_ru_2020-03-30_first3000.json"
    for item in _load(name):
        yield name, item["url"], "ru", _first_paragraph(item["text_first_3000_chars"])
    name = "tass_ru_samples_2014-2019.json"
    for item in _load(name):
        yield name, item["url"], "ru", _first_paragraph(item["text"])
    name = "tass_ru_dprk_3.json"
    for item in _load(name):
        yield name, item["url"] or item["id"], "ru", _first_paragraph(item["text"])


def _examples() -> Iterator[Record]:
    name = "dateline_examples.json"
    for number, item in enumerate(_load(name)):
        yield name, f"example-{number}", item["lang"], item["text"]


def build() -> list[Record]:
    seen: set[Record] = set()
    records: list[Record] = []
    for source in (_index, _politics, _dprk_excerpts, _ru, _examples):
        for record in source():
            if record not in seen:
                seen.add(record)
                records.append(record)
    return records


def main() -> None:
    records = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    # mtime=0: the same input gives the same bytes, so a rebuild shows no diff.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(payload.encode("utf-8"))
    print(f"{len(records)} openings -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
