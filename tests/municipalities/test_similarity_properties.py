"""Properties of the similarity score on synthetic registers (no database)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ortswandel.municipalities.similarity import RegisterArrays, distances, rank

row = st.tuples(
    st.integers(min_value=0, max_value=4_000_000),  # population (0 = uninhabited)
    st.floats(min_value=0.5, max_value=900.0),  # area km²
    st.integers(min_value=1, max_value=16),  # Land
    st.booleans(),  # town
    st.booleans(),  # district-free
)


def arrays_from(rows: list[tuple[int, float, int, bool, bool]], order: list[int]) -> RegisterArrays:
    picked = [(i, rows[i]) for i in order]
    ids = np.array([i + 1 for i, _r in picked], dtype=np.int64)
    pop = np.array([r[0] for _i, r in picked], dtype=np.float64)
    dens = pop / np.array([r[1] for _i, r in picked])
    with np.errstate(divide="ignore"):
        log_pop = np.where(pop > 0, np.log2(np.where(pop > 0, pop, 1)), np.nan)
        log_dens = np.where(dens > 0, np.log2(np.where(dens > 0, dens, 1)), np.nan)
    return RegisterArrays(
        token=(),
        ids=ids,
        ags=np.array([f"{i + 1:08d}" for i, _r in picked], dtype="U8"),
        log2_population=log_pop,
        log2_density=log_dens,
        land=np.array([r[2] for _i, r in picked], dtype=np.int16),
        town=np.array([r[3] for _i, r in picked], dtype=bool),
        district_free=np.array([r[4] for _i, r in picked], dtype=bool),
        position={int(pk): k for k, pk in enumerate(ids)},
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(row, min_size=2, max_size=40), st.randoms(use_true_random=False))
def test_symmetric_nonnegative_and_order_invariant(rows, rnd):
    n = len(rows)
    a = arrays_from(rows, list(range(n)))
    shuffled = list(range(n))
    rnd.shuffle(shuffled)
    b = arrays_from(rows, shuffled)
    for i in range(n):
        d = distances(a, i)
        assert d[i] == np.inf  # never similar to itself
        assert np.all(d >= 0)
        for j in range(n):
            if i != j:
                assert distances(a, j)[i] == d[j]  # symmetric
        ranked = rank(a, i, limit=5)
        assert rank(b, b.position[i + 1], limit=5) == ranked  # input order does not matter
        scores = [score for _pk, score in ranked]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < s <= 1 for s in scores)
        if rows[i][0] == 0:
            assert ranked == []  # uninhabited: nothing is comparable
        assert all(rows[pk - 1][0] > 0 for pk, _s in ranked)
