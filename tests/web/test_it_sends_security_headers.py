"""Every answer carries the security headers; pages have no inline script or style, so the
Content-Security-Policy needs no 'unsafe-inline'."""

import re
from pathlib import Path

import rapport
from tests.web.helpers import signed_in

TEMPLATES = Path(rapport.__file__).parent


def _directives(response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {d.split()[0]: d for d in (p.strip() for p in policy.split(";")) if d}


def _assert_hardened(response) -> None:
    directives = _directives(response)
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["img-src"] == "img-src 'self' data:"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_pages_and_api_answers_are_hardened_and_not_cached(app, alice, anonymous):
    ui = signed_in(app, alice)
    for response in (
        ui.get("/contacts"),
        ui.get("/settings/users"),
        alice.client.get("/api/v1/contacts"),
        alice.client.get("/api/v1/me"),
        anonymous.get("/login"),
        anonymous.get("/api/v1/contacts"),  # 401
        anonymous.get("/contacts", follow_redirects=False),  # 303
    ):
        _assert_hardened(response)
        assert response.headers["cache-control"] == "no-store", response.request.url


def test_static_files_may_be_cached(anonymous):
    response = anonymous.get("/static/app.js")
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in response.headers.get("cache-control", "")


def test_no_template_has_inline_script_handlers_or_styles():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"\sstyle\s*=",
                        r"<style", r"javascript:"):  # fmt: skip
            offenders += [f"{template.name}: {m}" for m in re.findall(pattern, text)]
    assert offenders == []


def test_the_api_documentation_gets_a_policy_of_its_own(anonymous):
    response = anonymous.get("/docs")
    assert response.status_code == 200
    directives = _directives(response)
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    assert inline, "the Swagger UI page starts itself with an inline script"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'sha256-" in directives["script-src"]
    assert "https://cdn.jsdelivr.net" in directives["script-src"]
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert "cdn.jsdelivr" not in anonymous.get("/contacts").headers["content-security-policy"]
