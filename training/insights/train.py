"""Rebuild the Big Five model from the essays corpus, with cross-validated metrics.

Needs scikit-learn (the project's ``train`` extra); the artifacts it writes need only numpy.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

from rapport.insights.engine import text as T
from rapport.insights.engine.features import psycho_feature_names, psycho_features, psycho_matcher
from rapport.insights.engine.indicators import rates
from rapport.insights.engine.lexicon import CATEGORIES, Matcher, parse_lexicon
from rapport.insights.engine.model import (
    COMPONENTS,
    MODEL_DIR,
    MODEL_VERSION,
    TRAITS,
    Model,
    sigmoid,
)
from rapport.insights.engine.needs_values import NEEDS, VALUE_GROUPS
from training.insights.evaluate import calibration_report, fit_platt, majority_baseline

COLUMNS = {
    "openness": "cOPN",
    "conscientiousness": "cCON",
    "extraversion": "cEXT",
    "agreeableness": "cAGR",
    "neuroticism": "cNEU",
}
# Fixed for all traits (not tuned per trait, which would overfit the CV estimate).
WORD = {"min_df": 3, "max_features": 40_000, "C": 1.0}
CHAR = {"min_df": 5, "max_features": 40_000, "C": 1.0}
PSYCHO_C = 0.01
LENGTHS = [100, 300, 600]  # truncated-text evaluation

Progress = Callable[[str, int, int], None]


def _identity(items: list[str]) -> list[str]:
    return items


def load_essays(path: Path) -> tuple[list[str], np.ndarray]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    y = np.array([[r[COLUMNS[t]].strip().lower() == "y" for t in TRAITS] for r in rows], int)
    return [r["text"] for r in rows], y


class _Views:
    """Precomputed token views of a corpus (word n-grams, char n-grams, psycho features)."""

    def __init__(self, toks: list[list[str]], matcher: Matcher) -> None:
        self.toks = toks
        self.words = [T.word_ngrams(t) for t in toks]
        self.chars = [T.char_ngrams(t) for t in toks]
        self.psycho = np.array([psycho_features(t, T.count(t), matcher) for t in toks])

    def take(self, idx: np.ndarray) -> tuple[list, list, np.ndarray]:
        return [self.words[i] for i in idx], [self.chars[i] for i in idx], self.psycho[idx]


class _Fitted:
    """One fitted ensemble (vectorisers, scaler, 3 x 5 logistic regressions)."""

    def __init__(self, words: list, chars: list, psycho: np.ndarray, y: np.ndarray) -> None:
        def vec(cfg: dict) -> TfidfVectorizer:
            return TfidfVectorizer(
                analyzer=_identity,
                sublinear_tf=True,
                min_df=cfg["min_df"],
                max_features=cfg["max_features"],
                dtype=np.float64,
            )

        self.wv, self.cv = vec(WORD).fit(words), vec(CHAR).fit(chars)
        self.scaler = StandardScaler().fit(psycho)
        xs = self._design(words, chars, psycho)
        cs = [WORD["C"], CHAR["C"], PSYCHO_C]
        self.models = [
            [
                LogisticRegression(C=c, max_iter=3000).fit(x, y[:, k])
                for x, c in zip(xs, cs, strict=True)
            ]
            for k in range(len(TRAITS))
        ]

    def _design(self, words: list, chars: list, psycho: np.ndarray) -> list:
        return [self.wv.transform(words), self.cv.transform(chars), self.scaler.transform(psycho)]

    def probs(self, words: list, chars: list, psycho: np.ndarray) -> np.ndarray:
        """Component probabilities, shape (n, traits, components)."""
        xs = self._design(words, chars, psycho)
        return np.stack(
            [
                np.stack([m.predict_proba(x)[:, 1] for m, x in zip(ms, xs, strict=True)], axis=1)
                for ms in self.models
            ],
            axis=1,
        )


def _values_lexicon(model_dir: Path) -> tuple[dict[str, list[str]], str]:
    """Higher-order value word lists from pyvalues' English dictionary (MIT).

    Falls back to the lists already in the shipped model so retraining works without pyvalues.
    """
    spec = importlib.util.find_spec("pyvalues")
    if spec and spec.submodule_search_locations:
        base = Path(next(iter(spec.submodule_search_locations)))
        path = base / "assets" / "dictionaries" / "20221007" / "en.json"
        basic = json.loads(path.read_text(encoding="utf-8"))
        lex = {
            g: sorted({w.lower() for b in cfg["basic"] for w in basic[b]})  # type: ignore[attr-defined]
            for g, cfg in VALUE_GROUPS.items()
        }
        return lex, "pyvalues (MIT), assets/dictionaries/20221007/en.json"
    shipped = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
    return shipped["values_lexicon"], shipped["values_source"]


def _reference(toks: list[list[str]], matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    """Population mean rate per category and the sorted smoothed rates (for percentiles)."""
    counts = [T.count(t) for t in toks]
    raw = np.array(
        [rates(c, len(t), matcher, None).rates for c, t in zip(counts, toks, strict=True)]
    )
    prior = raw.mean(axis=0)
    smooth = np.array(
        [rates(c, len(t), matcher, prior).rates for c, t in zip(counts, toks, strict=True)]
    )
    return prior, np.sort(smooth, axis=0).T


def train(
    data_path: Path,
    out_dir: Path,
    *,
    folds: int = 5,
    seed: int = 0,
    progress: Progress | None = None,
    limit: int | None = None,
) -> dict:
    """Cross-validate, fit on all data and write ``model.npz``, ``model.json``, ``metrics.json``.

    ``limit`` keeps only the first N essays (for quick tests). Returns the metrics dict.
    """
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    texts, y = load_essays(Path(data_path))
    if limit:
        texts, y = texts[:limit], y[:limit]
    total = folds + 2
    report("tokenising", 0, total)
    toks = [T.tokens(T.truncate(t)[0]) for t in texts]
    matcher = psycho_matcher()
    views = _Views(toks, matcher)
    n = len(texts)

    strata = _strata(y, folds)
    oof = np.zeros((n, len(TRAITS), len(COMPONENTS)))
    short = {m: np.zeros((n, len(TRAITS))) for m in LENGTHS}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for f, (tr, te) in enumerate(splitter.split(np.zeros(n), strata)):
        report(f"cross-validation fold {f + 1}/{folds}", f + 1, total)
        fitted = _Fitted(*views.take(tr), y[tr])
        oof[te] = fitted.probs(*views.take(te))
        for m in LENGTHS:
            cut = _Views([toks[i][:m] for i in te], matcher)
            short[m][te] = fitted.probs(cut.words, cut.chars, cut.psycho).mean(axis=2)

    ens = oof.mean(axis=2)
    calib = np.array([fit_platt(ens[:, k], y[:, k]) for k in range(len(TRAITS))])
    cal = sigmoid(calib[:, 0] * np.log(ens / (1 - ens)) + calib[:, 1])
    metrics = _metrics(y, oof, ens, cal, short, strata, folds, seed)
    # Short texts give noisier scores: a separate calibration per length shrinks them honestly.
    calib_len = np.array(
        [
            [
                fit_platt(np.clip(short[m][:, k], 1e-6, 1 - 1e-6), y[:, k])
                for k in range(len(TRAITS))
            ]
            for m in LENGTHS
        ]
    )
    metrics["calibration_slope_by_length"] = {
        str(m): [round(float(a), 3) for a in calib_len[i, :, 0]] for i, m in enumerate(LENGTHS)
    }
    metrics["calibration_slope_by_length"]["full"] = [round(float(a), 3) for a in calib[:, 0]]

    report("fitting final model", folds + 1, total)
    final = _Fitted(views.words, views.chars, views.psycho, y)
    values_lex, values_source = _values_lexicon(MODEL_DIR)
    needs_lex = parse_lexicon({k: v["words"] for k, v in NEEDS.items()})
    needs_prior, needs_ref = _reference(toks, Matcher(needs_lex))
    values_prior, values_ref = _reference(toks, Matcher(values_lex))

    arrays = {
        "word_idf": final.wv.idf_,
        "char_idf": final.cv.idf_,
        "word_coef": np.stack([ms[0].coef_[0] for ms in final.models]).astype(np.float32),
        "char_coef": np.stack([ms[1].coef_[0] for ms in final.models]).astype(np.float32),
        "psy_coef": np.stack([ms[2].coef_[0] for ms in final.models]),
        "psy_mean": final.scaler.mean_,
        "psy_scale": final.scaler.scale_,
        "intercepts": np.array([[m.intercept_[0] for m in ms] for ms in final.models]),
        "calib": calib,
        "calib_len": calib_len,
        "calib_lengths": np.array(LENGTHS),
        "oof_sorted": np.sort(cal, axis=0).T,
        "needs_prior": needs_prior,
        "needs_ref": needs_ref,
        "values_prior": values_prior,
        "values_ref": values_ref,
    }
    meta = {
        "model_version": MODEL_VERSION,
        "traits": TRAITS,
        "components": COMPONENTS,
        "word_terms": _terms(final.wv),
        "char_terms": _terms(final.cv),
        "psycho_features": psycho_feature_names(),
        "psycho_lexicon": parse_lexicon(CATEGORIES),
        "needs_lexicon": needs_lex,
        "values_lexicon": values_lex,
        "values_source": values_source,
        "hyperparameters": {"word": WORD, "char": CHAR, "psycho_C": PSYCHO_C},
        "training_essays": n,
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / "model.npz", **arrays)
    # Key order is meaningful (it matches the array columns), so never sort keys.
    (out_dir / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    _check_runtime(out_dir, final, views, min(n, 20))
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    report("done", total, total)
    return metrics


def _strata(y: np.ndarray, folds: int) -> np.ndarray:
    """Stratify on the joint five-trait label pattern, so every fold keeps each trait's balance.

    Small subsets fall back to the number of positive traits, then to no stratification.
    """
    for strata in (y @ (2 ** np.arange(y.shape[1])), y.sum(axis=1)):
        if (
            np.bincount(strata).max()
            and np.bincount(strata)[np.bincount(strata) > 0].min() >= folds
        ):
            return strata
    return np.zeros(len(y), dtype=int)


def _terms(vec: TfidfVectorizer) -> list[str]:
    terms = [""] * len(vec.vocabulary_)
    for term, i in vec.vocabulary_.items():
        terms[i] = term
    return terms


def _metrics(
    y: np.ndarray,
    oof: np.ndarray,
    ens: np.ndarray,
    cal: np.ndarray,
    short: dict[int, np.ndarray],
    strata: np.ndarray,
    folds: int,
    seed: int,
) -> dict:
    per_trait = {}
    for k, trait in enumerate(TRAITS):
        comps = {
            c: round(float(((oof[:, k, j] > 0.5) == y[:, k]).mean()), 4)
            for j, c in enumerate(COMPONENTS)
        }
        per_trait[trait] = {
            "accuracy": round(float(((ens[:, k] > 0.5) == y[:, k]).mean()), 4),
            "majority_baseline": majority_baseline(y[:, k], strata, folds, seed),
            "components": comps,
            "accuracy_by_length": {
                str(m): round(float(((short[m][:, k] > 0.5) == y[:, k]).mean()), 4) for m in LENGTHS
            },
            **calibration_report(cal[:, k], y[:, k]),
        }
    mean = {
        key: round(float(np.mean([v[key] for v in per_trait.values()])), 4)
        for key in ("accuracy", "majority_baseline", "brier", "ece")
    }
    return {
        "model_version": MODEL_VERSION,
        "essays": int(len(y)),
        "folds": folds,
        "seed": seed,
        "traits": per_trait,
        "mean": mean,
    }


def _check_runtime(out_dir: Path, final: _Fitted, views: _Views, n: int) -> None:
    """The numpy runtime must reproduce scikit-learn's probabilities on training essays."""
    model = Model.load(out_dir)
    idx = np.arange(n)
    expected = final.probs(*views.take(idx))
    got = np.stack([sigmoid(model.component_logits(views.toks[i])) for i in idx])
    if not np.allclose(expected, got, atol=1e-3):
        raise RuntimeError("runtime scoring diverges from training; artifact is inconsistent")
