"""Draw the sample of real TASS texts that tests/data/entity_gold.json labels.

Run once against the public data set (the directory of SOURCES.md with the tass.com
indexes, the 2024-12-26 politics articles, the 2017-2018 excerpts and the tass.ru items):

    python tests/data/derive_entity_sample.py DATA_DIR > sample.json

It selects every 2025-2026 index headline about Korea, a seeded random draw of other
headlines, the first paragraphs (with datelines) of the full 2024 articles, the paragraphs
of the 2017-2018 excerpts and a draw of Russian tass.ru paragraphs (most of them naming a state).
The expected entities were then written into the sample by a person reading each text;
the matcher was not run to produce them.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

KOREA = re.compile(r"Korea|DPRK|Pyongyang|Kim Jong|Choe Son", re.I)
RU_STATES = re.compile(r"Росси|Москв|Кремл|Путин|РФ|КНДР|Коре|Китa|Кита|США|Япон|Украин")


def derive(data_dir: Path) -> list[dict]:
    rng = random.Random(20250605)
    items: list[dict] = []
    index = []
    for name in ("tass_com_index_2025.json", "tass_com_index_2026.json"):
        index += json.loads((data_dir / name).read_text("utf-8"))
    korea = [e for e in index if KOREA.search(e["t"]) or KOREA.search(e["s"])]
    other = [e for e in index if e not in korea]
    for e in korea + rng.sample(other, 16):
        items.append({"id": e["u"], "language": "en", "kind": "headline", "text": e["t"]})

    full = json.loads((data_dir / "tass_com_politics_2024-12-26_full20.json").read_text("utf-8"))
    for a in full:
        items.append(
            {
                "id": a["link"] + "#p1",
                "language": "en",
                "kind": "paragraph",
                "text": a["content"][1],
            }
        )

    excerpts = json.loads((data_dir / "tass_com_dprk_2017-2018_text_excerpts.json").read_text())
    for a in excerpts:
        body = a["excerpt"].split("/TASS/.", 1)[1]
        dateline = a["excerpt"].split("/TASS/.", 1)[0].rsplit("\n", 1)[-1] + "/TASS/."
        paragraphs = [p.strip() for p in body.split("\n\n") if len(p.strip()) > 40]
        paragraphs[0] = dateline + " " + paragraphs[0]
        for i, p in enumerate(paragraphs[:6], start=1):
            items.append(
                {"id": f"{a['url']}#p{i}", "language": "en", "kind": "paragraph", "text": p}
            )

    ru = json.loads((data_dir / "tass_ru_2020-03-30_first3000.json").read_text("utf-8"))
    paragraphs_ru = [
        (a["idnews"], i, p.strip())
        for a in ru
        for i, p in enumerate(a["text_first_3000_chars"].split("\n"))
        if 60 < len(p.strip()) < 700
    ]
    about_states = [p for p in paragraphs_ru if RU_STATES.search(p[2])]
    chosen = rng.sample(about_states, 14) + rng.sample(paragraphs_ru, 6)
    for idnews, i, text in chosen:
        items.append(
            {
                "id": f"tass.ru#{idnews}#p{i + 1}",
                "language": "ru",
                "kind": "paragraph",
                "text": text,
            }
        )
    items += derive_russian_extra(data_dir)
    items += derive_heldout(data_dir, {item["text"] for item in items})
    for item in items:
        item["expected"] = None
        item["persons"] = None
    return items


def derive_heldout(data_dir: Path, used: set[str]) -> list[dict]:
    """A held-out draw labelled after the knowledge base was grown from the rest: later
    paragraphs of the full 2024 articles and Russian paragraphs not drawn before. People
    it names that the base lacks stay out of the base, so it measures unseen text."""
    rng = random.Random(20261201)
    full = json.loads((data_dir / "tass_com_politics_2024-12-26_full20.json").read_text("utf-8"))
    paragraphs = [
        (a["link"], i, p)
        for a in full
        for i, p in enumerate(a["content"])
        if i >= 2 and 60 < len(p) < 700
    ]
    items = [
        {"id": f"{link}#p{i}", "language": "en", "kind": "paragraph", "text": p, "split": "heldout"}
        for link, i, p in rng.sample(paragraphs, 30)
    ]
    ru = json.loads((data_dir / "tass_ru_2020-03-30_first3000.json").read_text("utf-8"))
    paragraphs_ru = [
        (a["idnews"], i, p.strip())
        for a in ru
        for i, p in enumerate(a["text_first_3000_chars"].split("\n"))
        if 60 < len(p.strip()) < 700 and p.strip() not in used
    ]
    items += [
        {
            "id": f"tass.ru#{idnews}#p{i + 1}",
            "language": "ru",
            "kind": "paragraph",
            "text": p,
            "split": "heldout",
        }
        for idnews, i, p in rng.sample(paragraphs_ru, 25)
    ]
    return items


def derive_russian_extra(data_dir: Path) -> list[dict]:
    """Added for person labels: every paragraph of the three Russian DPRK texts, and the
    opening paragraph of three tass.ru items that name (or credit) people."""
    items = []
    for a in json.loads((data_dir / "tass_ru_dprk_3.json").read_text("utf-8")):
        for i, p in enumerate(a["text"].split("\n")):
            if len(p.strip()) > 40:
                items.append(
                    {
                        "id": f"{a['id']}#p{i + 1}",
                        "language": "ru",
                        "kind": "paragraph",
                        "text": p.strip(),
                    }
                )
    wanted = ("obschestvo/6747431", "politika/1477863", "kultura/5330387")
    for a in json.loads((data_dir / "tass_ru_samples_2014-2019.json").read_text("utf-8")):
        if a["url"].split("?")[0].endswith(wanted):
            first = a["text"].split("\n")[0]
            # These rows lost their paragraph breaks to a literal "n" after the full stop.
            cut = re.search(r"[.»\"]n", first)
            if cut:
                first = first[: cut.start() + 1]
            items.append(
                {
                    "id": a["url"].split("?")[0] + "#p1",
                    "language": "ru",
                    "kind": "paragraph",
                    "text": first,
                }
            )
    return items


if __name__ == "__main__":
    json.dump(derive(Path(sys.argv[1])), sys.stdout, ensure_ascii=False, indent=1)
