"""(k)uα's code-against-the-rest matrices, read from the margins, equal the direct sums."""

from __future__ import annotations

import numpy as np

from accord.agreement.unitizing_2016 import _collapse, _OneAgainstRest


def test_one_against_rest_equals_collapsing_the_matrix() -> None:
    rng = np.random.default_rng(7)
    for size in (1, 2, 5, 40):
        matrix = rng.random((size, size)) * rng.integers(0, 2, (size, size)) * 1000.0
        fast = _OneAgainstRest(matrix)
        for k in range(size):
            direct = _collapse(matrix, np.arange(size) == k)
            assert np.allclose(fast(k), direct, rtol=1e-12, atol=1e-9), (size, k)


def test_a_code_that_holds_everything_leaves_the_rest_empty() -> None:
    matrix = np.zeros((3, 3))
    matrix[1, 1] = 0.1 + 0.2  # sums that do not cancel exactly in floating point
    assert _OneAgainstRest(matrix)(1).tolist() == [[0.1 + 0.2, 0.0], [0.0, 0.0]]
