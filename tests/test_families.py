"""Indexed families in a student's file: w_j, w_1, w_{2}, w^{(k)}, x_{n+1} are one family."""

from __future__ import annotations

import pytest

from proofsheet.check.checker import check_text

#: (what it pins, the student's text, the verdict of each step in order)
FAMILIES = [
    (
        "members written with and without braces",
        r"$\sum_{j=1}^{3} w_j x_j = w_{1}x_{1} + w_{2}x_{2} + w_{3}x_{3}$",
        ["verified"],
    ),
    ("a missing term", r"$\sum_{j=1}^{3} w_j = w_1 + w_2$", ["refuted"]),
    ("superscript members", r"$\sum_{k=1}^{2} w^{(k)} = w^{(1)} + w^{(2)}$", ["verified"]),
    (
        "the last member split off",
        r"$\sum_{i=1}^{n+1} x_i = \sum_{i=1}^{n} x_i + x_{n+1}$",
        ["verified"],
    ),
    (
        "the last factor split off, spaces in its index",
        r"$\prod_{k=1}^{n+1} a_k = a_{n + 1} \prod_{k=1}^{n} a_k$",
        ["verified"],
    ),
    ("member n", r"$\sum_{i=1}^{n} x_i = x_n + \sum_{i=1}^{n-1} x_i$", ["verified"]),
    (
        "the wrong member split off",
        r"$\sum_{i=1}^{n+2} x_i = \sum_{i=1}^{n} x_i + x_{n+1}$",
        ["refuted"],
    ),
    (
        "the first member split off",
        r"$\sum_{i=1}^{n} x_i = x_1 + \sum_{i=2}^{n} x_i$",
        ["verified"],
    ),
    (
        "two first members split off",
        r"$\sum_{i=1}^{n} x_i = x_1 + x_2 + \sum_{i=3}^{n} x_i$",
        ["verified"],
    ),
    (
        "the first factor split off",
        r"$\prod_{i=1}^{n} x_i = x_1 \prod_{i=2}^{n} x_i$",
        ["verified"],
    ),
    (
        "the wrong member split off first",
        r"$\sum_{i=1}^{n} x_i = x_2 + \sum_{i=2}^{n} x_i$",
        ["undecided"],  # no point where all members are equal tells them apart
    ),
    (
        "a member whose index is not the range's",
        r"$\sum_{i=1}^{n} x_i = x_m + \sum_{i=1}^{n-1} x_i$",
        ["undecided"],
    ),
    (
        "assumptions about numbered members",
        "% assume: a_1 > 0, a_2 > 0\n\n"
        r"$\sum_{k=1}^{2} a_k > 0$"
        "\n\n"
        r"$\prod_{k=1}^{2} a_k > 0$",
        ["verified", "verified"],
    ),
    (
        "an assumption about every member is no licence for a point outside it",
        "% assume: 0 < a_k \\le 1\n\n"
        r"$\prod_{k=1}^{n} a_k \le 2$"
        "\n\n"
        r"$\prod_{k=1}^{n} a_k > 1$",
        ["undecided", "refuted"],
    ),
    (
        "an assumption about every member holds for the members of a short range",
        "% assume: 0 < a_k \\le 1\n\n"
        r"$\prod_{k=1}^{3} a_k \le 1$"
        "\n\n"
        r"$\prod_{k=1}^{3} a_k \le a_1$"
        "\n\n"
        r"$\prod_{k=1}^{3} a_k < 1$",
        ["verified", "verified", "refuted"],
    ),
    (
        "an assumption about member n is not one about every member",
        "% assume: a_n > 0\n\n" r"$\prod_{k=1}^{n} a_k > 0$",
        ["undecided"],
    ),
]


@pytest.mark.parametrize("text, statuses", [f[1:] for f in FAMILIES], ids=[f[0] for f in FAMILIES])
def test_members_of_a_family_are_the_terms_of_its_sum(text, statuses):
    report = check_text(text, seconds=10)
    assert [s.status for s in report.checked] == statuses


def test_a_counterexample_meets_the_assumption_about_every_member():
    text = "% assume: 0 < a_k \\le 1\n\n$\\prod_{k=1}^{n} a_k > 1$"
    (step,) = check_text(text, seconds=10).checked
    point = {str(s): v for s, v in step.verdict.refutation.point}
    assert 0 < point["a"] <= 1, point
