"""IBM Watson Personality Insights v3, as its clients expect it: request parsing and answers.

Plain functions (no HTTP): the body and headers in, the texts to analyse out; the engine's
profile in, IBM's `Profile` JSON or CSV out. Keys IBM did not send are left out, so IBM's
SDK models parse the answer; Rapport's additions appear only when asked for.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rapport.insights.content import MAX_BODY_BYTES
from rapport.interactions.transcript import html_to_text

SUPPORTED_INPUT = ("ar", "en", "es", "ja", "ko")  # what IBM accepted as Content-Language
ANALYSED = "en"  # what Rapport's model reads
LOW_WORDS, FULL_WORDS = 600, 1200
FIRST_VERSION_WITH_SIGNIFICANT = "2017-10-13"
DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
FACETS = {  # IBM's CSV columns for facets, which Rapport does not estimate (cells left empty)
    "agreeableness": ["altruism", "cooperation", "modesty", "morality", "sympathy", "trust"],
    "conscientiousness": [
        "achievement_striving", "cautiousness", "dutifulness", "orderliness", "self_discipline",
        "self_efficacy",
    ],
    "extraversion": [
        "activity_level", "assertiveness", "cheerfulness", "excitement_seeking", "friendliness",
        "gregariousness",
    ],
    "neuroticism": [
        "anger", "anxiety", "depression", "immoderation", "self_consciousness", "vulnerability",
    ],
    "openness": [
        "adventurousness", "artistic_interests", "emotionality", "imagination", "intellect",
        "liberalism",
    ],
}  # fmt: skip
CSV_NEEDS = [
    "liberty", "ideal", "love", "practicality", "self_expression", "stability", "structure",
    "challenge", "closeness", "curiosity", "excitement", "harmony",
]  # fmt: skip
CSV_VALUES = [
    "conservation", "hedonism", "openness_to_change", "self_enhancement", "self_transcendence",
]  # fmt: skip


class WatsonError(Exception):
    """An error in IBM's shape: {"code": 400, "error": "...", "help": "..."}."""

    def __init__(self, code: int, error: str) -> None:
        super().__init__(error)
        self.code = code
        self.error = error


@dataclass(frozen=True)
class Options:
    version: str
    raw_scores: bool = False
    csv_headers: bool = False
    rapport_extras: bool = False


@dataclass(frozen=True)
class Input:
    texts: list[str]
    timestamps: list[int]  # `created` of JSON content items, milliseconds since the epoch
    json_as_text: bool = False


def _flag(query: dict[str, str], name: str) -> bool:
    value = query.get(name)
    if value is None or value == "":
        return False
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise WatsonError(400, f"Invalid value '{value}' for query parameter '{name}': "
                           "use true or false.")  # fmt: skip


def options(query: dict[str, str]) -> Options:
    """The query parameters IBM's SDK sends, checked as IBM did."""
    version = query.get("version")
    if not version:
        raise WatsonError(400, "Missing required query parameter 'version' "
                               "(the API version date, e.g. 2017-10-13).")  # fmt: skip
    try:
        datetime.strptime(version, "%Y-%m-%d")
    except ValueError:
        raise WatsonError(400, f"Invalid version '{version}', e.g. 2017-10-13.") from None
    if _flag(query, "consumption_preferences"):
        raise WatsonError(
            400,
            "Consumption preferences are not offered by this service: Rapport profiles "
            "personality, needs and values only. Leave consumption_preferences out or set it "
            "to false.",
        )
    return Options(
        version=version, raw_scores=_flag(query, "raw_scores"),
        csv_headers=_flag(query, "csv_headers"), rapport_extras=_flag(query, "rapport_extras"),
    )  # fmt: skip


def _language(tag: str | None) -> str | None:
    """'en-US' -> 'en' (IBM treated regional variants as their parent language)."""
    if not tag or not tag.strip():
        return None
    return tag.strip().split(",")[0].split(";")[0].strip().split("-")[0].split("_")[0].lower()


def _check_language(language: str) -> None:
    if language not in SUPPORTED_INPUT:
        raise WatsonError(400, f"The content language '{language}' is not supported; "
                               f"supported: {', '.join(SUPPORTED_INPUT)}.")  # fmt: skip
    if language != ANALYSED:
        raise WatsonError(400, f"The content language '{language}' is not supported by this "
                               "service: Rapport's model analyses English (en) text only.")


def response_format(accept: str | None) -> str:
    """'json' or 'csv' from the Accept header, or a 406 naming what can be sent."""
    ranked = []
    for n, part in enumerate((accept or "application/json").split(",")):
        media, *params = (p.strip().lower() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, n, media))
    for neg_q, _, media in sorted(ranked):
        if neg_q == 0:
            break
        if media in ("application/json", "application/*", "*/*", "*"):
            return "json"
        if media in ("text/csv", "text/*"):
            return "csv"
    raise WatsonError(406, f"Cannot answer in '{accept}': send Accept: application/json "
                           "or text/csv.")  # fmt: skip


def _decode(body: bytes, charset: str | None) -> str:
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise WatsonError(400, f"The input is not valid {charset} text.") from None
    try:  # IBM read text without a charset as ISO-8859-1; valid UTF-8 is almost always meant
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("iso-8859-1")


def _items(data: Any, content_language: str | None) -> Input:
    items = data.get("contentItems") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise WatsonError(400, 'Invalid JSON input: expected {"contentItems": [{"content": '
                               '"..."}, ...]} with at least one content item.')  # fmt: skip
    for n, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            raise WatsonError(400, f"Invalid JSON input: contentItems[{n}].content is required "
                                   "and must be a string.")  # fmt: skip
        kind = str(item.get("contenttype") or "text/plain").lower()
        if kind not in ("text/plain", "text/html"):
            raise WatsonError(400, f"Invalid JSON input: contentItems[{n}].contenttype must be "
                                   "text/plain or text/html.")  # fmt: skip
    languages = [_language(str(item.get("language") or "")) or "en" for item in items]
    # Content-Language wins; otherwise the most frequent item language, the first on a tie.
    language = content_language or Counter(languages).most_common(1)[0][0]
    _check_language(language)
    texts, stamps = [], []
    for item, item_language in zip(items, languages, strict=True):
        if item_language != language:  # IBM ignored items in another language
            continue
        html = str(item.get("contenttype") or "").lower() == "text/html"
        texts.append(html_to_text(item["content"]) if html else item["content"])
        created = item.get("created")
        if isinstance(created, int | float) and not isinstance(created, bool):
            stamps.append(int(created))
    return Input(texts=texts, timestamps=stamps)


def parse_input(body: bytes, content_type: str | None, content_language: str | None) -> Input:
    """The texts to analyse from a body as IBM took it: text/plain, text/html or contentItems."""
    if len(body) > MAX_BODY_BYTES:
        raise WatsonError(413, f"The input is larger than {MAX_BODY_BYTES:,} bytes; only the "
                               "first 250 KB are analysed.")  # fmt: skip
    parts = [p.strip() for p in (content_type or "text/plain").split(";")]
    media = parts[0].lower() or "text/plain"
    charsets = [p.split("=", 1)[1].strip('"') for p in parts[1:] if p.lower()[:8] == "charset="]
    language = _language(content_language)
    if media == "application/json":
        try:
            data = json.loads(_decode(body, charsets[0] if charsets else "utf-8"))
        except ValueError:
            raise WatsonError(400, "Invalid JSON input: the body is not valid JSON.") from None
        return _items(data, language)
    if media not in ("text/plain", "text/html"):
        raise WatsonError(415, f"Unsupported Content-Type '{media}': send text/plain, "
                               "text/html or application/json.")  # fmt: skip
    _check_language(language or ANALYSED)
    text = _decode(body, charsets[0] if charsets else None)
    if media == "text/html":
        return Input(texts=[html_to_text(text)], timestamps=[])
    return Input(texts=[text], timestamps=[], json_as_text=_looks_like_json(text))


def _looks_like_json(text: str) -> bool:
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        json.loads(stripped)
    except ValueError:
        return False
    return True


def not_enough_words(word_count: int, minimum: int) -> WatsonError:
    return WatsonError(400, f"The number of words {word_count} is less than the minimum number "
                            f"of words required for analysis: {minimum}")  # fmt: skip


def word_count_message(word_count: int) -> str:
    return (
        f"There were {word_count:,} words in the input. We need a minimum of {LOW_WORDS}, "
        f"preferably {FULL_WORDS:,} or more, to compute statistically significant estimates"
    )


def _trait(trait: dict[str, Any], opts: Options, *, children: bool = False) -> dict[str, Any]:
    out = {k: trait[k] for k in ("trait_id", "name", "category", "percentile")}
    if opts.raw_scores:
        out["raw_score"] = trait["raw_score"]
    if opts.version >= FIRST_VERSION_WITH_SIGNIFICANT:  # the 2016-10-19 API had no such field
        out["significant"] = trait["significant"]
    if children and trait.get("children"):  # never an empty or null list: omitted instead
        out["children"] = [_trait(child, opts) for child in trait["children"]]
    if opts.rapport_extras:
        out.update({k: trait[k] for k in ("indicator", "method", "matched_words") if k in trait})
    return out


def _behavior(timestamps: list[int]) -> list[dict[str, Any]]:
    """Share of the timestamped content items per day of the week and hour of the day (UTC)."""
    moments = [datetime.fromtimestamp(ms / 1000, UTC) for ms in timestamps]
    days = Counter((m.weekday() + 1) % 7 for m in moments)  # Sunday first, as IBM
    hours = Counter(m.hour for m in moments)
    total = len(moments)
    out = [
        {"trait_id": f"behavior_{day}", "name": day.capitalize(), "category": "behavior",
         "percentage": days[n] / total}
        for n, day in enumerate(DAYS)
    ]  # fmt: skip
    for hour in range(24):
        clock = hour % 12 or (12 if hour == 12 else 0)  # IBM's names: "0:00 am" ... "12:00 pm"
        label = f"{clock}:00 {'am' if hour < 12 else 'pm'}"
        out.append({"trait_id": f"behavior_{hour:02d}00", "name": label, "category": "behavior",
                    "percentage": hours[hour] / total})  # fmt: skip
    return out


def profile(
    result: dict[str, Any], given: Input, opts: Options, guidance: list[dict] | None = None
) -> dict[str, Any]:
    """IBM's `Profile` from the engine's result (plus Rapport's extras when asked for)."""
    words = result["word_count"]
    warnings = [
        {"warning_id": w["warning_id"],
         "message": word_count_message(words) if w["warning_id"] == "WORD_COUNT_MESSAGE"
         else w["message"]}
        for w in result["warnings"]
    ]  # fmt: skip
    if given.json_as_text:
        warnings.append({"warning_id": "JSON_AS_TEXT", "message": (
            "The input appears to be JSON but was sent as plain text; it was analysed as "
            "text. Send it as application/json to have its content items read.")})  # fmt: skip
    out: dict[str, Any] = {"word_count": words}
    if words < LOW_WORDS:
        out["word_count_message"] = word_count_message(words)
    out["processed_language"] = result["processed_language"]
    out["personality"] = [_trait(t, opts, children=True) for t in result["personality"]]
    out["needs"] = [_trait(t, opts) for t in result["needs"]]
    out["values"] = [_trait(t, opts) for t in result["values"]]
    if given.timestamps:
        out["behavior"] = _behavior(given.timestamps)
    out["warnings"] = warnings
    if opts.rapport_extras:
        out.update(model_version=result["model_version"], confidence=result["confidence"],
                   evidence=result["evidence"], guidance=guidance or [])  # fmt: skip
    return out


def csv_profile(result: dict[str, Any], given: Input, opts: Options) -> str:
    """IBM's CSV: a fixed set of columns in IBM's order, a header row only with csv_headers.

    Facets are not estimated, so their cells are empty (never a made-up number); behavior
    columns are 0.0 for untimestamped input, as IBM wrote them.
    """
    traits = {t["trait_id"]: t for t in [*result["personality"], *result["needs"],
                                          *result["values"]]}  # fmt: skip
    ids = []
    for dimension, facets in FACETS.items():
        ids += [f"big5_{dimension}", *(f"facet_{f}" for f in facets)]
    ids += [f"need_{n}" for n in CSV_NEEDS] + [f"value_{v}" for v in CSV_VALUES]
    behavior = {b["trait_id"]: b["percentage"] for b in _behavior(given.timestamps)} \
        if given.timestamps else {}  # fmt: skip
    moments = [f"behavior_{d}" for d in DAYS] + [f"behavior_{h:02d}00" for h in range(24)]

    header: list[str] = [*ids]
    row: list[Any] = [traits[i]["percentile"] if i in traits else "" for i in ids]
    header += moments
    row += [behavior.get(m, 0.0) for m in moments]
    header += ["word_count", "processed_language"]
    row += [result["word_count"], result["processed_language"]]
    if opts.raw_scores:
        header += [f"{i}_raw" for i in ids]
        row += [traits[i]["raw_score"] if i in traits else "" for i in ids]
    header += [f"{i}_significant" for i in ids]
    row += [str(traits[i]["significant"]).lower() if i in traits else "" for i in ids]

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if opts.csv_headers:
        writer.writerow(header)
    writer.writerow(row)
    return buffer.getvalue()
