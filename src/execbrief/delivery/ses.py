"""The SES channel: raw MIME through the SES v2 API, the v1 API where an operation is missing.

Raw content carries text, HTML and inline images in one message. Region comes from
``[delivery.ses] region``, credentials from boto3's standard chain, and boto3 itself
honours ``AWS_ENDPOINT_URL`` (that is how tests reach moto). boto3's own retries are off:
the delivery service retries throttling itself, so every call is counted in the ledger.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..errors import DeliveryError, DeliveryInDoubt, DeliveryRejected, DeliveryThrottled
from ..model import Message, Receipt

__all__ = ["SesChannel", "SesAccount", "register", "V2_MAX_BYTES", "V1_MAX_BYTES"]

# SES size limits apply to the message after base64 encoding.
V2_MAX_BYTES = 40 * 1024 * 1024
V1_MAX_BYTES = 10 * 1024 * 1024

_THROTTLED = {
    "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestThrottled",
    "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure", "InternalServerError",
}
# A missing operation answers 404 with no error body (moto) or one of these codes.
_MISSING = {"404", "UnknownOperationException", "InvalidAction", "NotImplemented"}


@dataclass(frozen=True)
class SesAccount:
    """What SES says about the account: sandbox, quota and rate."""

    sandbox: bool
    sending_enabled: bool
    max_send_rate: float
    max_24h: float
    sent_24h: float
    source: str


def _code(exc: Any) -> tuple[str, str, int]:
    error = exc.response.get("Error", {}) if hasattr(exc, "response") else {}
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) if hasattr(exc, "response") else 0
    return str(error.get("Code", "")), str(error.get("Message", "")), int(status or 0)


def is_missing_operation(exc: Exception) -> bool:
    """Whether a boto3 error means the endpoint lacks this operation (fall back to v1)."""
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError) and _code(exc)[0] in _MISSING


def classify(exc: Exception, what: str) -> DeliveryError:
    """A boto3 error → throttled (retry), rejected (final), in doubt, or temporary failure."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.ClientError):
        code, text, status = _code(exc)
        said = f"SES {what}: {code}: {text}".rstrip(": ")
        if "daily message quota" in text.lower() or code in ("LimitExceededException", "SendingPausedException",
                                                             "AccountSendingPausedException"):
            return DeliveryRejected(said + " (sending quota or pause: see `execbrief doctor`)")
        if code in _THROTTLED or status == 429 or status >= 500:
            return DeliveryThrottled(said)
        return DeliveryRejected(said)
    if isinstance(exc, (bx.ReadTimeoutError, bx.ConnectionClosedError)):
        # the request went out: SES may have accepted it
        return DeliveryInDoubt(f"SES {what}: no answer ({exc}); the message may have been accepted")
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError)):
        return DeliveryError(f"SES {what}: cannot connect ({exc}): check the network and AWS_ENDPOINT_URL")
    if isinstance(exc, bx.NoCredentialsError):
        return DeliveryRejected("no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
    return DeliveryError(f"SES {what}: {type(exc).__name__}: {exc}")


class SesChannel:
    """Sends raw MIME through Amazon SES."""

    name = "ses"
    max_recipients = 50
    rate_unit = "recipient"  # SES counts its max send rate in recipients per second

    def __init__(self, settings: Settings, session: Any = None) -> None:
        import boto3
        from botocore.config import Config

        self.settings = settings
        self.region = settings.delivery.ses.region
        session = session or boto3.session.Session()
        config = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30)
        self.v2 = session.client("sesv2", region_name=self.region, config=config)
        self.v1 = session.client("ses", region_name=self.region, config=config)
        self.use_v1 = False
        self._account: SesAccount | None = None

    @property
    def max_message_bytes(self) -> int:
        """The largest raw message, after base64, the API in use accepts."""
        return V1_MAX_BYTES if self.use_v1 else V2_MAX_BYTES

    @staticmethod
    def encoded_size(mime: bytes) -> int:
        """The size SES measures: the message after base64."""
        return len(base64.b64encode(mime))

    def account(self) -> SesAccount:
        """Sandbox, quota and rate, from v2 GetAccount or, where missing, the v1 send quota."""
        if self._account is None:
            try:
                data = self.v2.get_account()
                quota = data.get("SendQuota", {})
                self._account = SesAccount(
                    sandbox=not data.get("ProductionAccessEnabled", False),
                    sending_enabled=bool(data.get("SendingEnabled", True)),
                    max_send_rate=float(quota.get("MaxSendRate", 1)),
                    max_24h=float(quota.get("Max24HourSend", 200)),
                    sent_24h=float(quota.get("SentLast24Hours", 0)),
                    source="sesv2 GetAccount",
                )
            except Exception as exc:
                if not is_missing_operation(exc):
                    raise classify(exc, "GetAccount") from None
                try:
                    quota = self.v1.get_send_quota()
                except Exception as inner:
                    raise classify(inner, "GetSendQuota") from None
                max_24h = float(quota.get("Max24HourSend", 200))
                self._account = SesAccount(
                    # v1 has no sandbox flag; the sandbox quota is 200 messages a day
                    sandbox=max_24h <= 200,
                    sending_enabled=True,
                    max_send_rate=float(quota.get("MaxSendRate", 1)),
                    max_24h=max_24h,
                    sent_24h=float(quota.get("SentLast24Hours", 0)),
                    source="ses GetSendQuota (v1; sandbox inferred from the 200/day quota)",
                )
        return self._account

    def max_rate(self) -> float:
        """Recipients per second: the account's max send rate, or the configured ceiling if lower."""
        rate = self.account().max_send_rate
        ceiling = self.settings.delivery.ses.max_rate
        return min(rate, ceiling) if ceiling else rate

    def verified(self, identities: list[str]) -> dict[str, bool]:
        """Identity → verified for sending, from the v1 API (correct in AWS and in moto)."""
        out: dict[str, bool] = {}
        for start in range(0, len(identities), 100):
            batch = identities[start:start + 100]
            try:
                data = self.v1.get_identity_verification_attributes(Identities=batch)
            except Exception as exc:
                raise classify(exc, "GetIdentityVerificationAttributes") from None
            attributes = data.get("VerificationAttributes", {})
            for identity in batch:
                status = attributes.get(identity, {}).get("VerificationStatus")
                out[identity] = status == "Success"
        return out

    def send(self, message: Message, run_id: str) -> Receipt:
        """Send one message; raises a ``DeliveryError`` subclass saying whether to retry."""
        if not self.use_v1:
            kwargs: dict[str, Any] = {
                "FromEmailAddress": message.sender,
                "Destination": {"ToAddresses": list(message.to), "BccAddresses": list(message.bcc)},
                "Content": {"Raw": {"Data": message.mime}},
                "EmailTags": [{"Name": "execbrief-lens", "Value": message.lens}],
            }
            if self.settings.delivery.ses.configuration_set:
                kwargs["ConfigurationSetName"] = self.settings.delivery.ses.configuration_set
            try:
                answer = self.v2.send_email(**kwargs)
                return self._receipt(message, answer["MessageId"])
            except Exception as exc:
                if not is_missing_operation(exc):
                    raise classify(exc, "SendEmail") from None
                self.use_v1 = True
        args: dict[str, Any] = {
            "Source": message.sender,
            "Destinations": [*message.to, *message.bcc],
            "RawMessage": {"Data": message.mime},
        }
        if self.settings.delivery.ses.configuration_set:
            args["ConfigurationSetName"] = self.settings.delivery.ses.configuration_set
        try:
            answer = self.v1.send_raw_email(**args)
        except Exception as exc:
            raise classify(exc, "SendRawEmail") from None
        return self._receipt(message, answer["MessageId"])

    def _receipt(self, message: Message, provider_id: str) -> Receipt:
        return Receipt(key=message.key, channel=self.name, status="sent", message_id=provider_id)


def register(registry: Any) -> None:
    """Entry point of the built-in SES channel."""
    registry.add_channel("ses", SesChannel)
