"""The shape of what ``events ingest`` reads: SNS envelopes and the SES events inside them.

Strict JSON types, checked before anything is verified or recorded: a list where a
string belongs, a number where an address belongs, ``timestamp: {}`` refuse that document
with the field named, and the documents around it are still read. Every recipient is
parsed as an e-mail address, so only a real address can reach the suppression list.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from ..addresses import parse_mailbox
from ..problems import json_problem

__all__ = ["SnsEnvelope", "SesEvent", "checked"]


def _address(value: str) -> str:
    return parse_mailbox(value).address


EmailAddress = Annotated[str, AfterValidator(_address)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class SnsEnvelope(_Open):
    """The keys SNS signs and the verifier reads, each a string."""

    Type: str
    TopicArn: str
    MessageId: str
    Message: str
    Timestamp: str
    SignatureVersion: str
    Signature: str
    SigningCertURL: str
    Subject: str | None = None
    SubscribeURL: str | None = None
    Token: str | None = None


class Recipient(_Open):
    """A bounced or complaining recipient."""

    emailAddress: EmailAddress


class Mail(_Open):
    """The message an event is about."""

    messageId: str | None = None
    timestamp: str | None = None


class Bounce(_Open):
    bounceType: str | None = None
    bounceSubType: str | None = None
    bouncedRecipients: list[Recipient] = []
    timestamp: str | None = None


class Complaint(_Open):
    complaintFeedbackType: str | None = None
    complainedRecipients: list[Recipient] = []
    timestamp: str | None = None


class Delivery(_Open):
    recipients: list[EmailAddress] = []
    timestamp: str | None = None


class Reject(_Open):
    reason: str | None = None


class SesEvent(_Open):
    """An SES event (configuration-set ``eventType``) or notification (``notificationType``)."""

    eventType: str | None = None
    notificationType: str | None = None
    mail: Mail = Mail()
    bounce: Bounce | None = None
    complaint: Complaint | None = None
    delivery: Delivery | None = None
    reject: Reject | None = None

    @property
    def kind(self) -> str:
        """``Bounce``, ``Complaint``, ``Delivery``, ``Reject``, … (empty when it says none)."""
        return self.eventType or self.notificationType or ""


def checked(model: type[_Open], data: Any) -> tuple[Any, str | None]:
    """(the validated model, None), or (None, the problem)."""
    try:
        return model.model_validate(data), None
    except ValidationError as exc:
        return None, json_problem(exc)
