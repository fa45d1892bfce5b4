"""Hostile input: every answer is a 4xx in Coder's shape, never a 500, and the store stays whole."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.factories import create_provider
from tests.surfaces.coder.support import API, openai_body


def _assert_coder_error(response: httpx.Response, status: int | None = None) -> None:
    assert 400 <= response.status_code < 500, response.text
    if status is not None:
        assert response.status_code == status
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert isinstance(response.json()["message"], str)


async def test_five_megabyte_body_is_413_in_coders_shape(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    huge = (
        b'{"type":"openai","name":"big","base_url":"https://x.test","icon":"'
        + b"a" * 5_000_000
        + b'"}'
    )
    response = await client.post(API, headers=owner, content=huge)
    _assert_coder_error(response, 413)
    await create_provider(client, owner, openai_body())
    patched = await client.patch(f"{API}/openai-main", headers=owner, content=huge)
    _assert_coder_error(patched, 413)
    assert (await client.get(API, headers=owner)).json()[0]["icon"] == ""


async def test_long_names_are_accepted_up_to_the_limit_and_refused_past_it(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    longest = "-".join(["abcdefghi"] * 100)[:1000].rstrip("-")
    created = await create_provider(client, owner, openai_body(longest))
    fetched = await client.get(f"{API}/{longest}", headers=owner)
    assert fetched.json()["id"] == created["id"]
    too_long = await client.post(API, headers=owner, json=openai_body("a" * 1001))
    _assert_coder_error(too_long, 400)
    assert too_long.json()["validations"] == [
        {"field": "name", "detail": "name must be at most 1000 characters"}
    ]
    absurd = await client.post(API, headers=owner, json=openai_body("a" * 500_000))
    _assert_coder_error(absurd, 400)
    lookup = await client.get(f"{API}/{'b' * 20_000}", headers=owner)
    _assert_coder_error(lookup, 404)


@pytest.mark.parametrize(
    "name",
    [
        "ünicode",
        "名前",
        "emoji-🙂",
        "ｆｕｌｌ",
        "zero\u200bwidth",
        "a\u0000b",
        "rtl-\u202egnp",
        "tab\t",
        "İ",
    ],
)
async def test_odd_unicode_names_are_refused_by_the_name_rule(
    client: httpx.AsyncClient, owner: dict[str, str], name: str
) -> None:
    response = await client.post(API, headers=owner, json=openai_body(name))
    _assert_coder_error(response, 400)
    assert response.json()["validations"][0]["field"] == "name"


async def test_odd_unicode_in_free_text_round_trips(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    text = "名前 🙂 \u202eright-to-left \u200b \U0001f600 \x7f"
    created = await create_provider(client, owner, openai_body(display_name=text, icon=text))
    fetched = (await client.get(f"{API}/{created['id']}", headers=owner)).json()
    assert (fetched["display_name"], fetched["icon"]) == (text, text)


async def test_nul_in_free_text_is_a_validation_error_not_a_database_error(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await client.post(API, headers=owner, json=openai_body(display_name="a\x00b"))
    _assert_coder_error(response, 400)
    assert response.json()["validations"] == [
        {"field": "display_name", "detail": "display_name must not contain NUL characters"}
    ]
    await create_provider(client, owner, openai_body())
    patched = await client.patch(f"{API}/openai-main", headers=owner, json={"icon": "\x00"})
    _assert_coder_error(patched, 400)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/ai/providers/..%2F..",
        "/api/v2/ai/providers/..%2F..%2Fusers",
        "/api/v2/ai/providers/%2e%2e",
        "/api/v2/ai/providers/openai-main%2F..%2F..",
        "/api/v2/ai/providers/%252e%252e%252f",
        "/api/v2/ai/providers/openai-main/../../x",
        "/api/v2/ai/providers/a%00b",
    ],
)
async def test_path_traversal_in_id_or_name_is_a_4xx(
    client: httpx.AsyncClient, owner: dict[str, str], path: str
) -> None:
    created = await create_provider(client, owner, openai_body())
    for method in ("GET", "PATCH", "DELETE"):
        body = {"enabled": True} if method == "PATCH" else None
        url = httpx.URL("http://aiport.test").copy_with(raw_path=path.encode())
        response = await client.request(method, url, headers=owner, json=body)
        _assert_coder_error(response)
    assert (await client.get(API, headers=owner)).json() == [created]


async def test_absurd_numbers_are_type_errors(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    for content in (b'{"enabled": 1e999999}', b'{"name": ' + b"9" * 10_000 + b"}"):
        response = await client.post(API, headers=owner, content=content)
        _assert_coder_error(response, 400)
        assert response.json()["message"] == "Request body must be valid JSON."


async def test_more_than_a_hundred_keys_are_refused(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    keys = [f"sk-many-{i:06d}-key" for i in range(101)]
    response = await client.post(API, headers=owner, json=openai_body(api_keys=keys))
    _assert_coder_error(response, 400)
    assert response.json()["validations"] == [
        {"field": "api_keys", "detail": "at most 100 api_keys are allowed"}
    ]


async def test_body_is_read_whatever_the_content_type(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await client.post(
        API,
        headers=owner | {"Content-Type": "text/plain"},
        content=b'{"type":"openai","name":"plain","base_url":"https://x.test"}',
    )
    assert response.status_code == 201


async def test_concurrent_patches_and_a_delete_leave_a_consistent_store(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=["sk-first-0000000000"]))
    path = f"{API}/openai-main"
    requests = [
        client.patch(path, headers=owner, json={"api_keys": [{"api_key": f"sk-new-{i}-000000000"}]})
        for i in range(4)
    ] + [client.delete(path, headers=owner)]
    responses = await asyncio.gather(*requests)
    assert {r.status_code for r in responses} <= {200, 204, 404}
    assert (await client.get(path, headers=owner)).status_code == 404
    assert (await client.get(f"{API}/{created['id']}", headers=owner)).status_code == 404
    assert (await client.get(API, headers=owner)).json() == []


async def test_concurrent_key_replacements_serialise(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body(api_keys=["sk-first-0000000000"]))
    path = f"{API}/openai-main"
    responses = await asyncio.gather(
        *(
            client.patch(
                path, headers=owner, json={"api_keys": [{"api_key": f"sk-rot-{i}-00000000000"}]}
            )
            for i in range(4)
        )
    )
    assert [r.status_code for r in responses] == [200] * 4
    final = (await client.get(path, headers=owner)).json()["api_keys"]
    assert len(final) == 1
    assert final[0] in [r.json()["api_keys"][0] for r in responses]
