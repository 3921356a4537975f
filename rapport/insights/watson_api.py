"""`POST /api/v1/personality/v3/profile`: IBM Watson Personality Insights v3, drop-in.

Clients written for IBM's service (its `ibm-watson` SDK, or plain HTTP) keep working with the
service URL `https://HOST/api/v1/personality`. Everything on this route speaks IBM's dialect,
errors included (`{"code": 400, "error": "...", "help": "..."}`), so it handles its own
authentication instead of relying on the API's shared error handler.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBasic, HTTPBearer

from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import DomainError
from rapport.insights import engine, service, watson
from rapport.insights.watson_schemas import WatsonErrorOut, WatsonProfile
from rapport.users import service as users_service


class _DeclaredBearer(HTTPBearer):
    """Declares the scheme in OpenAPI; the header is read by `watson_principal`."""

    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        return None


class _DeclaredBasic(HTTPBasic):
    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        return None


SECURITY = [
    Depends(_DeclaredBearer(scheme_name="HTTPBearer")),
    Depends(_DeclaredBasic(scheme_name="HTTPBasic", description=(
        "IBM's style: user `apikey`, password an API token created by an administrator."))),
]  # fmt: skip


def _error(e: type[WatsonErrorOut], text: str) -> dict:
    return {"model": e, "description": text}


router = APIRouter(
    prefix="/api/v1/personality",
    tags=["personality insights (IBM Watson v3 compatible)"],
    dependencies=SECURITY,
    responses={
        400: _error(WatsonErrorOut, "Under 100 words, a missing `version`, a language other "
                    "than English, `consumption_preferences=true`, or unreadable input."),
        401: _error(WatsonErrorOut, "Missing, invalid or revoked API token."),
        403: _error(WatsonErrorOut, "Personality Insights is disabled for the tenant."),
        406: _error(WatsonErrorOut, "Accept is neither application/json nor text/csv."),
        413: _error(WatsonErrorOut, "More than 1 MB posted."),
        415: _error(WatsonErrorOut, "Content-Type is not text/plain, text/html or JSON."),
    },
)  # fmt: skip

_CONTENT_ITEM = {
    "type": "object",
    "required": ["content"],
    "properties": {
        "content": {"type": "string"},
        "id": {"type": "string"},
        "created": {"type": "integer", "description": "Milliseconds since the epoch."},
        "updated": {"type": "integer"},
        "contenttype": {"type": "string", "enum": ["text/plain", "text/html"]},
        "language": {"type": "string", "enum": ["ar", "en", "es", "ja", "ko"]},
        "parentid": {"type": "string"},
        "reply": {"type": "boolean"},
        "forward": {"type": "boolean"},
    },
}
_FLAG = {"type": "boolean", "default": False}
OPENAPI = {
    "parameters": [
        {"name": "version", "in": "query", "required": True,
         "schema": {"type": "string", "format": "date", "example": "2017-10-13"},
         "description": "IBM's API version date; `2017-10-13` (before it, no `significant`)."},
        {"name": "raw_scores", "in": "query", "schema": _FLAG,
         "description": "Add `raw_score` to every trait."},
        {"name": "csv_headers", "in": "query", "schema": _FLAG,
         "description": "With `Accept: text/csv`, a header row before the result row."},
        {"name": "consumption_preferences", "in": "query", "schema": _FLAG,
         "description": "Not offered: `true` answers 400."},
        {"name": "rapport_extras", "in": "query", "schema": _FLAG,
         "description": "Add Rapport's `model_version`, `confidence`, `evidence`, `guidance`."},
        {"name": "Content-Language", "in": "header", "schema": {"type": "string"},
         "description": "Language of the input (`en`, `en-US`); others answer 400."},
        {"name": "Accept-Language", "in": "header", "schema": {"type": "string"},
         "description": "Accepted; trait names are always English (`Content-Language: en`)."},
    ],
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "application/json": {"schema": {
                "type": "object", "required": ["contentItems"],
                "properties": {"contentItems": {"type": "array", "items": _CONTENT_ITEM}},
            }},
        },
    },
}  # fmt: skip


def _ibm_error(request: Request, code: int, error: str) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Basic realm="Rapport"'} if code == 401 else None
    body = {"code": code, "error": error, "help": f"{request.base_url}docs"}
    return JSONResponse(body, status_code=code, headers=headers)


def _token(authorization: str | None) -> str | None:
    """The Rapport token from `Bearer <token>` or Basic `apikey:<token>`."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, _, password = decoded.partition(":")
        return password if user == "apikey" and password else None
    return None


def watson_principal(request: Request, db: DbSession) -> Principal | watson.WatsonError:
    """The caller, or the error to answer in IBM's shape (never raised: see the module)."""
    token = _token(request.headers.get("authorization"))
    if token is None:
        return watson.WatsonError(401, "Unauthorized: send 'Authorization: Bearer <token>' or "
                                       "HTTP Basic with user 'apikey' and the token as password.")
    try:
        api_token, user, tenant = users_service.authenticate_token(db=db, secret=token)
        service.ensure_enabled(tenant)
    except DomainError as exc:
        return watson.WatsonError(exc.status_code, exc.message)
    return Principal(tenant=tenant, user=user, via="api", token_id=api_token.id)


def _analyze(given: watson.Input) -> dict | watson.WatsonError:
    try:
        return service.analyze(given.texts)
    except engine.NotEnoughText as exc:
        return watson.not_enough_words(exc.word_count, exc.word_count + exc.words_needed)


@router.post(
    "/v3/profile",
    response_model=None,
    responses={200: {
        "model": WatsonProfile,
        "description": "IBM's `Profile` (JSON), or with `Accept: text/csv` IBM's CSV columns.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }},
    openapi_extra=OPENAPI,
)  # fmt: skip
async def watson_profile(
    request: Request,
    caller: Annotated[Principal | watson.WatsonError, Depends(watson_principal)],
) -> Response:
    """IBM Watson Personality Insights v3 `profile`, for IBM's SDKs and existing code: set the
    service URL to `https://HOST/api/v1/personality` and authenticate with a Rapport API token
    (`BearerTokenAuthenticator(token)`, or `BasicAuthenticator("apikey", token)`).

    Takes `text/plain`, `text/html` (text extracted) or `application/json`
    `{"contentItems": [...]}` as IBM did, and answers IBM's `Profile`: Big Five (no facets),
    needs and values, `raw_score` only with `raw_scores=true`, `behavior` for timestamped
    content items. English only. Errors come in IBM's shape, e.g. under 100 words:
    `{"code": 400, "error": "The number of words 37 is less than the minimum number of words
    required for analysis: 100", "help": "..."}`. Nothing is stored."""
    try:
        if isinstance(caller, watson.WatsonError):
            raise caller
        opts = watson.options(dict(request.query_params))
        answer = watson.response_format(request.headers.get("accept"))
        given = watson.parse_input(
            await request.body(), request.headers.get("content-type"),
            request.headers.get("content-language"),
        )  # fmt: skip
        # Analysis is CPU work (about 5 ms per 1,000 words): keep it off the event loop.
        result = await run_in_threadpool(_analyze, given)
        if isinstance(result, watson.WatsonError):
            raise result
    except watson.WatsonError as exc:
        return _ibm_error(request, exc.code, exc.error)
    headers = {"Content-Language": "en"}
    if answer == "csv":
        body = watson.csv_profile(result, given, opts)
        return Response(body, media_type="text/csv", headers=headers)
    tips = engine.guidance(result) if opts.rapport_extras else None
    return JSONResponse(watson.profile(result, given, opts, tips), headers=headers)
