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


@dataclass
class KindedEntity:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str | None = None


MENTIONS = {"rental": [r"\btenants?\b", r"\bunit [a-z]\b"], "agency": [r"\bclients?\b", r"\bretainers?\b"],
            "retail": [r"\bcard reader\b"]}
KINDED = EntityResolver([
    KindedEntity("cart", "Rolling Bean Coffee Cart", ["the cart"], "retail"),
    KindedEntity("larch", "Larch Street Duplex", ["the duplex"], "rental"),
    KindedEntity("pixel", "Pixelworks Web Design", ["the web design"], "agency"),
    KindedEntity("oak", "Oak Court", ["the flats", "the van"], "rental"),
], MENTIONS)


def test_an_alias_with_an_article_is_also_said_without_it_but_not_as_a_short_common_word():
    assert KINDED.in_text("Cart, I'm putting the oat latte up on the first") == "cart"
    assert KINDED.in_text("Cart's shut tomorrow") == "cart"
    assert KINDED.in_text("flats 2 and 4 are empty") == "oak"
    assert KINDED.in_text("a van hire for the move") is None  # "van": under four letters alone
    assert KINDED.in_text("web design trends") == "pixel"


def test_named_gives_every_business_a_text_names():
    assert KINDED.named("the cart and the duplex") == {"cart", "larch"}
    assert KINDED.named("nothing here") == frozenset()


def test_a_line_naming_no_business_belongs_to_the_one_business_of_the_kind_it_mentions():
    assert KINDED.by_kind("That's the biggest retainer I have") == "pixel"
    assert KINDED.by_kind("The card reader battery is swelling") == "cart"
    # two rentals: a tenant could be either's
    assert KINDED.by_kind("the tenant in unit B moved out") is None
    # a line mentioning two kinds is about neither alone
    assert KINDED.by_kind("a client's card reader") is None
    assert KINDED.by_kind("nothing of any kind") is None
    assert EntityResolver([KindedEntity("a", "Alpha", kind="agency")]).by_kind("a client") is None  # no words given


def test_late_or_missed_drops_are_a_couriers():
    from execbrief.business_kinds import kinds

    resolver = EntityResolver([KindedEntity("swift", "Swift Man & Van", kind="delivery"),
                               KindedEntity("flats", "Kingsway House", kind="rental")],
                              {k.name: k.mentions for k in kinds().values()})  # (the built-in words)

    assert resolver.by_kind("Halden moaned about 2 late drops last week") == "swift"
    assert resolver.by_kind("the price drops next month") is None


def test_a_business_run_together_in_a_web_or_mail_address_is_named():
    resolver = EntityResolver([Entity("greenline", "Greenline Landscaping", ["Greenline"]),
                               Entity("ledger", "Ash Ledger Bookkeeping")])

    assert resolver.in_text("GoDaddy emailed: greenlinelandscape.com expires 12/12") == "greenline"
    assert resolver.in_text("invoices from billing@ashledgerbookkeeping.co.uk bounce") == "ledger"
    assert resolver.in_text("Greenline's quote went to bob@ashledgerbookkeeping.com") is None  # two: the group's
    assert resolver.in_text("the client's site, greenvalleyyoga.com, is down") is None
    assert resolver.in_text("Signed the lease. St. Louis office.") is None  # (no address)
