"""Bedrock: SigV4 signatures the fake verifies with botocore, and roles assumed through STS."""

from __future__ import annotations

import time
import uuid

import pytest

from aiport.adapters import (
    AdapterRegistry,
    ApiKey,
    AwsKeys,
    CheckStatus,
    UpstreamRequest,
    UpstreamTarget,
    check_credential,
)
from aiport.adapters.bedrock import BedrockAdapter, control_url, region_of
from aiport.adapters.http import Upstream
from tests.fakes.bedrock import FakeBedrock

ACCESS_KEY = "AKIAFAKE0000000001"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ROLE = "arn:aws:iam::123456789012:role/aiport-bedrock"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _target(fake: FakeBedrock, **settings: str) -> UpstreamTarget:
    return UpstreamTarget("bedrock", fake.url, {"region": "us-east-1", **settings})


async def test_the_listing_is_signed_and_the_fake_verifies_it(upstream: Upstream) -> None:
    async with FakeBedrock(access_key=ACCESS_KEY, secret_key=SECRET_KEY) as fake:
        result = await check_credential(
            AdapterRegistry().get("bedrock"),
            upstream,
            _target(fake),
            AwsKeys(ACCESS_KEY, SECRET_KEY),
            within=3,
        )
        request = fake.requests[0]
    assert result.status is CheckStatus.OK
    assert fake.verified == [(ACCESS_KEY, "bedrock")]
    assert request.headers["authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/")
    assert "/us-east-1/bedrock/aws4_request" in request.headers["authorization"]
    assert "x-amz-date" in request.headers


async def test_a_wrong_secret_fails_the_signature(upstream: Upstream) -> None:
    async with FakeBedrock(access_key=ACCESS_KEY, secret_key=SECRET_KEY) as fake:
        result = await check_credential(
            AdapterRegistry().get("bedrock"),
            upstream,
            _target(fake),
            AwsKeys(ACCESS_KEY, "not-the-secret-0000"),
            within=3,
        )
    assert result.status is CheckStatus.INVALID
    assert result.message.startswith(
        f"the key was refused by 127.0.0.1:{fake.port}: 403 InvalidSignatureException: "
        "The request signature we calculated does not match"
    )
    assert fake.verified == []


async def test_an_unknown_access_key_is_refused(upstream: Upstream) -> None:
    async with FakeBedrock(access_key=ACCESS_KEY, secret_key=SECRET_KEY) as fake:
        result = await check_credential(
            AdapterRegistry().get("bedrock"),
            upstream,
            _target(fake),
            AwsKeys("AKIAUNKNOWN00000", SECRET_KEY),
            within=3,
        )
    assert result.status is CheckStatus.INVALID
    assert "UnrecognizedClientException" in result.message
    assert "AKIAUNKNOWN00000" not in result.message


async def test_keys_without_bedrock_permission_are_forbidden(upstream: Upstream) -> None:
    async with FakeBedrock(
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, denied_access_keys={ACCESS_KEY}
    ) as fake:
        result = await check_credential(
            AdapterRegistry().get("bedrock"),
            upstream,
            _target(fake),
            AwsKeys(ACCESS_KEY, SECRET_KEY),
            within=3,
        )
    assert result.status is CheckStatus.FORBIDDEN
    assert "AccessDeniedException" in result.message


async def test_an_api_key_is_not_an_aws_key_pair(upstream: Upstream) -> None:
    result = await check_credential(
        AdapterRegistry().get("bedrock"),
        upstream,
        UpstreamTarget("bedrock", "http://127.0.0.1:9"),
        ApiKey("sk-x"),
        within=3,
    )
    assert result.status is CheckStatus.INVALID
    assert "needs an AWS key pair" in result.message


async def test_a_role_is_assumed_and_its_temporary_keys_sign_the_listing(
    upstream: Upstream,
) -> None:
    external_id = uuid.uuid4().hex
    async with FakeBedrock(
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, assumable_roles={ROLE}
    ) as fake:
        target = _target(fake, role_arn=ROLE, external_id=external_id, sts_url=fake.url + "/")
        result = await check_credential(
            AdapterRegistry().get("bedrock"),
            upstream,
            target,
            AwsKeys(ACCESS_KEY, SECRET_KEY),
            within=3,
        )
        listing = fake.requests_to("/foundation-models")[0]
    assert result.status is CheckStatus.OK, result.message
    assert fake.assumed[0]["RoleArn"] == ROLE
    assert fake.assumed[0]["ExternalId"] == external_id
    (long_term, sts), (temporary, bedrock) = fake.verified
    assert (long_term, sts, bedrock) == (ACCESS_KEY, "sts", "bedrock")
    assert temporary.startswith("ASIA")
    assert listing.headers["x-amz-security-token"].startswith("FwoG")


async def test_an_assumed_role_is_reused_until_it_nears_expiry(upstream: Upstream) -> None:
    clock = Clock()
    adapter = BedrockAdapter(clock)
    async with FakeBedrock(
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, assumable_roles={ROLE}
    ) as fake:
        target = _target(fake, role_arn=ROLE, sts_url=fake.url + "/")
        keys = AwsKeys(ACCESS_KEY, SECRET_KEY)
        await adapter.list_models(upstream, target, keys)
        await adapter.list_models(upstream, target, keys)
        assert len(fake.assumed) == 1
        # The fake's credentials last an hour; 56 minutes on, they are within the margin.
        clock.now += 56 * 60
        await adapter.list_models(upstream, target, keys)
        assert len(fake.assumed) == 2


async def test_a_role_that_cannot_be_assumed_is_forbidden(upstream: Upstream) -> None:
    async with FakeBedrock(
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, assumable_roles=set()
    ) as fake:
        target = _target(fake, role_arn=ROLE, sts_url=fake.url + "/")
        result = await check_credential(
            AdapterRegistry().get("bedrock"),
            upstream,
            target,
            AwsKeys(ACCESS_KEY, SECRET_KEY),
            within=3,
        )
    assert result.status is CheckStatus.FORBIDDEN
    assert "AccessDenied: User is not authorized to perform: sts:AssumeRole" in result.message


async def test_a_converse_call_signed_by_the_adapter_is_accepted(upstream: Upstream) -> None:
    async with FakeBedrock(access_key=ACCESS_KEY, secret_key=SECRET_KEY) as fake:
        target = _target(fake)
        body = b'{"messages": [{"role": "user", "content": [{"text": "hello"}]}]}'
        url = f"{fake.url}/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"
        request = (
            await AdapterRegistry()
            .get("bedrock")
            .authorize(
                upstream,
                target,
                AwsKeys(ACCESS_KEY, SECRET_KEY),
                UpstreamRequest("POST", url, {"Content-Type": "application/json"}, body),
            )
        )
        response = await upstream.send(request)
    assert response.status == 200, response.body
    assert response.json_object()["output"]["message"]["content"] == [
        {"text": "fake reply to: hello"}
    ]


@pytest.mark.parametrize(
    ("base_url", "settings", "region", "control"),
    [
        (
            "https://bedrock-runtime.eu-west-3.amazonaws.com",
            {},
            "eu-west-3",
            "https://bedrock.eu-west-3.amazonaws.com",
        ),
        (
            "https://bedrock-runtime.eu-west-3.amazonaws.com",
            {"region": "us-west-2"},
            "us-west-2",
            "https://bedrock.eu-west-3.amazonaws.com",
        ),
        (
            "https://vpce-1.bedrock.example.internal",
            {},
            "us-east-1",
            "https://vpce-1.bedrock.example.internal",
        ),
    ],
)
def test_region_and_control_plane_come_from_settings_or_the_base_url(
    base_url: str, settings: dict[str, str], region: str, control: str
) -> None:
    target = UpstreamTarget("bedrock", base_url, settings)
    assert region_of(target) == region
    assert control_url(target) == control


def test_the_default_base_url_follows_the_region() -> None:
    assert BedrockAdapter().default_base_url({"region": "ap-south-1"}) == (
        "https://bedrock-runtime.ap-south-1.amazonaws.com"
    )


async def test_settings_stored_under_bedrock_are_read(upstream: Upstream) -> None:
    async with FakeBedrock(
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, region="eu-central-1", assumable_roles={ROLE}
    ) as fake:
        target = UpstreamTarget(
            "bedrock",
            fake.url,
            {"bedrock": {"region": "eu-central-1", "role_arn": ROLE, "sts_url": fake.url + "/"}},
        )
        result = await check_credential(
            AdapterRegistry().get("bedrock"),
            upstream,
            target,
            AwsKeys(ACCESS_KEY, SECRET_KEY),
            within=3,
        )
    assert result.status is CheckStatus.OK, result.message
    assert fake.assumed[0]["RoleArn"] == ROLE


def test_an_anthropic_provider_with_an_aws_key_pair_is_claude_on_bedrock() -> None:
    registry = AdapterRegistry()
    target = UpstreamTarget(
        "anthropic", "https://api.anthropic.com", {"bedrock": {"region": "eu-west-1"}}
    )
    adapter = registry.for_secret("anthropic", AwsKeys(ACCESS_KEY, SECRET_KEY))
    assert adapter is registry.get("bedrock")
    assert registry.for_secret("anthropic", ApiKey("sk-ant")) is registry.get("anthropic")
    assert control_url(target) == "https://bedrock.eu-west-1.amazonaws.com"
    assert AdapterRegistry().get("bedrock").default_base_url(
        {"bedrock": {"region": "eu-west-1"}}
    ) == ("https://bedrock-runtime.eu-west-1.amazonaws.com")
