"""The pure field rules, where Go's behaviour is subtle."""

from __future__ import annotations

import pytest

from aiport.providers.validation import (
    base_url_problems,
    go_quote,
    go_trim_space,
    is_name,
    role_arn_problems,
    text_problems,
)


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("plain", '"plain"'),
        ('a"b\\c', '"a\\"b\\\\c"'),
        ("tab\there\n", '"tab\\there\\n"'),
        ("\x01", '"\\x01"'),
        ("ü🙂", '"ü🙂"'),
        ("\u202e", '"\\u202e"'),
    ],
)
def test_go_quote_matches_gos_percent_q(value: str, quoted: str) -> None:
    assert go_quote(value) == quoted


def test_go_trim_space_keeps_the_ascii_separators_python_would_strip() -> None:
    assert go_trim_space("\u00a0 key\t\n") == "key"
    assert go_trim_space("\x1ckey\x1f") == "\x1ckey\x1f"


@pytest.mark.parametrize("name", ["a", "openai", "a-b-c", "0", "x1-y2"])
def test_names_that_match_the_rule(name: str) -> None:
    assert is_name(name)


@pytest.mark.parametrize("name", ["", "A", "a_b", "-a", "a-", "a--b", "a\n", "ä"])
def test_names_that_do_not(name: str) -> None:
    assert not is_name(name)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.openai.com/v1",
        "http://localhost:11434",
        "http://[::1]",
        "https://h:",
        "https://user:pw@h.test/p?q=%zz",
        "http://ünï.test/",
    ],
)
def test_base_urls_go_accepts(url: str) -> None:
    assert base_url_problems(url) == []


@pytest.mark.parametrize(
    "url",
    [
        "x",
        "/v1",
        "https//x",
        "https://",
        "http://h:port",
        "http://[::1",
        "http://a b",
        "http://h/%zz",
        "\thttps://x.test",
        "https://x.test/\n",
    ],
)
def test_base_urls_go_refuses(url: str) -> None:
    [problem] = base_url_problems(url)
    assert problem.detail.startswith("base_url must be an absolute URL")


def test_role_arn_needs_six_sections_iam_and_a_role() -> None:
    assert role_arn_problems("") == []
    assert role_arn_problems("arn:aws-cn:iam::1:role/path/R") == []
    assert "not a valid ARN" in role_arn_problems("arn:aws:iam:1:role/R")[0].detail
    assert "service" in role_arn_problems("arn:aws:sts::1:role/R")[0].detail


def test_text_must_be_storable() -> None:
    assert text_problems("icon", "🙂") == []
    assert text_problems("icon", "a\x00")[0].detail == "icon must not contain NUL characters"
    assert text_problems("icon", "\ud800")[0].detail == "icon must be valid Unicode text"
