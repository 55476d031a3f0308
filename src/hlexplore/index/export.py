"""Plain-data (JSON-ready) forms of entries and query results, shared by `--json` and file export."""

from __future__ import annotations

from typing import Any

from hlexplore.catalog.columns import column
from hlexplore.catalog.models import Company, Entry, Reference, StackItem, Technology
from hlexplore.catalog.urls import archive_url
from hlexplore.index.catalog_index import (
    CatalogIndex,
    CatalogStats,
    Companion,
    Comparison,
    Matrix,
    SearchResult,
    Similarity,
    StackEntry,
    Usage,
)
from hlexplore.index.insight import Insight


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in ("", None)}


def technology_ref(tech: Technology) -> dict[str, Any]:
    return {"id": tech.id, "name": tech.name, "category": tech.category, "url": tech.url}


def company_ref(company: Company) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": company.id,
            "name": company.name,
            "native_name": company.native_name,
            "url": company.url,
        }
    )


def item_fields(item: StackItem) -> dict[str, Any]:
    return _drop_empty({"note": item.note, "version": item.version, "group": item.group})


def stack_entry(entry: StackEntry) -> dict[str, Any]:
    return {**technology_ref(entry.technology), **item_fields(entry.item)}


def reference(ref: Reference) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": ref.id,
            "title": ref.title,
            "kind": ref.ref_kind,
            "year": ref.year,
            "lang": ref.lang,
            "company": ref.company,
            "technology": ref.technology,
            "url": ref.url,
            "short_url": ref.short_url,
            "url_confidence": ref.url_confidence,
            "archive_url": archive_url(ref.short_url or ref.url),
        }
    )


def technology(index: CatalogIndex, tech: Technology) -> dict[str, Any]:
    return {
        **_drop_empty(
            {
                "id": tech.id,
                "name": tech.name,
                "category": tech.category,
                "description": tech.description,
                "url": tech.url,
                "short_url": tech.short_url,
                "url_confidence": tech.url_confidence,
                "parent": tech.parent,
            }
        ),
        "aliases": list(tech.aliases),
        "parts": [t.id for t in index.children(tech.id)],
        "used_by": [usage(u) for u in index.users_of(tech.id)],
        "related": [companion(c) for c in index.related(tech.id, limit=5)],
        "references": [reference(r) for r in index.references_of(tech.id)],
    }


def company(index: CatalogIndex, company: Company) -> dict[str, Any]:
    return {
        **_drop_empty(
            {
                "id": company.id,
                "name": company.name,
                "native_name": company.native_name,
                "url": company.url,
                "short_url": company.short_url,
                "url_confidence": company.url_confidence,
                "note": company.note,
            }
        ),
        "stack": [stack_entry(e) for e in index.stack(company.id)],
        "references": [reference(r) for r in index.references_of(company.id)],
        "similar": [similarity(s) for s in index.similar(company.id, limit=5)],
    }


def entry(index: CatalogIndex, item: Entry) -> dict[str, Any]:
    """Any entry, tagged with what it is (`entity`), as `show --json` prints it."""
    if isinstance(item, Company):
        return {"entity": "company", **company(index, item)}
    if isinstance(item, Technology):
        return {"entity": "technology", **technology(index, item)}
    return {"entity": "reference", **reference(item)}


def usage(found: Usage) -> dict[str, Any]:
    data = {**company_ref(found.company), **item_fields(found.item)}
    if found.via:
        data["via"] = found.via.id
    return data


def search_result(index: CatalogIndex, result: SearchResult) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "id": result.entry.id,
        "name": index.label(result.entry),
        "score": round(result.score, 2),
        "positions": list(result.positions),
    }


def comparison(result: Comparison) -> dict[str, Any]:
    def shared(entry: Any) -> dict[str, Any]:
        return {
            **technology_ref(entry.technology),
            **{f"left_{k}": v for k, v in item_fields(entry.left).items()},
            **{f"right_{k}": v for k, v in item_fields(entry.right).items()},
        }

    return {
        "left": company_ref(result.left),
        "right": company_ref(result.right),
        "shared": [shared(e) for e in result.shared],
        "only_left": [stack_entry(e) for e in result.only_left],
        "only_right": [stack_entry(e) for e in result.only_right],
        "jaccard": round(result.jaccard, 4),
        "categories": [
            {
                "category": row.category,
                "shared": [e.technology.id for e in row.shared],
                "only_left": [e.technology.id for e in row.only_left],
                "only_right": [e.technology.id for e in row.only_right],
            }
            for row in result.rows
        ],
    }


def matrix(result: Matrix) -> dict[str, Any]:
    return {
        "companies": [company_ref(c) for c in result.companies],
        "technologies": [
            {
                **technology_ref(row.technology),
                "count": row.count,
                "used_by": [c.id for c, item in zip(result.companies, row.items, strict=True) if item],
                "items": {
                    c.id: item_fields(item)
                    for c, item in zip(result.companies, row.items, strict=True)
                    if item
                },
            }
            for row in result.rows
        ],
        "counts": dict(zip((c.id for c in result.companies), result.counts(), strict=True)),
        "shared_by_all": result.shared_by_all(),
    }


def similarity(found: Similarity) -> dict[str, Any]:
    return {
        **company_ref(found.company),
        "score": round(found.score, 4),
        "shared": [t.id for t in found.shared],
    }


def companion(found: Companion) -> dict[str, Any]:
    return {
        **technology_ref(found.technology),
        "together": found.together,
        "lift": round(found.lift, 3),
        "companies": [c.id for c in found.companies],
    }


def stats(found: CatalogStats) -> dict[str, Any]:
    return {
        "companies": found.companies,
        "companies_with_stack": found.companies_with_stack,
        "technologies": found.technologies,
        "technologies_in_use": found.technologies_in_use,
        "references": found.references,
        "stack_items": found.stack_items,
        "top_technologies": [{**technology_ref(t), "companies": n} for t, n in found.top_technologies],
        "technologies_per_category": dict(found.technologies_per_category),
        "companies_per_category": dict(found.companies_per_category),
        "references_per_year": {str(y) if y else "unknown": n for y, n in found.references_per_year},
        "references_per_kind": dict(found.references_per_kind),
        "references_per_lang": dict(found.references_per_lang),
    }


def _ids(entries: Any) -> list[str]:
    return list(column(entries, "id"))  # (from the columns when the entries can say it: none made)


def insight(view: Insight, category: str | None, top: int, stale_years: int) -> dict[str, Any]:
    """The insight view as data: each number with the ids of the entries behind it."""
    heat, timeline, together = view.heat, view.timeline, view.cooccurrence(min(top, 10))
    return {
        "category": category,
        "top_technologies": [
            {**technology_ref(b.technology), "count": b.value, "companies": _ids(b.companies)}
            for b in view.top_technologies(category, limit=top)
        ],
        "heat": {
            "categories": list(heat.categories),
            "companies": [
                {
                    "id": company.id,
                    "name": company.name,
                    "categories": row,
                }
                for company, row in zip(heat.companies, view.heat_ids(), strict=True)
            ],
        },
        "together": [
            {
                "technologies": [a.id, b.id],
                "count": pair.count,
                "lift": round(pair.lift, 3),
                "companies": _ids(pair.together),
            }
            for i, a in enumerate(together.technologies)
            for j, b in enumerate(together.technologies)
            if j > i and (pair := together.pairs[i][j]) is not None
        ],
        "references_per_year": [
            {
                "year": year.year,
                "count": year.value,
                "kinds": {kind: _ids(found) for kind, found in year.by_kind},
            }
            for year in timeline.years
        ],
        "timeline": dict(zip((c.id for c in timeline.companies), view.timeline_ids(), strict=True)),
        "health": {
            group.key: {"title": group.title, "count": len(group.entries), "ids": _ids(group.entries)}
            for group in view.health(stale_years).groups
        },
    }
