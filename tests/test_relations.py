"""What goes with a technology, against plain counting over every company: the users' own items for a
technology few use, every technology's users less the others' items for one most companies use."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hlexplore.catalog.models import Catalog, Company, Meta, StackItem, Technology
from hlexplore.index import CatalogIndex

TECHS = [f"t{n}" for n in range(8)]


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    # t0 is in most stacks (so the complement is taken), the others in few or many
    weights = [0.9, *draw(st.lists(st.floats(0, 1), min_size=len(TECHS) - 1, max_size=len(TECHS) - 1))]
    size = draw(st.integers(1, 40))
    companies = []
    for n in range(size):
        chosen = draw(st.lists(st.floats(0, 1), min_size=len(TECHS), max_size=len(TECHS)))
        stack = tuple(StackItem(t) for t, w, c in zip(TECHS, weights, chosen, strict=True) if c < w)
        name = draw(st.sampled_from(["Ann", "bob", "Cid", "dee"])) + str(n)
        companies.append(Company(f"c{n}", name, stack=stack))
    technologies = tuple(Technology(t, t.upper(), "cache") for t in TECHS)
    return Catalog(Meta(), technologies, tuple(companies), ())


def uses(company: Company, tech: str) -> bool:
    return any(item.tech == tech for item in company.stack)


@settings(max_examples=150, deadline=None)
@given(catalog=catalogs())
def test_what_goes_with_a_technology_is_the_companies_listing_both(catalog: Catalog) -> None:
    index = CatalogIndex(catalog)
    by_name = [c.id for c in index.entries("company")]
    with_stack = sum(1 for c in catalog.companies if c.stack)
    for tech in TECHS:
        users = {c.id for c in catalog.companies if uses(c, tech)}
        found = index.related(tech, limit=None)
        expected = {}
        for other in TECHS:
            both = [c for c in by_name if c in users and uses(index.companies[c], other)]
            if other != tech and both:
                expected[other] = both
        assert {c.technology.id: [x.id for x in c.companies] for c in found} == expected
        for companion in found:
            other_users = sum(1 for c in catalog.companies if uses(c, companion.technology.id))
            assert companion.together == len(companion.companies) == len(expected[companion.technology.id])
            assert companion.lift == companion.together * with_stack / (len(users) * other_users)
        # the most together first, then the higher lift
        order = [(-c.together, -c.lift) for c in found]
        assert order == sorted(order)
        assert index.related(tech, limit=3) == found[:3]
        cost = index.related_cost(tech)
        theirs = sum(len(index.companies[c].stack) for c in users)
        everyone = sum(len(c.stack) for c in catalog.companies)
        assert cost == (theirs if len(users) * 2 <= len(catalog.companies) else everyone - theirs)
