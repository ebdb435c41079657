"""Metrics against figures worked out by hand (the arithmetic is in each test's comment)."""

from __future__ import annotations

import pytest

from evals.metrics import accuracy, cohen_kappa, confusion_matrix, macro_f1, per_label_f1, summarize

# 8 pairs; matches at positions 0, 1, 3, 5, 6.
EXPECTED = ["implemented", "implemented", "implemented", "partial", "partial", "gap", "gap", "unknown"]
PREDICTED = ["implemented", "implemented", "partial", "partial", "gap", "gap", "gap", "implemented"]


def test_accuracy_counts_exact_matches() -> None:
    assert accuracy(EXPECTED, PREDICTED) == pytest.approx(5 / 8)


def test_confusion_matrix_rows_are_expected_columns_are_predicted() -> None:
    m = confusion_matrix(EXPECTED, PREDICTED)
    assert m["implemented"] == {"implemented": 2, "partial": 1, "gap": 0, "not_applicable": 0, "unknown": 0}
    assert m["partial"]["partial"] == 1 and m["partial"]["gap"] == 1
    assert m["gap"]["gap"] == 2
    assert m["unknown"]["implemented"] == 1
    assert sum(sum(row.values()) for row in m.values()) == 8
    assert set(m) == {"implemented", "partial", "gap", "not_applicable", "unknown"}


def test_per_label_f1_by_hand() -> None:
    # implemented: tp 2, fp 1, fn 1 -> 4/6; partial: tp 1, fp 1, fn 1 -> 2/4;
    # gap: tp 2, fp 1, fn 0 -> 4/5; unknown: tp 0, fn 1 -> 0; not_applicable absent -> left out.
    f1 = per_label_f1(EXPECTED, PREDICTED)
    assert f1 == pytest.approx({"implemented": 2 / 3, "partial": 0.5, "gap": 0.8, "unknown": 0.0})


def test_macro_f1_by_hand() -> None:
    # (2/3 + 1/2 + 4/5 + 0) / 4 = 59/120
    assert macro_f1(EXPECTED, PREDICTED) == pytest.approx(59 / 120)


def test_kappa_by_hand() -> None:
    # p_o = 5/8 = 40/64. Marginals expected (3 impl, 2 partial, 2 gap, 1 unknown),
    # predicted (3 impl, 2 partial, 3 gap, 0 unknown): p_e = (9 + 4 + 6 + 0) / 64 = 19/64.
    # kappa = (40 - 19) / (64 - 19) = 21/45 = 7/15.
    assert cohen_kappa(EXPECTED, PREDICTED) == pytest.approx(7 / 15)


def test_kappa_textbook_two_by_two() -> None:
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o 0.7, p_e 0.5, kappa 0.4.
    expected = ["implemented"] * 25 + ["gap"] * 25
    predicted = ["implemented"] * 20 + ["gap"] * 5 + ["implemented"] * 10 + ["gap"] * 15
    assert accuracy(expected, predicted) == pytest.approx(0.7)
    assert cohen_kappa(expected, predicted) == pytest.approx(0.4)
    # F1 implemented: tp 20, fp 10, fn 5 -> 40/55; gap: tp 15, fp 5, fn 10 -> 30/45.
    assert macro_f1(expected, predicted) == pytest.approx((40 / 55 + 30 / 45) / 2)


def test_perfect_agreement() -> None:
    labels = ["implemented", "gap", "partial", "not_applicable", "unknown"]
    assert accuracy(labels, labels) == 1.0
    assert cohen_kappa(labels, labels) == pytest.approx(1.0)
    assert macro_f1(labels, labels) == pytest.approx(1.0)


def test_kappa_when_chance_agreement_is_total() -> None:
    same = ["gap"] * 4
    assert cohen_kappa(same, same) == 1.0
    assert cohen_kappa(["gap", "gap"], ["gap", "implemented"]) == pytest.approx(0.0)


def test_kappa_worse_than_chance_is_negative() -> None:
    # p_o 0, p_e = 0.5*0.5 + 0.5*0.5 = 0.5 -> kappa -1.
    assert cohen_kappa(["gap", "implemented"], ["implemented", "gap"]) == pytest.approx(-1.0)


def test_mismatched_lengths_and_unknown_labels_are_rejected() -> None:
    with pytest.raises(ValueError):
        accuracy(["gap"], [])
    with pytest.raises(ValueError):
        confusion_matrix(["gap"], ["maybe"])


def test_empty_input_scores_zero() -> None:
    assert accuracy([], []) == 0.0
    assert cohen_kappa([], []) == 0.0
    assert macro_f1([], []) == 0.0


def test_summarize_bundles_every_figure() -> None:
    s = summarize(EXPECTED, PREDICTED)
    assert s["n"] == 8
    assert s["accuracy"] == pytest.approx(0.625)
    assert s["kappa"] == pytest.approx(7 / 15)
    assert s["macro_f1"] == pytest.approx(59 / 120)
