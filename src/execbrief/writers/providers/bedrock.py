"""Amazon Bedrock Converse API through boto3 (a core dependency: no extra needed).

The answer is the input of a forced tool call. A ``cachePoint`` after the shared prefix
asks Bedrock to cache it on models that support prompt caching (turn it off with
``[writer.options] prompt_cache = false`` for models that do not). Credentials come from
the usual AWS chain; ``AWS_ENDPOINT_URL`` or ``[writer] base_url`` point it elsewhere.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from ...errors import ConfigError
from ..provider import TOOL_NAME, LLMRequest, LLMResponse, Prices, Provider, ProviderError, Usage, answer_shape, classify_status

__all__ = ["BedrockProvider"]

_THROTTLED = {"ThrottlingException", "TooManyRequestsException", "ServiceQuotaExceededException"}
_SERVER = {"InternalServerException", "ServiceUnavailableException", "ModelNotReadyException", "ModelErrorException"}
_AUTH = {"AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException",
         "InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationTokenException"}


class BedrockOptions(BaseModel):
    """``[writer.options]`` for the bedrock writer."""

    model_config = ConfigDict(extra="forbid")

    region: str | None = None
    profile: str | None = None
    prompt_cache: bool = True
    temperature: float | None = None


class BedrockProvider(Provider):
    """Any Converse-capable model on Amazon Bedrock."""

    name = "bedrock"
    key_env_var = "AWS_ACCESS_KEY_ID"
    extra = None
    default_model = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    list_prices = {
        "us.anthropic.claude-haiku": Prices(input=Decimal(1), output=Decimal(5), cache_read=Decimal("0.10"), cache_write=Decimal("1.25")),
        "us.anthropic.claude-sonnet": Prices(input=Decimal(3), output=Decimal(15), cache_read=Decimal("0.30"), cache_write=Decimal("3.75")),
        "amazon.nova-lite": Prices(input=Decimal("0.06"), output=Decimal("0.24"), cache_read=Decimal("0.015"), cache_write=Decimal("0.06")),
    }
    supports_prompt_cache = True
    supports_batch = False  # Bedrock batch inference needs S3 buckets and an IAM role: not wired up
    Options = BedrockOptions

    def make_client(self) -> Any:
        """A ``bedrock-runtime`` client from the settings' environment and the AWS chain."""
        import boto3
        from botocore.config import Config

        env = self.settings.env
        session = boto3.Session(
            profile_name=self.options.profile or env.get("AWS_PROFILE") or None,
            aws_access_key_id=env.get("AWS_ACCESS_KEY_ID") or None,
            aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY") or None,
            aws_session_token=env.get("AWS_SESSION_TOKEN") or None,
            region_name=self.options.region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        )
        if session.get_credentials() is None:
            raise ConfigError(
                "no AWS credentials for the bedrock writer: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                "(or AWS_PROFILE), or use [writer] kind = \"offline\" (no key needed)"
            )
        endpoint = self.settings.writer.base_url or env.get("AWS_ENDPOINT_URL_BEDROCK_RUNTIME") or env.get("AWS_ENDPOINT_URL")
        timeout = self.settings.writer.timeout_s
        config = Config(retries={"total_max_attempts": 1}, read_timeout=timeout, connect_timeout=min(timeout, 10))
        return session.client("bedrock-runtime", endpoint_url=endpoint or None, config=config)

    def params(self, request: LLMRequest) -> dict[str, Any]:
        """The Converse parameters of a request."""
        system: list[dict[str, Any]] = [{"text": request.system}]
        if self.options.prompt_cache:
            system.append({"cachePoint": {"type": "default"}})
        inference: dict[str, Any] = {"maxTokens": request.max_tokens}
        if self.options.temperature is not None:
            inference["temperature"] = self.options.temperature
        return {
            "modelId": self.model,
            "system": system,
            "messages": [{"role": "user", "content": [{"text": request.user}]}],
            "inferenceConfig": inference,
            "toolConfig": {
                "tools": [{"toolSpec": {"name": TOOL_NAME, "description": "Write the briefing as structured blocks citing fact ids.",
                                        "inputSchema": {"json": request.schema}}}],
                "toolChoice": {"tool": {"name": TOOL_NAME}},
            },
        }

    def complete(self, request: LLMRequest) -> LLMResponse:
        """One Converse call."""
        from botocore.exceptions import ClientError, ConnectionError as BotoConnectionError, ReadTimeoutError

        try:
            answer = self.client.converse(**self.params(request))
        except ClientError as exc:
            raise _classify(exc) from None
        except ReadTimeoutError:
            raise ProviderError("timeout", f"no answer within {self.settings.writer.timeout_s}s") from None
        except BotoConnectionError as exc:
            raise ProviderError("connection", f"cannot reach Bedrock: {exc}") from None
        except (ValueError, TypeError, AttributeError, KeyError) as exc:  # botocore parsing another shape
            raise ProviderError("malformed", f"the response was not the Converse answer: {exc}") from None
        with answer_shape("Bedrock"):
            return _response(answer)


def _response(answer: Any) -> LLMResponse:
    """The Converse answer as text and usage."""
    text = ""
    for block in answer.get("output", {}).get("message", {}).get("content", []):
        if "toolUse" in block:
            text = json.dumps(block["toolUse"].get("input", {}))
            break
        text += block.get("text", "")
    usage = answer.get("usage", {})
    return LLMResponse(
        text=text,
        usage=Usage(
            input_tokens=usage.get("inputTokens", 0), output_tokens=usage.get("outputTokens", 0),
            cache_read_tokens=usage.get("cacheReadInputTokens", 0),
            cache_write_tokens=usage.get("cacheWriteInputTokens", 0),
        ),
        stop_reason=answer.get("stopReason"),
        id=answer.get("ResponseMetadata", {}).get("RequestId"),
    )


def _classify(exc: Any) -> ProviderError:
    error = exc.response.get("Error", {})
    code, message = error.get("Code", ""), error.get("Message", str(exc))
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    headers = exc.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})

    if code in _THROTTLED:
        return classify_status(429, message, headers)
    if code in _AUTH:
        return ProviderError("auth", f"AWS refused the credentials ({code}): {message}")
    if code in _SERVER:
        return ProviderError("server", f"Bedrock error ({code}): {message}")
    if code == "ModelTimeoutException":
        return ProviderError("timeout", f"Bedrock model timed out: {message}")
    return classify_status(status or 400, f"{code}: {message}", headers)
