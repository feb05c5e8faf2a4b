#!/usr/bin/env python3
"""Check what the parsers and recognisers say about every real TASS text, without labels.

The gold sets are small and partly rendered by our own test site; these checks need no
labels, only rules every right answer obeys (a dateline gives the day the data gives, a
speaker's name is printed outside the quotation, a matched surface is in the text, an
unknown person is a person). Each check prints how many answers it looked at, how many
broke the rule, and a sample of the failures to read.

Usage: PYTHONPATH=plugins python scripts/audit_real_text.py [--shared DIR] [--sample N]
       [--only CHECK-PREFIX]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_quote_gold import DEFAULT_SHARED, DPRK_DAYS, real_articles
from newswire.analysis.entities import (
    UnknownPerson,
    article_mentions,
    body_without_dateline,
    matcher,
    resolve_person,
    unknown_persons,
)
from newswire.analysis.knowledge import load_knowledge
from newswire.analysis.matching import EntityMatcher, _morph
from newswire.analysis.quotes import article_quotes
from newswire.parse.dateline import (
    date_from_id,
    dateline_span,
    split_dateline,
    year_near,
)
from newswire.parse.layout import _printed_moment

INDEX_FILES = ("tass_com_index_2025.json", "tass_com_index_2026.json")
DPRK_FILE = "tass_com_dprk_2017-2018_text_excerpts.json"
# Words that make a capitalised run a body or a place, not a person.
NOT_PERSON_WORDS = frozenset(
    re.findall(
        r"\S+",
        """ministry council committee commission university institute agency company bank
    corporation service union party parliament assembly government court office center
    centre fund foundation group forum region oblast district republic province street
    square airport port station bridge river sea island mountains federation kremlin
    news media club theatre theater museum library hospital school academy department
    министерство совет комитет комиссия университет институт агентство компания банк
    корпорация служба союз партия парламент собрание правительство суд фонд группа
    форум область район республика край улица площадь аэропорт порт станция река море
    остров федерация кремль клуб театр музей библиотека больница школа академия"""
    )
)
PRINTED_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
# An opening that is meant to carry a dateline: a tag or a place in capitals up front.
DATELINE_LIKE = re.compile(
    r"^(?:[^\n]{0,100}/(?:Корр\.\s*)?(?:ИТАР-)?(?:TASS|ТАСС)|[A-ZА-ЯЁ-]{3,}[ ,])"
)
TITLE_WORDS = frozenset(
    re.findall(
        r"\S+",
        """minister president ambassador secretary spokesman chairman director governor mayor
    министр президент посол секретарь председатель директор губернатор мэр глава"""
    )
)


@dataclass
class Check:
    """One invariant: how many answers it saw and the ones that broke it."""

    name: str
    seen: int = 0
    failures: list[str] = field(default_factory=list)

    def test(self, ok: bool, detail: str) -> None:
        self.seen += 1
        if not ok:
            self.failures.append(detail)


@dataclass
class Audit:
    checks: dict[str, Check] = field(default_factory=dict)

    def __call__(self, name: str) -> Check:
        return self.checks.setdefault(name, Check(name))


@dataclass(frozen=True)
class Text:
    """One real text: where it comes from, its language, day, headline and paragraphs."""

    source: str
    language: str
    day: date | None
    headline: str
    paragraphs: list[str]
    cut: bool = False  # an index opening: the body's first 60 characters only


def read_json(path: Path) -> list[dict[str, str]]:
    data: list[dict[str, str]] = json.loads(path.read_text("utf-8"))
    return data


def index_items(shared: Path) -> Iterator[dict[str, str]]:
    for name in INDEX_FILES:
        yield from read_json(shared / name)


def full_texts(shared: Path) -> Iterator[Text]:
    """The index openings (headline and opening) and every full text."""
    for item in index_items(shared):
        body = [item["s"]] if item.get("s") else []
        day = date.fromisoformat(item["d"][:10])
        yield Text(item["u"], "en", day, item.get("t", ""), body, cut=True)
    for url, language, day, paragraphs in real_articles(shared):
        published = date.fromisoformat(day) if len(day) == 10 else None
        yield Text(url, language, published, "", paragraphs)


# --- datelines ---------------------------------------------------------------------------


def _day_ok(month: int | None, day: int | None, expected: date) -> bool:
    """The dateline's day is the data's day, or one off (the data may keep another zone)."""
    if month is None or day is None:
        return True  # a cut or undated dateline gives no day to compare
    year = year_near(month, day, expected)
    return year is not None and abs((date(year, month, day) - expected).days) <= 1


def audit_datelines(audit: Audit, shared: Path) -> None:
    for item in index_items(shared):
        opening = item.get("s") or ""
        if not DATELINE_LIKE.match(opening):
            continue  # the story opens with a sentence: no dateline was printed
        found = split_dateline(opening)
        audit("dateline.index.parses").test(found is not None, opening)
        if found is None:
            continue
        expected = date.fromisoformat(item["d"][:10])
        audit("dateline.index.day").test(
            _day_ok(found.month, found.day, expected), f"{item['d'][:10]} | {opening}")
        if found.month is not None:  # "TASS FACTBOX." and "TASS." name no place
            audit("dateline.index.place").test(found.place is not None, opening)
        ext = int(item["u"].rstrip("/").rsplit("/", 1)[1])
        guess = date_from_id(ext)
        audit("time.id_date_within_45_days").test(
            abs((guess - expected).days) <= 45, f"{item['u']} {expected} guessed {guess}")
    for text in real_articles_texts(shared):
        first = text.paragraphs[0] if text.paragraphs else ""
        found = split_dateline(first)
        if not DATELINE_LIKE.match(first):
            continue  # an interview, a column, an infographic: no dateline was printed
        audit("dateline.full.parses").test(found is not None,
                                           f"{text.source} | {first[:90]}")
        if found is not None and text.day is not None:
            audit("dateline.full.day").test(_day_ok(found.month, found.day, text.day),
                                            f"{text.source} {text.day} | {found.text}")
        # The entity matcher cuts its own dateline: it must cut where the parser does.
        cut = len(first) - len(body_without_dateline(first))
        audit("dateline.matcher_cut_agrees").test(
            cut == dateline_span(first) or found is None,
            f"{text.source} matcher {cut} parser {dateline_span(first)} | {first[:90]}")
    for example in read_json(shared / "dateline_examples.json"):
        sample = example["text"] + " Текст." if example["lang"] == "ru" else example["text"]
        found = split_dateline(sample)
        audit("dateline.examples.parses").test(found is not None, example["text"])
    for item in read_json(shared / DPRK_FILE):
        url = item["url"].replace("http://", "https://")
        if not PRINTED_TIME.search(item["excerpt"]):
            continue  # the page text kept no time line
        ext = int(url.rstrip("/").rsplit("/", 1)[1])
        moment = _printed_moment(item["excerpt"], date_from_id(ext))
        audit("time.printed_moment_day").test(
            moment is not None and moment.date() == DPRK_DAYS[url], f"{url} -> {moment}")


def real_articles_texts(shared: Path) -> Iterator[Text]:
    for url, language, day, paragraphs in real_articles(shared):
        published = date.fromisoformat(day) if len(day) == 10 else None
        yield Text(url, language, published, "", paragraphs)


# --- entities -----------------------------------------------------------------------------

_CAP_AFTER = re.compile(r"^(?:[\s\-‐‑]|’s|'s)?([A-ZА-ЯЁ][\w’'\-]*)")
# Capitalised words that may follow a one-word name inside a sentence or headline.
_AFTER_OK = re.compile(r"(?:Said|Says|And|To|In|On|At|For|With|Of|The|Is|Has|Will|[A-Z]{2,}"
                       r"|Сказал|Заявил|И|В|На)\b")


def audit_entities(audit: Audit, text: Text) -> None:
    body = "\n\n".join(text.paragraphs)
    whole = f"{text.headline}\n{body}"
    mentions = article_mentions(text.headline, "", body, text.language)
    for key, mention in mentions.items():
        for surface in mention.surfaces:
            audit("entity.surface_in_text").test(surface in whole, f"{key}: {surface!r}")
    m = matcher(text.language)
    for part in (text.headline, body_without_dateline(body)):
        spans = m.spans_in_text(part)
        starts = {start for _, start, _ in spans}
        for key, start, end in spans:
            if m.kinds.get(key) != "person":
                continue
            # "Kim" credited to Kim Jong-un inside "Kim Yo-jong": the match runs on into
            # capitalised words that no other name covers.
            after = _CAP_AFTER.match(part[end:])
            on = after is not None and end + after.start(1) not in starts
            if on and after is not None and part[end : end + 1] not in "-‐‑":
                on = len(part[start:end].split()) == 1 and not _AFTER_OK.match(after.group(1))
            audit("entity.person_not_inside_longer_name").test(
                not on, f"{key}: {part[max(0, start - 30) : end + 30]!r}  [{text.source}]")
    if text.language == "ru":
        _russian_kb_misses(audit, text, body)


def _russian_kb_misses(audit: Audit, text: Text, body: str) -> None:
    """A known person the matcher found in one form must be found in every other form."""
    kb = load_knowledge()
    surnames = {
        e.key: [a.split()[-1] for a in e.aliases.get("ru", ()) if len(a.split()) >= 2]
        for e in kb.entities if e.kind == "person"
    }
    found = {key for key, _ in matcher("ru").find_in_text(body)}
    for key, names in surnames.items():
        for surname in names:
            if len(surname) < 5:
                continue  # "Ир", "Хо": too short to find by its stem
            stem = surname[:-1]
            hits = re.findall(rf"\b{re.escape(stem)}\w{{0,3}}\b", body)
            if hits:
                audit("entity.ru_known_surname_matched").test(
                    key in found, f"{key}: {hits[:3]} [{text.source}]")


# --- quotes --------------------------------------------------------------------------------

_TEXT_OR_PLACE = re.compile(r"(?:в|во)\s|(?:the\s+)?(?:statement|document|report)\b", re.I)


def _stems(name: str) -> list[str]:
    return [w[: max(3, min(len(w), len(w) - 2))] for w in re.findall(r"[^\W\d_]+", name)]


def audit_quotes(audit: Audit, text: Text) -> None:
    body = "\n\n".join(text.paragraphs)
    quotes = article_quotes(body, text.language, text.day)
    # The quoted words themselves masked: an attribution inside the marks ("…, - заявил
    # X. - …") stays readable.
    outside = body
    for q in quotes:
        outside = outside.replace(q.text, " ")
    for q in quotes:
        where = f"[{text.source} #{q.paragraph}] {q.speaker!r} -> {q.speaker_name!r}"
        name = q.speaker_name
        audit("quote.has_speaker").test(bool(q.speaker.strip()), where)
        if _TEXT_OR_PLACE.match(q.speaker):
            # "говорится в сообщении пресс-службы губернатора": a text, no one's words
            audit("quote.document_is_nobody").test(
                q.speaker_role is None and (q.entity_key is None or q.speaker_name is not None),
                f"{where} role {q.speaker_role!r} key {q.entity_key}")
        if name is None:
            continue
        stems = _stems(name)
        audit("quote.name_in_text").test(all(s in body for s in stems), where)
        audit("quote.name_outside_quotations").test(
            any(s in outside for s in stems), f"{where} | {q.text[:60]}")
        if q.entity_key is not None:
            kind = matcher(text.language).kinds.get(q.entity_key)
            resolved = resolve_person(name, text.language)
            consistent = resolved == q.entity_key if kind == "person" else resolved is None
            audit("quote.entity_matches_name").test(
                consistent, f"{where} key {q.entity_key} name resolves to {resolved}")
        else:
            resolved = resolve_person(name, text.language)
            audit("quote.known_name_linked").test(
                resolved is None, f"{where} resolves to {resolved} but unlinked")
        if q.speaker_role:
            audit("quote.role_not_name").test(
                name not in q.speaker_role, f"{where} role {q.speaker_role!r}")


# --- unknown people ------------------------------------------------------------------------


def audit_unknowns(audit: Audit, text: Text) -> None:
    found = unknown_persons([text.headline, *text.paragraphs], text.language)
    m = matcher(text.language)
    for person in found:
        where = f"{person.surface!r} -> {person.normalised!r} [{text.source}]"
        words = [w.lower() for w in re.findall(r"[^\W\d_]+", person.surface)]
        audit("unknown.not_body_or_place").test(
            not (set(words) & NOT_PERSON_WORDS)
            and not any(m.kinds.get(k) in {"organisation", "place", "country"}
                        for k, _ in m.find(person.surface)), where)
        audit("unknown.not_title").test(not set(words) & TITLE_WORDS, where)
        audit("unknown.not_known_person").test(
            resolve_person(person.normalised, text.language) is None, where)
        # "Vladimir Puti": a name running into the end of an opening cut at 60 characters
        audit("unknown.not_cut_off").test(
            not (text.cut and text.paragraphs[-1].rstrip().endswith(person.surface)), where)
    if text.language == "ru":
        _russian_unknowns(audit, text, found)


def _russian_unknowns(audit: Audit, text: Text, found: list[UnknownPerson]) -> None:
    """One person, one name: in the nominative singular, the same in every case printed,
    and found by the matcher in every printed form once the base lists it."""
    by_person: dict[tuple[str, ...], set[str]] = {}
    for person in found:
        where = f"{person.surface!r} -> {person.normalised!r} [{text.source}]"
        words = person.normalised.split()
        printed = person.surface.split()
        if len(printed) == len(words):
            audit("unknown.ru_normalised_is_a_form_of_printed").test(
                all(map(_same_word, printed, words)), where)
        by_person.setdefault(tuple(w[:4] for w in words), set()).add(person.normalised)
        if person.surface != person.normalised and len(words) >= 2:
            one = EntityMatcher([(person.normalised, "x")], "ru")
            audit("entity.ru_oblique_form_matched").test(bool(one.find(person.surface)), where)
    for stems, names in by_person.items():
        audit("unknown.ru_one_form_per_person").test(
            len(names) == 1, f"{' '.join(stems)}: {sorted(names)} [{text.source}]")


def _same_word(printed: str, normalised: str) -> bool:
    """The normalised word is the printed one, or the nominative of one of its singular
    readings ("Хабибом" -> "Хабиб"); not a form of another word ("Фальков" -> "Фальки")."""
    def flat(word: str) -> str:
        return word.lower().replace("ё", "е")

    if flat(printed) == flat(normalised):
        return True
    for p in _morph().parse(printed):
        if p.tag.number == "plur":
            continue  # one person: "Фальки" is no form of "Фальков" the surname
        nominative = p.inflect({"nomn"})
        if flat(normalised) in {flat(p.normal_form), flat(nominative.word if nominative else "")}:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--sample", type=int, default=8, help="failures shown per check")
    parser.add_argument("--only", default="", help="run the checks starting with this")
    args = parser.parse_args(argv)
    audit = Audit()
    if "dateline".startswith(args.only) or args.only.startswith(("dateline", "time")):
        audit_datelines(audit, args.shared)
    steps = [("entity", audit_entities), ("quote", audit_quotes), ("unknown", audit_unknowns)]
    chosen = [step for prefix, step in steps if prefix.startswith(args.only[:7])
              or args.only.startswith(prefix)]
    if chosen:
        for text in full_texts(args.shared):
            for step in chosen:
                step(audit, text)
    totals: Counter[str] = Counter()
    for check in audit.checks.values():
        totals["failures"] += len(check.failures)
        print(f"{check.name}: {len(check.failures)} of {check.seen} fail")
        for detail in check.failures[: args.sample]:
            print(f"    {detail}")
    print(f"{len(audit.checks)} checks, {totals['failures']} failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
