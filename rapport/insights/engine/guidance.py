"""Plain-language tips for a contact-center agent, each traceable to one trait."""

from __future__ import annotations

HIGH, LOW = 0.65, 0.35  # percentiles beyond which a trait is distinctive enough to act on

TIPS: dict[str, dict[str, str]] = {
    "big5_openness": {
        "high": "Explain the why and offer options; they welcome new ideas over a script.",
        "low": "Stick to familiar, proven solutions and give concrete examples.",
    },
    "big5_conscientiousness": {
        "high": "Be precise and give the details in writing; follow up exactly when promised.",
        "low": "Keep it simple: one clear next step, and take care of the follow-up for them.",
    },
    "big5_extraversion": {
        "high": "Be lively and conversational; a call may land better than an email.",
        "low": "Get to the point and give them time to think; writing may suit them better.",
    },
    "big5_agreeableness": {
        "high": "Show warmth first and acknowledge them before moving to the solution.",
        "low": "Be direct and factual; lead with the facts and the options, not small talk.",
    },
    "big5_neuroticism": {
        "high": "Reassure early: say calmly what happens next and when.",
        "low": "Stay matter-of-fact; they are likely to take a setback in their stride.",
    },
}

CAVEAT = (
    "Tentative: based on little text (under 600 words), so treat this as a hint and "
    "follow the person's lead."
)


def guidance(profile: dict) -> list[dict]:
    """Three to five tips (fewer, and flagged tentative, when confidence is low).

    Each tip carries the ``trait_id`` and percentile that produced it. Only traits that stand
    out from the population produce a tip; ties are broken by trait order, so output is stable.
    """
    level = profile.get("confidence", {}).get("level", "low")
    tentative = level in ("none", "low")
    traits = [t for t in profile.get("personality", []) if t["trait_id"] in TIPS]
    ranked = sorted(traits, key=lambda t: -abs(t["percentile"] - 0.5))
    limit = 3 if tentative else 5
    tips = []
    for trait in ranked:
        pct = trait["percentile"]
        strong = pct >= HIGH or pct <= LOW
        # Fill up to three tips with the next most distinctive traits, marked as weaker.
        if not strong and (len(tips) >= 3 or tentative):
            continue
        direction = "high" if pct >= 0.5 else "low"
        tips.append(
            {
                "trait_id": trait["trait_id"],
                "direction": direction,
                "percentile": pct,
                "text": TIPS[trait["trait_id"]][direction],
                "strength": "tentative" if tentative else ("clear" if strong else "weak"),
                **({"note": CAVEAT} if tentative else {}),
            }
        )
        if len(tips) >= limit:
            break
    return tips
