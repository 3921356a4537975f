"""The trained model artifact: loading (cached, numpy only) and scoring."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import text as T
from .features import TfidfSpace, psycho_features
from .lexicon import Matcher

MODEL_DIR = Path(__file__).parent / "model"
MODEL_VERSION = "rapport-insights-en-1.0"
TRAITS = ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"]
COMPONENTS = ["word", "char", "psycho"]


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def ecdf(sorted_ref: np.ndarray, value: float) -> float:
    """Mid-rank empirical CDF, so the population median maps to 0.5."""
    lo = np.searchsorted(sorted_ref, value, side="left")
    hi = np.searchsorted(sorted_ref, value, side="right")
    return float((lo + hi) / (2.0 * len(sorted_ref)))


@dataclass
class Scores:
    """Per-trait outputs of the Big Five model for one text."""

    raw: np.ndarray  # calibrated probability of being above the population median
    percentile: np.ndarray
    word_evidence: list[dict[str, list[str]]]


class Model:
    """Big Five ensemble plus the needs and values lexicons and their reference populations."""

    def __init__(
        self, arrays: dict[str, np.ndarray], meta: dict, metrics: dict | None = None
    ) -> None:
        self.meta = meta
        self.expected_accuracy = _expected_accuracy(metrics or {})
        self.version: str = meta["model_version"]
        self.word = TfidfSpace(
            {t: i for i, t in enumerate(meta["word_terms"])}, arrays["word_idf"], meta["word_terms"]
        )
        self.char = TfidfSpace(
            {t: i for i, t in enumerate(meta["char_terms"])}, arrays["char_idf"], meta["char_terms"]
        )
        self.a = arrays
        self.psycho = Matcher(meta["psycho_lexicon"])
        self.needs = Matcher(meta["needs_lexicon"])
        self.values = Matcher(meta["values_lexicon"])

    @classmethod
    def load(cls, model_dir: Path = MODEL_DIR) -> Model:
        with np.load(model_dir / "model.npz") as npz:
            arrays = {k: npz[k] for k in npz.files}
        meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
        metrics_path = model_dir / "metrics.json"
        metrics = (
            json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.exists() else None
        )
        return cls(arrays, meta, metrics)

    def component_logits(self, toks: list[str]) -> np.ndarray:
        """Decision values, shape (traits, components)."""
        a = self.a
        counts = T.count(toks)
        wi, wv = self.word.transform(T.word_ngrams(toks))
        ci, cv = self.char.transform(T.char_ngrams(toks))
        psy = (psycho_features(toks, counts, self.psycho) - a["psy_mean"]) / a["psy_scale"]
        word = a["word_coef"][:, wi] @ wv
        char = a["char_coef"][:, ci] @ cv
        ps = a["psy_coef"] @ psy
        return np.stack([word, char, ps], axis=1) + a["intercepts"]

    def calibration(self, n_words: int) -> np.ndarray:
        """Platt parameters (traits x 2) for a text of this length.

        Fitted on out-of-fold scores of essays cut to 100/300/600 words and of whole essays
        (about 650 words on average); the nearest length at or below ``n_words`` is used.
        """
        lengths = self.a["calib_lengths"]
        # Geometric midpoints between the measured lengths pick the closest calibration.
        edges = np.sqrt(np.append(lengths[:-1] * lengths[1:], lengths[-1] * 1200))
        i = int(np.searchsorted(edges, n_words, side="right"))
        return self.a["calib"] if i >= len(lengths) else self.a["calib_len"][i]

    def score(self, toks: list[str], top_n: int = 5) -> Scores:
        probs = sigmoid(self.component_logits(toks))
        avg = probs.mean(axis=1)
        # Platt scaling fitted on out-of-fold ensemble outputs, per text length.
        logit = np.log(avg / (1.0 - avg))
        calib = self.calibration(len(toks))
        raw = sigmoid(calib[:, 0] * logit + calib[:, 1])
        pct = np.array([ecdf(self.a["oof_sorted"][k], raw[k]) for k in range(len(TRAITS))])
        return Scores(raw=raw, percentile=pct, word_evidence=self._word_evidence(toks, top_n))

    def _word_evidence(self, toks: list[str], top_n: int) -> list[dict[str, list[str]]]:
        """Per trait, the word n-grams in this text that pushed the score up and down most."""
        wi, wv = self.word.transform(T.word_ngrams(toks))
        out = []
        for k in range(len(TRAITS)):
            contrib = self.a["word_coef"][k, wi] * wv
            order = np.argsort(contrib, kind="stable")
            up = [self.word.terms[wi[j]] for j in order[::-1][:top_n] if contrib[j] > 0]
            down = [self.word.terms[wi[j]] for j in order[:top_n] if contrib[j] < 0]
            out.append({"raising": up, "lowering": down})
        return out


def _expected_accuracy(metrics: dict) -> dict[str, float]:
    """Mean cross-validated accuracy by text length ("100", "300", "600", "full")."""
    traits = metrics.get("traits", {})
    if not traits:
        return {}
    out = {"full": metrics["mean"]["accuracy"]}
    for length in next(iter(traits.values())).get("accuracy_by_length", {}):
        accs = [t["accuracy_by_length"][length] for t in traits.values()]
        out[length] = round(float(np.mean(accs)), 4)
    return out


@lru_cache(maxsize=1)
def get_model() -> Model:
    """The shipped model, loaded once per process."""
    return Model.load(MODEL_DIR)
