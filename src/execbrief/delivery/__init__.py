"""Delivery: rendered reports become ``Message`` objects, and channels send them.

Every channel (outbox, SES, SMTP) has the same small interface, ``Channel``, and is
registered by name in the registry, as a third-party channel would be.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..model import Message, Receipt
from .mime import build_message, idempotency_key, message_id_for

__all__ = ["Channel", "build_message", "idempotency_key", "message_id_for"]


@runtime_checkable
class Channel(Protocol):
    """A way to deliver messages; ``send`` returns a receipt or raises ``DeliveryError``.

    Optional capabilities, read by the delivery service when present: ``max_recipients``
    (split longer lists), ``rate_unit`` (``"message"`` or ``"recipient"``), ``max_rate()``
    (per second), ``max_message_bytes``, and ``close()`` (called after the last send).
    ``send`` raises ``DeliveryThrottled`` to be retried with backoff, ``DeliveryRejected``
    to fail for good, ``DeliveryInDoubt`` when the provider may have the message.
    """

    name: str

    def send(self, message: Message, run_id: str) -> Receipt:
        """Deliver one message as part of run ``run_id``."""
        ...
