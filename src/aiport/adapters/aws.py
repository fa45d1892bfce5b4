"""AWS request signing (SigV4, by botocore's signer) and role assumption through STS.

botocore only signs; the signed request is sent through aiport's own session like every other
upstream call. botocore's signer logs canonical requests (with session tokens) at DEBUG, so its
logger is kept at INFO.
"""

from __future__ import annotations

import hashlib
import logging
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from aiport.adapters.base import AwsKeys, UpstreamRequest
from aiport.adapters.errors import CredentialForbidden, CredentialRejected, UpstreamBadResponse
from aiport.adapters.http import Upstream, UpstreamResponse, error_for_status, scrub

logging.getLogger("botocore.auth").setLevel(logging.INFO)

# AWS error codes that mean "these keys are not valid", although AWS answers them with 403.
REJECTED_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "IncompleteSignatureException",
        "MissingAuthenticationTokenException",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
    }
)
ROLE_SESSION_NAME = "aiport"
ROLE_DURATION_SECONDS = 3600
# Assumed credentials are renewed this long before they expire.
REFRESH_MARGIN_SECONDS = 300.0
_STS_NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"


def sign(request: UpstreamRequest, keys: AwsKeys, region: str, service: str) -> UpstreamRequest:
    """`request` with SigV4 `Authorization`, `X-Amz-Date` (and the session token) headers."""
    aws_request = AWSRequest(
        method=request.method,
        url=request.url,
        data=request.body or b"",
        headers=dict(request.headers),
    )
    credentials = Credentials(keys.access_key, keys.secret_key, keys.session_token or None)
    SigV4Auth(credentials, service, region).add_auth(aws_request)
    return UpstreamRequest(
        request.method, request.url, dict(aws_request.headers.items()), request.body
    )


def aws_error_code(response: UpstreamResponse) -> tuple[str, str]:
    """(code, message) from `x-amzn-ErrorType`, a JSON `__type`/`message`, or STS's XML."""
    code = response.headers.get("x-amzn-errortype", "").split(":", 1)[0]
    message = ""
    body = response.body.strip()
    if body.startswith(b"{"):
        try:
            parsed = response.json_object()
        except UpstreamBadResponse:
            parsed = {}
        raw_type = parsed.get("__type")
        if not code and isinstance(raw_type, str):
            code = raw_type.rsplit("#", 1)[-1].split(":", 1)[0]
        raw_message = parsed.get("message") or parsed.get("Message")
        message = raw_message if isinstance(raw_message, str) else ""
    elif body.startswith(b"<"):
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            root = None
        if root is not None:
            for element in root.iter():
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "Code" and not code:
                    code = (element.text or "").strip()
                elif tag == "Message" and not message:
                    message = (element.text or "").strip()
    return code, message


def raise_for_aws(response: UpstreamResponse, secrets: Sequence[str]) -> None:
    if 200 <= response.status < 300:
        return
    code, message = aws_error_code(response)
    detail = ": ".join(p for p in (code, message) if p)
    said = scrub(f"{response.status} {detail}", secrets)
    if code in REJECTED_CODES:
        raise CredentialRejected(
            f"the key was refused by {response.host}: {said}",
            host=response.host,
            upstream_status=response.status,
        )
    if code in ("AccessDeniedException", "AccessDenied"):
        raise CredentialForbidden(
            f"{response.host} accepted the key but refused access: {said}",
            host=response.host,
            upstream_status=response.status,
        )
    raise error_for_status(response, detail, secrets)


@dataclass(frozen=True)
class AssumedRole:
    keys: AwsKeys
    expires_at: float


def _parse_assumed(response: UpstreamResponse) -> AssumedRole:
    try:
        root = ET.fromstring(response.body)
    except ET.ParseError:
        raise response.unexpected("the AssumeRole answer is not XML") from None
    found = root.find(f"./{_STS_NS}AssumeRoleResult/{_STS_NS}Credentials")
    if found is None:
        raise response.unexpected("the AssumeRole answer has no credentials")
    values = {child.tag.removeprefix(_STS_NS): (child.text or "").strip() for child in found}
    try:
        expires = datetime.fromisoformat(values["Expiration"].replace("Z", "+00:00"))
        keys = AwsKeys(values["AccessKeyId"], values["SecretAccessKey"], values["SessionToken"])
    except (KeyError, ValueError):
        raise response.unexpected("the AssumeRole credentials are incomplete") from None
    return AssumedRole(keys, expires.timestamp())


class RoleCache:
    """Assumed-role credentials per (keys, role), reused until shortly before they expire."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self._clock = clock
        self._entries: dict[str, AssumedRole] = {}

    async def assume(
        self,
        upstream: Upstream,
        keys: AwsKeys,
        *,
        role_arn: str,
        external_id: str,
        region: str,
        sts_url: str,
    ) -> AwsKeys:
        cache_key = hashlib.sha256(
            "\0".join((keys.access_key, keys.secret_key, role_arn, external_id, sts_url)).encode()
        ).hexdigest()
        cached = self._entries.get(cache_key)
        if cached is not None and cached.expires_at - REFRESH_MARGIN_SECONDS > self._clock():
            return cached.keys
        form = {
            "Action": "AssumeRole",
            "Version": "2011-06-15",
            "RoleArn": role_arn,
            "RoleSessionName": ROLE_SESSION_NAME,
            "DurationSeconds": str(ROLE_DURATION_SECONDS),
        }
        if external_id:
            form["ExternalId"] = external_id
        request = UpstreamRequest(
            "POST",
            sts_url,
            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            urlencode(form).encode(),
        )
        response = await upstream.send(sign(request, keys, region, "sts"))
        raise_for_aws(response, keys.values())
        assumed = _parse_assumed(response)
        self._entries[cache_key] = assumed
        return assumed.keys
