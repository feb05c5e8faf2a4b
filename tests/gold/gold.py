"""Loading the gold pages, shared by the gold test and the extraction benchmark."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newswire.models import ArticleRef, ParsedArticle

PAGES = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class GoldPage:
    name: str
    layout: str
    ref: ArticleRef
    html: bytes
    expected: dict[str, Any] | None  # None for a page that must be refused
    error: str | None


def load_gold() -> list[GoldPage]:
    pages = []
    for entry_file in sorted(PAGES.glob("*.json")):
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        pages.append(
            GoldPage(
                name=entry_file.stem,
                layout=entry["layout"],
                ref=ArticleRef(**entry["ref"]),
                html=gzip.decompress((PAGES / entry["page"]).read_bytes()),
                expected=entry.get("expected"),
                error=entry.get("error"),
            )
        )
    return pages


def actual_fields(article: ParsedArticle) -> dict[str, Any]:
    """The parsed article in the shape of a gold page's expected JSON."""
    return {
        "headline": article.headline,
        "lead": article.lead,
        "dateline": article.dateline,
        "body": article.body,
        "published_at": article.published_at.isoformat(),
        "modified_at": article.modified_at.isoformat() if article.modified_at else None,
        "image_url": article.image_url,
        "language": article.language,
        "tags": list(article.tags),
        "word_count": article.word_count,
        "extraction_method": article.extraction_method,
        "parser_version": article.parser_version,
        "section": article.section,
    }
