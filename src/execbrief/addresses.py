"""E-mail addresses as people write them: ``Acme Reports <reports@acme.example>`` or a bare
``reports@acme.example``, parsed by the standard library's header parser
(``email.headerregistry``), never by a regular expression of our own.

A ``Mailbox`` keeps the display name for headers and the address for everything else
(SES identities, sender pinning, domain allow-lists, suppression, idempotency keys). An
internationalised domain is stored in its ASCII (IDNA) form, so ``bücher.example`` and
``xn--bcher-kva.example`` are one domain; a non-ASCII local part is refused (it needs
SMTPUTF8, which SES and most relays do not offer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.headerregistry import Address, HeaderRegistry

__all__ = ["Mailbox", "parse_mailbox", "ascii_domain"]

_HEADERS = HeaderRegistry()
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")


@dataclass(frozen=True)
class Mailbox:
    """A display name (may be empty) and an address (ASCII, lower case)."""

    name: str
    address: str

    @property
    def domain(self) -> str:
        """The address's domain, in ASCII."""
        return self.address.rsplit("@", 1)[1]

    def formatted(self) -> str:
        """``Name <address>`` as RFC 5322 writes it (quoted where needed), or the bare address."""
        if not self.name:
            return self.address
        return str(Address(display_name=self.name, addr_spec=self.address))


def ascii_domain(domain: str) -> str:
    """A domain in lower-case ASCII (IDNA for an internationalised one); ``ValueError`` if it is none."""
    text = domain.strip().rstrip(".").lower()
    try:
        encoded = text.encode("idna").decode("ascii") if not text.isascii() else text
    except UnicodeError:
        raise ValueError(f"{domain!r} is not a valid domain name") from None
    labels = encoded.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or not _TLD.match(labels[-1]):
        raise ValueError(f"{domain!r} is not a valid domain name")
    return encoded


def parse_mailbox(text: object) -> Mailbox:
    """One mailbox from ``Name <addr>`` or ``addr``; ``ValueError`` saying what is wrong."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not an email address: write it as a string, like 'name@example.com'")
    if any(c in text for c in "\r\n\0"):
        raise ValueError(f"{text!r} is not an email address: it has a line break")
    example = "(expected name@example.com or \"Name <name@example.com>\")"
    try:
        header = _HEADERS("To", text.strip())
    except Exception:  # the parser's own errors on hostile text: not an address, whatever they say
        raise ValueError(f"{text!r} is not an email address {example}") from None
    addresses = [a for group in header.groups for a in group.addresses]
    if len(header.groups) != 1 or header.groups[0].display_name is not None:
        if len(addresses) > 1:
            raise ValueError(f"{text!r} holds {len(addresses)} addresses: give one per entry "
                             "(a name with a comma needs quotes: '\"Acme, Inc.\" <a@example.com>')")
        raise ValueError(f"{text!r} is not an email address {example}")
    found = addresses[0] if len(addresses) == 1 else None
    ascii_local = found is None or found.username.isascii()
    if found is None or not found.username or not found.domain or (header.defects and ascii_local):
        raise ValueError(f"{text!r} is not an email address {example}")
    if not ascii_local or not _LOCAL.match(found.username):
        raise ValueError(f"{text!r} is not an email address: the part before @ must be plain ASCII "
                         "(letters, digits and . _ % + - ')")
    try:
        domain = ascii_domain(found.domain)
    except ValueError:
        raise ValueError(f"{text!r} is not an email address: {found.domain!r} is not a valid domain name") from None
    name = " ".join(found.display_name.split())
    return Mailbox(name=name, address=f"{found.username.lower()}@{domain}")
