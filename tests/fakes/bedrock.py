"""A fake Bedrock (control plane, runtime and STS on one server) that verifies SigV4.

Every request's signature is recomputed with botocore from the secret the fake knows for the
access key it names; a wrong secret gets AWS's own 403 `InvalidSignatureException`.
"""

from __future__ import annotations

import re
import struct
import time
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import orjson
from aiohttp import web
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.fakes.openai import reply_text
from tests.fakes.server import FakeServer, count_tokens, json_response

BEDROCK_MODELS: list[dict[str, Any]] = [
    {
        "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
        "modelId": "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "modelName": "Claude 3.5 Sonnet",
        "providerName": "Anthropic",
        "inputModalities": ["TEXT", "IMAGE"],
        "outputModalities": ["TEXT"],
        "responseStreamingSupported": True,
        "inferenceTypesSupported": ["ON_DEMAND"],
        "modelLifecycle": {"status": "ACTIVE"},
    },
    {
        "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
        "modelId": "amazon.titan-embed-text-v2:0",
        "modelName": "Titan Text Embeddings V2",
        "providerName": "Amazon",
        "inputModalities": ["TEXT"],
        "outputModalities": ["EMBEDDING"],
        "responseStreamingSupported": False,
        "inferenceTypesSupported": ["ON_DEMAND"],
        "modelLifecycle": {"status": "ACTIVE"},
    },
]

_AUTH = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, SignedHeaders=(?P<signed>[^,]+), Signature=(?P<sig>[0-9a-f]+)"
)


@dataclass(frozen=True)
class IssuedKeys:
    secret: str
    session_token: str = ""


def event_message(event_type: str, payload: dict[str, Any]) -> bytes:
    """One `application/vnd.amazon.eventstream` message, as Converse streams send them."""
    headers = b""
    for name, value in (
        (":event-type", event_type),
        (":content-type", "application/json"),
        (":message-type", "event"),
    ):
        raw = value.encode()
        headers += bytes([len(name)]) + name.encode() + b"\x07" + struct.pack(">H", len(raw)) + raw
    body = orjson.dumps(payload)
    total = 12 + len(headers) + len(body) + 4
    prelude = struct.pack(">II", total, len(headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + body
    return message + struct.pack(">I", zlib.crc32(message))


class FakeBedrock(FakeServer):
    def __init__(
        self,
        *,
        access_key: str,
        secret_key: str,
        region: str = "us-east-1",
        denied_access_keys: set[str] | None = None,
        assumable_roles: set[str] | None = None,
        role_lifetime: timedelta = timedelta(hours=1),
    ):
        super().__init__()
        self.region = region
        self.issued: dict[str, IssuedKeys] = {access_key: IssuedKeys(secret_key)}
        self.denied_access_keys = denied_access_keys or set()
        self.assumable_roles = assumable_roles or set()
        self.role_lifetime = role_lifetime
        # (access key, service) of every request whose signature verified.
        self.verified: list[tuple[str, str]] = []
        self.assumed: list[dict[str, str]] = []

    @property
    def base_url(self) -> str:
        return self.url

    def error(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> web.Response:
        aws_code = {429: "ThrottlingException", 500: "InternalServerException"}.get(status, code)
        return json_response(
            {"message": message},
            status=status,
            headers={
                **(headers or {}),
                "x-amzn-ErrorType": f"{aws_code}:http://internal.amazon.com/coral/",
            },
        )

    async def refuse(self, request: web.Request, service: str) -> web.Response | None:
        """AWS's answer to a request whose signature does not verify, else None."""
        match = _AUTH.fullmatch(request.headers.get("Authorization", ""))
        if match is None:
            return self.error(
                403, "MissingAuthenticationTokenException", "Missing Authentication Token"
            )
        issued = self.issued.get(match["key"])
        if issued is None:
            return self.error(
                403,
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            )
        if (
            issued.session_token
            and request.headers.get("X-Amz-Security-Token") != issued.session_token
        ):
            return self.error(
                403,
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            )
        if match["service"] != service or match["region"] != self.region:
            return self.error(
                403,
                "InvalidSignatureException",
                f"Credential should be scoped to {self.region}/{service}",
            )
        signed = {name: request.headers.get(name, "") for name in match["signed"].split(";")}
        aws_request = AWSRequest(
            method=request.method,
            url=f"http://{request.host}{request.raw_path}",
            data=await request.read(),
            headers=signed,
        )
        aws_request.context["timestamp"] = request.headers.get("X-Amz-Date", "")
        signer = SigV4Auth(
            Credentials(match["key"], issued.secret, issued.session_token or None),
            service,
            self.region,
        )
        string_to_sign = signer.string_to_sign(aws_request, signer.canonical_request(aws_request))
        if signer.signature(string_to_sign, aws_request) != match["sig"]:
            return self.error(
                403,
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method.",
            )
        if match["key"] in self.denied_access_keys:
            return self.error(
                403,
                "AccessDeniedException",
                f"User: arn:aws:iam::123456789012:user/{match['key']} is not authorized to perform: bedrock:ListFoundationModels",
            )
        self.verified.append((match["key"], service))
        return None

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/foundation-models", self.list_models)
        app.router.add_post("/model/{model_id}/converse", self.converse)
        app.router.add_post("/model/{model_id}/converse-stream", self.converse_stream)
        app.router.add_post("/model/{model_id}/invoke", self.invoke)
        app.router.add_post("/", self.sts)

    async def list_models(self, request: web.Request) -> web.Response:
        if refused := await self.refuse(request, "bedrock"):
            return refused
        return json_response({"modelSummaries": BEDROCK_MODELS})

    @staticmethod
    def _converse(body: dict[str, Any]) -> dict[str, Any]:
        messages = body.get("messages") or []
        content = messages[-1].get("content", []) if messages else []
        prompt = " ".join(b.get("text", "") for b in content if isinstance(b, dict))
        text = reply_text(prompt)
        tools = (body.get("toolConfig") or {}).get("tools") or []
        if tools:
            name = tools[0].get("toolSpec", {}).get("name", "tool")
            blocks: list[dict[str, Any]] = [
                {
                    "toolUse": {
                        "toolUseId": "tooluse_fake_1",
                        "name": name,
                        "input": {"city": "Paris"},
                    }
                }
            ]
            stop = "tool_use"
        else:
            blocks, stop = [{"text": text}], "end_turn"
        usage = {"inputTokens": count_tokens(prompt), "outputTokens": count_tokens(text)}
        return {
            "output": {"message": {"role": "assistant", "content": blocks}},
            "stopReason": stop,
            "usage": usage | {"totalTokens": usage["inputTokens"] + usage["outputTokens"]},
            "metrics": {"latencyMs": 12},
        }

    async def converse(self, request: web.Request) -> web.Response:
        if refused := await self.refuse(request, "bedrock"):
            return refused
        return json_response(self._converse(await request.json()))

    async def converse_stream(self, request: web.Request) -> web.StreamResponse:
        if refused := await self.refuse(request, "bedrock"):
            return refused
        full = self._converse(await request.json())
        response = web.StreamResponse(
            headers={"Content-Type": "application/vnd.amazon.eventstream"}
        )
        await response.prepare(request)
        await response.write(event_message("messageStart", {"role": "assistant"}))
        block = full["output"]["message"]["content"][0]
        if "text" in block:
            for word in block["text"].split(" "):
                delta = {"delta": {"text": word + " "}, "contentBlockIndex": 0}
                await response.write(event_message("contentBlockDelta", delta))
        else:
            use = block["toolUse"]
            start = {"start": {"toolUse": {"toolUseId": use["toolUseId"], "name": use["name"]}}}
            await response.write(
                event_message("contentBlockStart", start | {"contentBlockIndex": 0})
            )
            delta = {"delta": {"toolUse": {"input": '{"city": "Paris"}'}}, "contentBlockIndex": 0}
            await response.write(event_message("contentBlockDelta", delta))
        await response.write(event_message("contentBlockStop", {"contentBlockIndex": 0}))
        await response.write(event_message("messageStop", {"stopReason": full["stopReason"]}))
        await response.write(
            event_message("metadata", {"usage": full["usage"], "metrics": full["metrics"]})
        )
        await response.write_eof()
        return response

    async def invoke(self, request: web.Request) -> web.Response:
        """Anthropic models' native body (`anthropic_version: bedrock-2023-05-31`)."""
        if refused := await self.refuse(request, "bedrock"):
            return refused
        body = await request.json()
        messages = body.get("messages") or []
        prompt = str(messages[-1].get("content", "")) if messages else ""
        text = reply_text(prompt)
        return json_response(
            {
                "id": "msg_bdrk_fake",
                "type": "message",
                "role": "assistant",
                "model": request.match_info["model_id"],
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn",
                "usage": {
                    "input_tokens": count_tokens(prompt),
                    "output_tokens": count_tokens(text),
                },
            }
        )

    async def sts(self, request: web.Request) -> web.Response:
        """STS AssumeRole (query protocol, XML answers)."""
        if refused := await self.refuse(request, "sts"):
            return web.Response(
                status=refused.status,
                content_type="text/xml",
                text=(
                    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
                    f"<Type>Sender</Type><Code>{'InvalidClientTokenId' if refused.status == 403 else 'Throttling'}</Code>"
                    "<Message>The security token included in the request is invalid.</Message>"
                    "</Error></ErrorResponse>"
                ),
            )
        form = {k: v[0] for k, v in parse_qs((await request.read()).decode()).items()}
        self.assumed.append(form)
        if form.get("Action") != "AssumeRole" or form.get("RoleArn") not in self.assumable_roles:
            return web.Response(
                status=403,
                content_type="text/xml",
                text=(
                    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
                    "<Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized "
                    "to perform: sts:AssumeRole</Message></Error></ErrorResponse>"
                ),
            )
        key_id = "ASIA" + uuid.uuid4().hex[:16].upper()
        issued = IssuedKeys(secret=uuid.uuid4().hex, session_token="FwoG" + uuid.uuid4().hex)
        self.issued[key_id] = issued
        expires = datetime.fromtimestamp(time.time(), UTC) + self.role_lifetime
        return web.Response(
            content_type="text/xml",
            text=(
                '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                "<AssumeRoleResult><Credentials>"
                f"<AccessKeyId>{key_id}</AccessKeyId><SecretAccessKey>{issued.secret}</SecretAccessKey>"
                f"<SessionToken>{issued.session_token}</SessionToken>"
                f"<Expiration>{expires.strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration>"
                "</Credentials><AssumedRoleUser><AssumedRoleId>AROAFAKE:aiport</AssumedRoleId>"
                f"<Arn>{form['RoleArn']}/aiport</Arn></AssumedRoleUser></AssumeRoleResult>"
                "</AssumeRoleResponse>"
            ),
        )
