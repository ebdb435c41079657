"""Agreement metrics between expected and predicted statuses. Pure functions over label lists.

Labels are the five statuses; every function takes the same two equal-length sequences
(expected first) so that per-fixture and pooled figures come from one code path.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.state import STATUSES

Labels = Sequence[str]


def _check(expected: Labels, predicted: Labels) -> None:
    if len(expected) != len(predicted):
        raise ValueError(f"expected {len(expected)} labels but got {len(predicted)} predictions")


def confusion_matrix(
    expected: Labels, predicted: Labels, labels: Sequence[str] = STATUSES
) -> dict[str, dict[str, int]]:
    """matrix[expected][predicted] = count, with every label present as a row and a column."""
    _check(expected, predicted)
    matrix = {row: {col: 0 for col in labels} for row in labels}
    for truth, guess in zip(expected, predicted, strict=True):
        if truth not in matrix or guess not in matrix[truth]:
            raise ValueError(f"unknown label in pair ({truth!r}, {guess!r})")
        matrix[truth][guess] += 1
    return matrix


def accuracy(expected: Labels, predicted: Labels) -> float:
    _check(expected, predicted)
    if not expected:
        return 0.0
    return sum(t == p for t, p in zip(expected, predicted, strict=True)) / len(expected)


def per_label_f1(expected: Labels, predicted: Labels, labels: Sequence[str] = STATUSES) -> dict[str, float]:
    """F1 of each label that occurs in either sequence; labels absent from both are left out."""
    _check(expected, predicted)
    scores: dict[str, float] = {}
    for label in labels:
        tp = sum(t == label and p == label for t, p in zip(expected, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(expected, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(expected, predicted, strict=True))
        if tp + fp + fn == 0:
            continue
        scores[label] = 2 * tp / (2 * tp + fp + fn)
    return scores


def macro_f1(expected: Labels, predicted: Labels, labels: Sequence[str] = STATUSES) -> float:
    """Unweighted mean F1 over the statuses that occur in the expected or predicted labels.

    A status nobody expected and the agent never gave carries no information, so it is left out of
    the mean instead of counting as a perfect (or a zero) score.
    """
    scores = per_label_f1(expected, predicted, labels)
    if not scores:
        return 0.0
    return sum(scores.values()) / len(scores)


def cohen_kappa(expected: Labels, predicted: Labels) -> float:
    """Cohen's kappa: (p_o - p_e) / (1 - p_e).

    When chance agreement is already total (both raters used one and the same label throughout),
    kappa is undefined; we return 1.0 for perfect agreement in that case and 0.0 otherwise, so the
    gate never divides by zero.
    """
    _check(expected, predicted)
    n = len(expected)
    if n == 0:
        return 0.0
    p_o = accuracy(expected, predicted)
    labels = set(expected) | set(predicted)
    p_e = sum((list(expected).count(x) / n) * (list(predicted).count(x) / n) for x in labels)
    if p_e >= 1.0:
        return 1.0 if p_o >= 1.0 else 0.0
    return (p_o - p_e) / (1 - p_e)


def summarize(expected: Labels, predicted: Labels) -> dict[str, object]:
    """All agreement figures for one set of pairs, in the shape the report JSON uses."""
    return {
        "n": len(expected),
        "accuracy": accuracy(expected, predicted),
        "macro_f1": macro_f1(expected, predicted),
        "kappa": cohen_kappa(expected, predicted),
        "per_status_f1": per_label_f1(expected, predicted),
        "confusion": confusion_matrix(expected, predicted),
    }
