"""Evaluation helpers for training: baselines and calibration."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold


def majority_baseline(y: np.ndarray, strata: np.ndarray, folds: int, seed: int) -> float:
    """Accuracy of predicting each training fold's majority class on its test fold."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    correct = 0
    for tr, te in splitter.split(np.zeros(len(y)), strata):
        majority = int(y[tr].mean() >= 0.5)
        correct += int((y[te] == majority).sum())
    return round(correct / len(y), 4)


def fit_platt(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling on the logit of out-of-fold ensemble probabilities."""
    z = np.log(p / (1 - p)).reshape(-1, 1)
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(z, y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def calibration_report(p: np.ndarray, y: np.ndarray, bins: int = 10) -> dict:
    """Brier score, expected calibration error and the spread of calibrated scores."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    ece = sum(
        abs(p[which == b].mean() - y[which == b].mean()) * (which == b).mean()
        for b in range(bins)
        if (which == b).any()
    )
    return {
        "brier": round(float(np.mean((p - y) ** 2)), 4),
        "ece": round(float(ece), 4),
        "score_p05": round(float(np.quantile(p, 0.05)), 4),
        "score_p95": round(float(np.quantile(p, 0.95)), 4),
    }
