"""One resolver names the business a value, a file name or a text refers to (entities.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from execbrief.entities import EntityResolver


@dataclass
class Entity:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)


RESOLVER = EntityResolver([
    Entity("van", "Sudsy Paws Mobile Grooming", ["spg", "the van", "van"]),
    Entity("books", "Okafor Bookkeeping", ["obk", "bookkeeping clients"]),
    Entity("elm-st", "Elm St duplex", ["Elm Street"]),
])


def test_names_and_aliases_match_with_plurals_and_street_variants_ids_only_as_written():
    assert RESOLVER.in_text("the vans are both in the shop") == "van"  # an alias, plural
    assert RESOLVER.in_text("ELM STREET's boiler") == "elm-st"
    assert RESOLVER.in_text("the books are behind for october") == "books"  # the id, as written
    # a tenant's "appt book" is not the bookkeeping business whose id is "books"
    assert RESOLVER.in_text("van oil change overdue -> book casco bay ford by 12/5") == "van"
    assert RESOLVER.in_text("card numbers in the paper appt book") is None


def test_an_item_naming_two_businesses_is_the_groups():
    assert RESOLVER.in_text("spg and obk both need a new laptop") is None
