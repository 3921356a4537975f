"""Sample texts for the insights tests (written for these tests, not from the corpus)."""

from __future__ import annotations

OUTGOING = (
    "Tonight we are going to a huge party with all my friends and I can't wait. "
    "I love meeting new people and talking to everyone, it is so much fun. "
    "Last weekend we went dancing downtown and laughed the whole night. "
    "My roommate and I are always out, we hang out with a big group of guys and girls. "
    "I am so excited about the football game on Saturday, everyone is coming with us. "
    "Being around people gives me energy and I love to make them laugh. "
    "We should all go out again soon, it was awesome and amazing. "
)

WITHDRAWN = (
    "I am sitting alone in my room again and I don't really know what to write. "
    "I feel tired and I would rather stay home and read a book by myself. "
    "I don't like crowds, they make me nervous and I never know what to say. "
    "Sometimes I wonder if anyone notices me at all, I just stay quiet. "
    "I worry about my classes and I keep thinking about the test next week. "
    "It is quiet here and I prefer it that way, I don't want to go anywhere. "
    "I guess I will just sleep early tonight. "
)


def words(text: str, n: int) -> str:
    """Repeat ``text`` and cut to exactly ``n`` whitespace-separated words."""
    base = text.split()
    out = (base * (n // len(base) + 1))[:n]
    return " ".join(out)
