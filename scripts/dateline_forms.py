"""Count the dateline forms of the real openings and compare the entity matcher's cut.

Reads the committed tests/data/real_openings.json.gz (see build_real_openings.py) and
prints: how many openings have a dateline and a place, how often each non-standard form
occurs, every distinct place that is not a plain name in capitals, the openings with no
place, and where analysis.entities.strip_dateline cuts differently from
parse.dateline.dateline_span.

Run: PYTHONPATH=plugins python scripts/dateline_forms.py [--all]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from newswire.analysis.entities import strip_dateline
from newswire.parse.dateline import Dateline, dateline_span, split_dateline

OPENINGS = Path(__file__).resolve().parent.parent / "tests" / "data" / "real_openings.json.gz"
PLAIN_PLACE = re.compile(r"[A-ZА-ЯЁ][A-ZА-ЯЁ .'’-]*")
STANDARD = re.compile(
    r"^[A-ZА-ЯЁ][A-ZА-ЯЁ .'’-]*, (?:[A-Z][a-z]+ \d{1,2}\. /TASS/\.|\d{1,2} [а-я]+\. /ТАСС/\.)$"
)


def forms(found: Dateline) -> list[str]:
    """The ways one dateline departs from "PLACE, Month D. /TASS/."."""
    text, place = found.text, found.place
    out = []
    if found.credit:
        out.append("correspondent credit")
    if found.label:
        out.append(f"label {found.label}")
    if place is None:
        out.append("no place")
    elif found.region:
        gloss = place[len(found.city or "") :].strip()
        out.append(
            "region in slashes" if "/" in gloss else "gloss in brackets" if "(" in gloss
            else "country or state after a comma"
        )  # fmt: skip
    elif "/" in place:
        out.append("two cities")
    elif not PLAIN_PLACE.fullmatch(place):
        out.append("place not in capitals")
    if found.agency is None:
        out.append("no agency tag")
    elif found.agency in ("ИТАР-ТАСС", "БИЗНЕС-ТАСС", "ITAR-TASS"):
        out.append(f"tag {found.agency}")
    elif place is not None and found.month is not None:
        if not re.search(r"/\s*(?:Корр\.\s*)?(?:TASS|ТАСС)\b[^/]*/", text):
            out.append("misprinted tag")
        elif re.search(r"/(?:TASS|ТАСС)/.*/(?:TASS|ТАСС)/", text):
            out.append("tag printed twice")
    if place is not None and found.month is not None:
        head = text[: text.find(place) + len(place) + 2] if place in text else ""
        if head and not head.endswith(", "):
            out.append("no comma before the date")
    if found.month is not None and found.day is None:
        out.append("cut inside the date")
    if text.startswith("/") and place is not None:
        out.append("something before the place")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every disagreement")
    show_all = parser.parse_args().all
    with gzip.open(OPENINGS, "rt", encoding="utf-8") as raw:
        records = json.load(raw)
    totals: Counter[str] = Counter()
    form_counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    places: Counter[str] = Counter()
    no_place: list[str] = []
    cuts: dict[str, list[str]] = defaultdict(list)
    for _source, _ident, language, text in records:
        totals[f"{language} openings"] += 1
        found = split_dateline(text)
        if found is None:
            no_place.append(text)
        else:
            totals[f"{language} with a dateline"] += 1
            if found.place is not None:
                totals[f"{language} with a place"] += 1
                places[found.place] += 1
            else:
                no_place.append(text)
            kinds = forms(found)
            if not kinds and not STANDARD.match(found.text):
                kinds = ["other spacing or punctuation"]
            for kind in kinds:
                form_counts[kind] += 1
                examples.setdefault(kind, text)
            if kinds:
                totals[f"{language} non-standard"] += 1
        ours = text[dateline_span(text) :]
        theirs = strip_dateline(text)
        if ours != theirs:
            if theirs == text:
                kind = "strip_dateline leaves the dateline in"
            elif len(theirs) < len(ours):
                kind = "strip_dateline cuts into the story"
            else:
                kind = "strip_dateline leaves part of the dateline in"
            cuts[kind].append(text)

    print(f"{len(records)} openings")
    for key in sorted(totals):
        print(f"  {key}: {totals[key]}")
    print("\nnon-standard forms (an opening may show several):")
    for kind, count in form_counts.most_common():
        print(f"  {count:5}  {kind:32} e.g. {examples[kind][:62]!r}")
    odd = {p: n for p, n in places.items() if not PLAIN_PLACE.fullmatch(p)}
    print(f"\n{len(places)} distinct places; {len(odd)} not a plain name in capitals:")
    for place, count in sorted(odd.items()):
        print(f"  {count:4}  {place}")
    print(f"\n{len(no_place)} openings with no place:")
    for text in no_place:
        print(f"  {text[:70]!r}")
    disagreements = sum(len(v) for v in cuts.values())
    print(f"\nstrip_dateline disagrees with dateline_span on {disagreements} openings:")
    for kind, texts in sorted(cuts.items()):
        print(f"  {len(texts):5}  {kind}")
        for text in texts if show_all else texts[:5]:
            print(f"         {text[:70]!r}")


if __name__ == "__main__":
    main()
