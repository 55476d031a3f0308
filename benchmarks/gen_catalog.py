"""Write a large, realistic catalog in the real format, deterministic for a seed.

python benchmarks/gen_catalog.py --companies 100000 --technologies 10000 --references 300000 -o big.toml

Names are built from syllables (some with accents, Korean or Japanese), stacks hold 5–40 technologies
drawn with Zipf-like popularity (a few technologies are everywhere, most are rare), and references are
spread over the companies (a few over technologies) with kinds, years, languages, and titles in the
shapes real ones have (naming their owner, often a technology).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
from pathlib import Path

from hlexplore.catalog.vocabulary import CATEGORIES, REFERENCE_KINDS

_SYLLABLES = "ka ri to mo na se lu pi ra ve do zen cor tex flu ent sto ne blu ber qui ck pho to gra da ta"
SYLLABLES = (*_SYLLABLES.split(" "), "base", "hub", "ly", "ify", "io", "net", "ware", "soft", "cloud")
ACCENTED = ("é", "ö", "ñ", "ç", "å", "ü")
WIDE = ("레진", "스타", "코믹", "データ", "クラウド", "サーバ", "技术", "数据")
SUFFIXES = ("", "", "", " Labs", " Inc.", " Systems", " Cloud", " Data", " Social", " Games", " Pay")
TECH_SUFFIXES = ("", "", "DB", "MQ", " Server", "js", " Cache", " Proxy", " Stream", "SQL", " Engine")
LANGS = ("en", "en", "en", "en", "ko", "ja", "de", "fr", "es")
# Shapes of real titles in the bundled catalog: the owner ({o}) is named, often a technology ({t}, {u}).
TITLES = (
    "How {o} scaled {t} to {n}M users",
    "Scaling {o}: {n} million requests a day",
    "{o} architecture",
    "Inside {o}'s {t} cluster",
    "Lessons from moving {o} to {t}",
    "{t} at {o}",
    "Why {o} chose {t} over {u}",
    "The road to {n},000 servers at {o}",
    "{o} engineering: rebuilding search on {t}",
    "Migrating {n} TB from {t} to {u} at {o}",
    "{o}: what we learned running {t} in production",
    "A day in the life of a {o} request",
)


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_name(rng: random.Random, parts: tuple[int, int]) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*parts)))
    roll = rng.random()
    if roll < 0.04:
        word = rng.choice(WIDE) + word
    elif roll < 0.10:
        at = rng.randrange(len(word))
        word = word[:at] + rng.choice(ACCENTED) + word[at + 1 :]
    return word[:1].upper() + word[1:]


def unique(rng: random.Random, count: int, build) -> list[str]:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    names = []
    for serial in itertools.count():
        if len(names) == count:
            break
        name = build(rng)
        if name.casefold() in seen:
            name = f"{name} {serial}"
        seen.add(name.casefold())
        names.append(name)
    return names


def slug(text: str, serial: int) -> str:
    cleaned = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower()).strip("-")
    cleaned = "-".join(p for p in cleaned.split("-") if p)
    return f"{cleaned or 'x'}-{serial}"


def generate(companies: int, technologies: int, references: int, seed: int, out) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    tech_names = unique(rng, technologies, lambda r: make_name(r, (1, 3)) + r.choice(TECH_SUFFIXES))
    tech_ids = [slug(name, i) for i, name in enumerate(tech_names)]
    # Zipf-like popularity: weight 1/rank^1.1, sampled through the cumulative weights.
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(technologies)))
    total = cumulative[-1]

    def pick_stack() -> list[int]:
        size = min(technologies, rng.randint(5, 40))
        chosen: set[int] = set()
        while len(chosen) < size:
            chosen.add(bisect.bisect_left(cumulative, rng.random() * total))
        return sorted(chosen, key=lambda i: rng.random())

    w = out.write
    w(f"[meta]\nschema = 1\ntitle = {q(f'Generated catalog ({companies} companies, seed {seed})')}\n")
    w('source = "benchmarks/gen_catalog.py"\n\n')
    for i, (name, tech_id) in enumerate(zip(tech_names, tech_ids, strict=True)):
        w(f"[[technology]]\nid = {q(tech_id)}\nname = {q(name)}\n")
        w(f"category = {q(CATEGORIES[i % len(CATEGORIES)])}\n")
        w(f"description = {q(f'{name}: a generated technology for benchmarks.')}\n")
        w(f'url = "https://tech.example/{tech_id}"\n\n')
    company_names = unique(rng, companies, lambda r: make_name(r, (2, 4)) + r.choice(SUFFIXES))
    company_ids = [slug(name, i) for i, name in enumerate(company_names)]
    for name, company_id in zip(company_names, company_ids, strict=True):
        w(f"[[company]]\nid = {q(company_id)}\nname = {q(name)}\n")
        w(f'url = "https://company.example/{company_id}"\nstack = [\n')
        for t in pick_stack():
            note = f', note = "since {rng.randint(2005, 2024)}"' if rng.random() < 0.1 else ""
            w(f"  {{ tech = {q(tech_ids[t])}{note} }},\n")
        w("]\n\n")
    for r in range(references):
        if rng.random() < 0.05:
            t = rng.randrange(technologies)
            owner, owner_name = f"technology = {q(tech_ids[t])}", tech_names[t]
        else:
            c = rng.randrange(companies)
            owner, owner_name = f"company = {q(company_ids[c])}", company_names[c]
        title = rng.choice(TITLES).format(
            o=owner_name, t=rng.choice(tech_names), u=rng.choice(tech_names), n=rng.randint(1, 999)
        )
        w(f'[[reference]]\nid = "ref-{r}"\ntitle = {q(title)}\n{owner}\n')
        w(f'url = "https://blog.example/{r}"\nlang = {q(rng.choice(LANGS))}\n')
        w(f"kind = {q(rng.choice(REFERENCE_KINDS))}\n")
        if rng.random() < 0.8:
            w(f"year = {rng.randint(2006, 2025)}\n")
        w("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--technologies", type=int, default=None, help="default: companies / 10, at least 50")
    parser.add_argument("--references", type=int, default=None, help="default: 3 per company")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, help="default: standard output")
    args = parser.parse_args(argv)
    technologies = args.technologies or max(50, args.companies // 10)
    references = args.references if args.references is not None else 3 * args.companies
    if args.output:
        with args.output.open("w", encoding="utf-8") as out:
            generate(args.companies, technologies, references, args.seed, out)
    else:
        generate(args.companies, technologies, references, args.seed, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
