"""Small word-category lexicons and a matcher.

Categories are hand-curated, LIWC-style psycholinguistic groups (not the proprietary LIWC
dictionary). A trailing ``*`` matches any word with that prefix ("happ*" matches "happily").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

# Psycholinguistic categories used as features for the Big Five model.
CATEGORIES: dict[str, str] = {
    "i": "i me my mine myself i'm i've i'll i'd",
    "we": "we us our ours ourselves we're we've we'll",
    "you": "you your yours yourself you're you've you'll ya",
    "social": "friend* talk* party parties people guy* girl* roommate* everyone everybody "
    "together meet* hang* call* phone* date* dating boyfriend* girlfriend*",
    "family": "mom* dad* mother* father* brother* sister* family famil* parent* grand* "
    "aunt* uncle* cousin*",
    "posemo": "happ* love* loving good great fun* glad nice awesome excit* enjoy* laugh* "
    "wonderful best beautiful smil* cool amazing like* hope* proud",
    "negemo": "sad* hate* hating bad awful terribl* horribl* angry anger* upset* hurt* "
    "cry* crying lonel* miserabl* stupid suck* worst annoy*",
    "anxiety": "worr* nervous* anxi* afraid scare* fear* stress* panic* tense* unsure "
    "overwhelm* insecur*",
    "anger": "hate* angry mad pissed annoy* frustrat* damn* kill* fight* irritat* rage*",
    "sadness": "sad* cry* crying depress* lonel* miss missed missing grief sorrow* tear* "
    "unhapp* lost",
    "tentative": "maybe perhaps guess* probably possibl* seem* wonder* unsure somewhat "
    "sort kind might apparently",
    "certainty": "always never definitely certain* sure absolutely clearly total* "
    "completely everything nothing must",
    "cogmech": "think* know* because cause* reason* understand* realiz* consider* believ* "
    "mean* question* idea* therefore",
    "negate": "no not never don't can't won't didn't isn't wasn't nothing nobody none "
    "doesn't couldn't shouldn't",
    "swear": "damn* hell shit* fuck* crap* ass bitch* bastard*",
    "work": "work* class* study* studying school* homework* test* exam* grade* professor* "
    "assignment* college* job* major",
    "achieve": "achiev* goal* success* win* won accomplish* effort* best better improv* "
    "plan* organiz* finish* complet*",
    "leisure": "music song* band* movie* tv game* play* sport* football* weekend* "
    "danc* read* book*",
    "art": "art* paint* draw* poem* poet* writ* novel* creativ* imagin* theat* sing* "
    "guitar* piano* philosoph* culture*",
    "body": "body tired sleep* eat* hungry head* hair* face* eye* hand* sick* ache*",
    "future": "will gonna going tomorrow soon future later next plan*",
    "past": "was were had did went used yesterday ago remember*",
    "religion": "god* church* pray* relig* faith* jesus bible* spirit* soul* christ*",
}


def parse_lexicon(spec: Mapping[str, str | Iterable[str]]) -> dict[str, list[str]]:
    """Turn ``{category: "w1 w2 pre*"}`` (or word lists) into ``{category: [patterns]}``."""
    out: dict[str, list[str]] = {}
    for name, words in spec.items():
        items = words.split() if isinstance(words, str) else list(words)
        out[name] = sorted({w.lower() for w in items})
    return out


class Matcher:
    """Counts, per category, the tokens matching its exact words or ``prefix*`` patterns."""

    def __init__(self, lexicon: Mapping[str, list[str]]) -> None:
        self.names = list(lexicon)
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        for idx, name in enumerate(self.names):
            for pat in lexicon[name]:
                table = self._prefix if pat.endswith("*") else self._exact
                table.setdefault(pat.rstrip("*"), []).append(idx)
        self._max_prefix = max((len(p) for p in self._prefix), default=0)

    def categories_of(self, token: str) -> set[int]:
        found = set(self._exact.get(token, ()))
        for n in range(1, min(len(token), self._max_prefix) + 1):
            found.update(self._prefix.get(token[:n], ()))
        return found

    def counts(self, counts: Counter[str]) -> tuple[list[float], list[Counter[str]]]:
        """Per category: total matching tokens, and which words matched (the evidence)."""
        totals = [0.0] * len(self.names)
        evidence: list[Counter[str]] = [Counter() for _ in self.names]
        for tok, n in counts.items():
            for idx in self.categories_of(tok):
                totals[idx] += n
                evidence[idx][tok] += n
        return totals, evidence
