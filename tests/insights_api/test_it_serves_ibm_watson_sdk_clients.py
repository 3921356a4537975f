"""Use case: an integrator points code written for IBM Watson Personality Insights (the
official `ibm-watson` SDK) at Rapport, changing only the service URL and the credentials."""

from __future__ import annotations

import httpx
import pytest
from ibm_cloud_sdk_core import ApiException
from ibm_cloud_sdk_core.authenticators import BasicAuthenticator, BearerTokenAuthenticator
from ibm_watson import PersonalityInsightsV3
from ibm_watson.personality_insights_v3 import Content, ContentItem, Profile

from tests.insights_api.helpers import words
from tests.live import served


def _client(base: str, authenticator) -> PersonalityInsightsV3:
    service = PersonalityInsightsV3(version="2017-10-13", authenticator=authenticator)
    service.set_service_url(f"{base}/api/v1/personality")
    return service


def _nulls(value) -> bool:
    if isinstance(value, dict):
        return any(v is None or _nulls(v) for v in value.values())
    if isinstance(value, list):
        return any(_nulls(v) for v in value)
    return value is None


@pytest.fixture
def base(app, enabled):
    with served(app) as url:
        yield url


def test_it_profiles_plain_text_in_ibms_shape(base, bob) -> None:
    service = _client(base, BearerTokenAuthenticator(bob.token))
    answer = service.profile(
        words(700), accept="application/json", content_type="text/plain;charset=utf-8",
        content_language="en-US", accept_language="en", raw_scores=True,
    )  # fmt: skip
    assert answer.get_status_code() == 200
    result = answer.get_result()
    profile = Profile.from_dict(result)  # the SDK's own model parses it
    assert profile.word_count == 700 and profile.processed_language == "en"
    assert [t.trait_id for t in profile.personality] == [
        "big5_openness", "big5_conscientiousness", "big5_extraversion", "big5_agreeableness",
        "big5_neuroticism",
    ]  # fmt: skip
    assert all(0 <= t.percentile <= 1 and t.raw_score is not None for t in profile.personality)
    assert len(profile.needs) == 12 and len(profile.values) == 5
    # Only IBM's keys: no facets list, no nulls, no Rapport extras unless asked for.
    trait = result["personality"][0]
    assert set(trait) == {"trait_id", "name", "category", "percentile", "raw_score",
                          "significant"}  # fmt: skip
    assert set(result) == {"word_count", "processed_language", "personality", "needs",
                           "values", "warnings"}  # fmt: skip
    assert not _nulls(result)
    assert answer.get_headers()["Content-Language"] == "en"


def test_it_reads_content_items_and_reports_behavior(base, bob) -> None:
    service = _client(base, BearerTokenAuthenticator(bob.token))
    sunday_9am = 1_447_578_000_000  # 2015-11-15 09:00 UTC, a Sunday
    items = [
        ContentItem(content=words(150), contenttype="text/plain", language="en",
                    created=sunday_9am, id="1"),
        ContentItem(content=f"<p>{words(150)}</p>", contenttype="text/html", language="en",
                    created=sunday_9am + 86_400_000, id="2", reply=True),
        ContentItem(content="Esto no se analiza.", language="es", id="3"),  # ignored, as IBM
    ]  # fmt: skip
    result = service.profile(Content(content_items=items), accept="application/json").get_result()
    profile = Profile.from_dict(result)
    assert profile.word_count == 300
    assert profile.word_count_message.startswith("There were 300 words in the input.")
    assert "raw_score" not in result["personality"][0]
    behavior = {b.trait_id: b.percentage for b in profile.behavior}
    assert behavior["behavior_sunday"] == 0.5 and behavior["behavior_monday"] == 0.5
    assert behavior["behavior_0900"] == 1.0
    assert [w.warning_id for w in profile.warnings] == ["WORD_COUNT_MESSAGE"]


def test_it_takes_ibms_basic_credentials_with_the_token_as_password(base, bob) -> None:
    service = _client(base, BasicAuthenticator("apikey", bob.token))
    result = service.profile(words(120), accept="application/json").get_result()
    assert result["word_count"] == 120


def test_too_little_text_raises_the_sdks_error_with_ibms_message(base, bob) -> None:
    service = _client(base, BearerTokenAuthenticator(bob.token))
    with pytest.raises(ApiException) as raised:
        service.profile(words(37), accept="application/json", content_type="text/plain")
    assert raised.value.status_code == 400
    assert raised.value.message == (
        "The number of words 37 is less than the minimum number of words required for "
        "analysis: 100"
    )


def test_a_bad_token_is_401(base, bob) -> None:
    for authenticator in (BearerTokenAuthenticator("rpt_not-a-token"),
                          BasicAuthenticator("apikey", "rpt_not-a-token"),
                          BasicAuthenticator("someone", bob.token)):  # fmt: skip
        with pytest.raises(ApiException) as raised:
            _client(base, authenticator).profile(words(200), accept="application/json")
        assert raised.value.status_code == 401


def test_it_answers_csv_as_ibm_did(base, bob) -> None:
    service = _client(base, BearerTokenAuthenticator(bob.token))
    answer = service.profile(words(300), accept="text/csv", csv_headers=True, raw_scores=True)
    lines = answer.get_result().content.decode().splitlines()
    assert len(lines) == 2
    header, row = lines[0].split(","), lines[1].split(",")
    assert len(header) == len(row)
    assert header[:2] == ["big5_agreeableness", "facet_altruism"]
    cells = dict(zip(header, row, strict=True))
    assert cells["word_count"] == "300" and cells["processed_language"] == "en"
    assert cells["facet_altruism"] == ""  # facets are not estimated: left empty, not invented
    assert 0 <= float(cells["big5_openness"]) <= 1 and "big5_openness_raw" in cells
    assert cells["behavior_sunday"] == "0.0"
    plain = service.profile(words(300), accept="text/csv").get_result().content.decode()
    assert plain.count("\n") == 1  # without csv_headers, one row only, as IBM


def test_consumption_preferences_are_refused_clearly(base, bob) -> None:
    service = _client(base, BearerTokenAuthenticator(bob.token))
    with pytest.raises(ApiException) as raised:
        service.profile(words(200), accept="application/json", consumption_preferences=True)
    assert raised.value.status_code == 400
    assert "Consumption preferences are not offered" in raised.value.message


def test_html_is_read_as_text_and_rapport_extras_come_only_when_asked(base, bob) -> None:
    headers = {"Authorization": f"Bearer {bob.token}", "Content-Type": "text/html"}
    url = f"{base}/api/v1/personality/v3/profile"
    html = f"<html><body><h1>Hi</h1><p>{words(200)}</p><script>x()</script></body></html>"
    plain = httpx.post(url, params={"version": "2017-10-13"}, content=html, headers=headers)
    assert plain.status_code == 200, plain.text
    assert plain.json()["word_count"] == 201
    extras = httpx.post(url, params={"version": "2017-10-13", "rapport_extras": "true"},
                        content=html, headers=headers).json()  # fmt: skip
    assert extras["model_version"] and extras["confidence"]["level"] == "low"
    assert "evidence" in extras and "guidance" in extras
    assert {"model_version", "confidence"}.isdisjoint(plain.json())
    as_text = httpx.post(url, params={"version": "2017-10-13"}, headers={**headers,
                         "Content-Type": "text/plain"}, content=f'["{words(150)}"]')  # fmt: skip
    assert as_text.json()["warnings"][-1]["warning_id"] == "JSON_AS_TEXT"


def test_errors_come_in_ibms_shape(base, bob, db, enabled) -> None:
    url = f"{base}/api/v1/personality/v3/profile"
    auth = {"Authorization": f"Bearer {bob.token}"}
    csv_only = httpx.post(url, params={"version": "2017-10-13"}, content=words(200),
                          headers={**auth, "Accept": "application/xml"})  # fmt: skip
    assert csv_only.status_code == 406
    assert set(csv_only.json()) == {"code", "error", "help"} and csv_only.json()["code"] == 406
    no_version = httpx.post(url, content=words(200), headers=auth)
    assert no_version.status_code == 400 and "version" in no_version.json()["error"]
    spanish = httpx.post(url, params={"version": "2017-10-13"}, content=words(200),
                         headers={**auth, "Content-Language": "es"})  # fmt: skip
    assert spanish.status_code == 400 and "English (en) text only" in spanish.json()["error"]
    enabled.personality_insights_enabled = False
    db.commit()
    off = httpx.post(url, params={"version": "2017-10-13"}, content=words(200), headers=auth)
    assert off.status_code == 403 and off.json()["code"] == 403
