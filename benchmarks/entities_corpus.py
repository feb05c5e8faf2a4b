"""Run the entity matcher over every real TASS text kept beside the repository.

    PYTHONPATH=plugins python benchmarks/entities_corpus.py [--data ../shared/data/tass_real]

Reads the 16,739 tass.com index items (headline + opening), the full 2024 articles, the
2017-2018 excerpts and every Russian text; prints how often each entity and kind is
found, the surfaces each entity was found by (to review for false hits), the texts where
known risks show up ("Kim" alone, DPRK next to South Korea, the dateline place), the
unknown people found, and the cost in microseconds per text. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from newswire.analysis.entities import matcher, strip_dateline, unknown_persons
from newswire.analysis.knowledge import load_knowledge

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tass_real"


def load_texts(data: Path) -> dict[str, list[str]]:
    """language -> texts (an index item is its headline and opening joined)."""
    en: list[str] = []
    for name in ("tass_com_index_2025.json", "tass_com_index_2026.json"):
        for e in json.loads((data / name).read_text("utf-8")):
            # The opening is cut at 60 characters, mid-word: drop the cut word.
            opening = e["s"] if len(e["s"]) < 60 else e["s"].rsplit(" ", 1)[0]
            en.append(f"{e['t']}\n\n{opening}")
    for a in json.loads((data / "tass_com_politics_2024-12-26_full20.json").read_text("utf-8")):
        en.append("\n\n".join([a["title"], *a["content"]]))
    for a in json.loads((data / "tass_com_dprk_2017-2018_text_excerpts.json").read_text("utf-8")):
        en.append(a["excerpt"])
    ru: list[str] = []
    for a in json.loads((data / "tass_ru_2020-03-30_first3000.json").read_text("utf-8")):
        ru.append(a["text_first_3000_chars"].replace("\n", "\n\n"))
    for a in json.loads((data / "tass_ru_dprk_3.json").read_text("utf-8")):
        ru.append("\n\n".join([a.get("title") or "", a["text"].replace("\n", "\n\n")]))
    for a in json.loads((data / "tass_ru_samples_2014-2019.json").read_text("utf-8")):
        ru.append("\n\n".join([a.get("title") or "", a["text"]]))
    return {"en": en, "ru": ru}


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, each without a dateline (an index opening starts with one)."""
    return [strip_dateline(p) for p in text.split("\n\n")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--surfaces", type=int, default=6, help="surfaces shown per entity")
    parser.add_argument("--top", type=int, default=60, help="entities shown")
    args = parser.parse_args(argv)
    kb = load_knowledge()
    kinds = {e.key: e.kind for e in kb.entities}
    texts = load_texts(args.data)
    result: dict[str, object] = {}
    for language, items in texts.items():
        m = matcher(language)
        split = [paragraphs(t) for t in items]
        started = time.perf_counter()
        found = [[hit for p in ps for hit in m.spans(p)] for ps in split]
        match_us = (time.perf_counter() - started) / len(items) * 1e6
        started = time.perf_counter()
        unknown = [unknown_persons(ps, language) for ps in split]
        unknown_us = (time.perf_counter() - started) / len(items) * 1e6
        per_entity: Counter[str] = Counter()
        per_kind: Counter[str] = Counter()
        surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        for ps, hits in zip(split, found, strict=True):
            for key in {k for k, _, _ in hits}:
                per_entity[key] += 1
                per_kind[kinds[key]] += 1
            for p in ps:
                for key, s, e in m.spans(p):
                    surfaces[key][p[s:e]] += 1
        print(
            f"== {language}: {len(items)} texts, {sum(per_entity.values())} entity-text pairs,"
            f" {len(per_entity)} distinct entities; matching {match_us:.0f} µs/text,"
            f" unknown-person discovery {unknown_us:.0f} µs/text"
        )
        print("by kind:", dict(per_kind))
        for key, n in per_entity.most_common(args.top):
            shown = ", ".join(f"{s!r}×{c}" for s, c in surfaces[key].most_common(args.surfaces))
            print(f"  {key:<28}{n:>6}  {shown}")
        risky = Counter()
        for ps, hits in zip(split, found, strict=True):
            text = "\n\n".join(ps)
            keys = {k for k, _, _ in hits}
            if (
                re.search(
                    r"\bKim\b(?! (?:Jong|Yo|Il|Song|Tok|Jae|Yong|Ju|Kye|Min|Hyong|Tong))", text
                )
                and language == "en"
            ):
                risky["'Kim' alone in text (never matched alone)"] += 1
            if "dprk" in keys and re.search(r"South Korea|Южн\w+ Коре", text):
                risky["DPRK found in a text that also names South Korea"] += 1
            if "dprk" in keys and not re.search(
                r"North Korea|DPRK|Pyongyang|КНДР|Северн\w+ Коре|Пхеньян|северокорейск|"
                r"Kim Jong|Ким Чен|Choe Son|Чхве Сон|Democratic People|Корейск\w+ Народно|"
                r"N\. Korea",
                text,
                re.I,
            ):
                risky["DPRK found without any DPRK word (inspect)"] += 1
        for label, n in risky.items():
            print(f"  check: {label}: {n}")
        names: Counter[str] = Counter(p.normalised for u in unknown for p in u)
        print(
            "  unknown people, most frequent:",
            ", ".join(f"{n}×{c}" for n, c in names.most_common(25)),
        )
        result[language] = {
            "texts": len(items),
            "entities": len(per_entity),
            "pairs": sum(per_entity.values()),
            "match_us_per_text": round(match_us, 1),
            "unknown_us_per_text": round(unknown_us, 1),
            "unknown_people": len(names),
        }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
