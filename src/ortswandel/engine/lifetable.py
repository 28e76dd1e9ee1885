"""Life tables and the survival ratios a cohort-component projection needs.

A :class:`LifeTable` holds the person-years ``Lx`` of one sex on an age grid of
width ``n`` (radix ``l0``, default 100 000). The last value is ``T`` of the open
group (person-years lived above ``open_age``), exactly as published by Destatis
(``L(x)`` for 0..99 and ``T(100)``) or in Preston et al. (2001), Box 6.2.

Survival ratios (shape ``[age]``, dimensionless, per projection step of ``n``
years) are defined as

* ``S[0] = L0 / (n * l0)``: births during the step that are alive at its end;
* ``S[g] = L[g] / L[g-1]`` for ``1 <= g < G-1``: from group ``g-1`` to group ``g``;
* ``S[G-1] = T_open / (L[G-2] + T_open)``: survivors of the last closed group
  and of the open group who are in the open group at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import EngineValueError, ShapeError, as_float_array, check_non_negative

__all__ = [
    "LifeTable",
    "e0_from_survival",
    "lx_from_survival",
    "mortality_scale_for_e0",
    "scale_mortality",
]

RADIX = 100_000.0


def _coale_demeny_a0(q0: float, sex: str) -> float:
    """Average years lived in the first year by infants who die (Coale–Demeny, West).

    In terms of 1q0: UN Manual X (1983), Table 164; the same rule in terms of 1m0 is
    Preston, Heuveline & Guillot (2001), Table 3.3.
    """
    if sex == "male":
        return 0.33 if q0 >= 0.1 else 0.0425 + 2.875 * q0
    return 0.35 if q0 >= 0.1 else 0.05 + 3.0 * q0


def _coale_demeny_4a1(q0: float, sex: str) -> float:
    """Average years lived in ages 1-4 by children who die there (Coale–Demeny, West, in
    terms of 1q0; UN Manual X (1983) and the PAS workbook LTPOPDTH)."""
    if sex == "male":
        return 1.352 if q0 >= 0.1 else 1.653 - 3.013 * q0
    return 1.361 if q0 >= 0.1 else 1.524 - 1.627 * q0


def _a_first_five_years(q5: float, q0: float, sex: str) -> float:
    """``5a0`` such that ``5L0 = 1L0 + 4L1`` with Coale–Demeny ``1a0`` and ``4a1`` (radix 1)."""
    l1, l5 = 1.0 - q0, 1.0 - q5
    big_l = l1 + _coale_demeny_a0(q0, sex) * q0 + 4.0 * l5 + _coale_demeny_4a1(q0, sex) * (l1 - l5)
    return (big_l - 5.0 * l5) / q5 if q5 > 0 else 2.5


@dataclass(frozen=True)
class LifeTable:
    """Person-years lived by age group for one sex.

    Parameters
    ----------
    Lx : array_like, shape ``[age]``
        Person-years lived in each closed group, last value ``T`` of the open group.
        Same unit as ``radix`` (persons x years).
    width : int
        Width of the age groups in years (1 or 5).
    radix : float
        ``l0``, default 100 000.
    """

    Lx: NDArray[np.float64]
    width: int = 1
    radix: float = RADIX
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        arr = as_float_array("survival.Lx", self.Lx)
        if arr.ndim != 1 or arr.size < 3:
            raise ShapeError(
                "survival.Lx",
                f"must be a list of at least 3 values; got shape {list(arr.shape)}",
                "give one Lx value per age group, the last being T of the open group",
            )
        check_non_negative("survival.Lx", arr)
        if (arr[:-1] <= 0).any():
            bad = int(np.argmax(arr[:-1] <= 0))
            raise EngineValueError(
                "survival.Lx",
                f"closed-group person-years must be > 0; got {arr[bad]:g} at index {bad}",
                "give Lx of a life table with radix l0 (e.g. 100000) for every closed group",
            )
        if arr[0] > self.width * self.radix * (1 + 1e-9):
            raise EngineValueError(
                "survival.Lx",
                f"L0={arr[0]:g} exceeds width*l0={self.width * self.radix:g}",
                "check the radix (l0) and that Lx is per age group of the step width",
            )
        object.__setattr__(self, "Lx", arr)

    @classmethod
    def from_qx(
        cls,
        qx: ArrayLike,
        *,
        width: int = 1,
        sex: str = "female",
        ax: ArrayLike | None = None,
        open_mx: float | None = None,
        radix: float = RADIX,
        q0: float | None = None,
    ) -> LifeTable:
        """Build a life table from death probabilities.

        Parameters
        ----------
        qx : array_like, shape ``[age]`` or ``[age-1]``
            Probability of dying within each closed group (``nqx``). A last value for
            the open group may be given and must then be 1.
        width : int
            Group width ``n`` in years.
        sex : {"female", "male"}
            Chooses the Coale–Demeny formula for ``a0`` (single years only).
        ax : array_like, optional
            Average years lived in the group by those who die there (``nax``).
            Default ``n/2``, and for the first year ``a0`` by Coale–Demeny. On a 5-year
            grid give ``q0`` (or ``ax[0]``): without it ``5a0 = 2.5`` overstates ``5L0``
            (by 0.16 % at German mortality 2022/24, where ``5a0`` is about 0.56).
        q0 : float, optional
            Infant death probability ``1q0`` (5-year grids only): ``5a0`` is then derived
            from ``5L0 = 1L0 + 4L1`` with the Coale–Demeny ``1a0`` and ``4a1``.
        open_mx : float, optional
            Central death rate of the open group (deaths per person-year). Default: the
            central rate ``d/L`` of the last closed group (constant hazard above it).
        """
        q = as_float_array("survival.qx", qx)
        check_non_negative("survival.qx", q)
        if q.ndim != 1 or q.size < 2:
            raise ShapeError("survival.qx", "needs at least 2 values", "give nqx per age group")
        if (q > 1).any():
            bad = int(np.argmax(q > 1))
            raise EngineValueError(
                "survival.qx",
                f"probabilities must be <= 1; got {q[bad]:g} at index {bad}",
                "give death probabilities qx (not rates per 1000)",
            )
        lx = radix * np.concatenate(([1.0], np.cumprod(1.0 - q)))
        n_closed = q.size
        d = lx[:-1] - lx[1:]
        a = np.full(n_closed, width / 2.0)
        if width == 1:
            a[0] = _coale_demeny_a0(float(q[0]), sex)
        if q0 is not None and width == 1:
            raise EngineValueError(
                "survival.q0",
                "is only used on 5-year grids",
                "on single years qx[0] is the infant death probability",
            )
        if q0 is not None and width != 1:
            if not 0 <= q0 <= q[0]:
                raise EngineValueError(
                    "survival.q0",
                    f"must lie in [0, 5q0={q[0]:g}]; got {q0}",
                    "give the death probability in the first year of life",
                )
            a[0] = _a_first_five_years(float(q[0]), float(q0), sex)
        if ax is not None:
            a = as_float_array("survival.ax", ax)[:n_closed]
            check_non_negative("survival.ax", a)
            if a.shape != (n_closed,) or (a > width).any():
                raise EngineValueError(
                    "survival.ax",
                    f"needs {n_closed} values in 0..{width}",
                    "give the years lived in the group by those who die there",
                )
        closed = width * lx[1:] + a * d
        if q[-1] == 1.0 and n_closed > 2:
            # the open group was passed as the last value: drop it
            n_closed -= 1
            closed = closed[:-1]
            d = d[:-1]
        l_open = lx[n_closed]
        if open_mx is None:
            open_mx = d[-1] / closed[-1] if closed[-1] > 0 else 1.0
        if open_mx <= 0:
            raise EngineValueError(
                "survival.open_mx", f"must be > 0; got {open_mx}", "give deaths per person-year"
            )
        return cls(np.append(closed, l_open / open_mx), width=width, radix=radix)

    @property
    def e0(self) -> float:
        """Life expectancy at birth in years."""
        return float(self.Lx.sum() / self.radix)

    def survival_ratios(self) -> NDArray[np.float64]:
        """Survival ratios per step, shape ``[age]`` (see module docstring)."""
        big_l = self.Lx
        s = np.empty_like(big_l)
        s[0] = big_l[0] / (self.width * self.radix)
        s[1:-1] = big_l[1:-1] / big_l[:-2]
        s[-1] = big_l[-1] / (big_l[-2] + big_l[-1]) if big_l[-1] > 0 else 0.0
        return np.minimum(s, 1.0)


def lx_from_survival(
    s: NDArray[np.float64], width: int, radix: float = RADIX
) -> NDArray[np.float64]:
    """Rebuild ``Lx`` (last = ``T`` open) from survival ratios.

    Parameters
    ----------
    s : ndarray, shape ``[..., age]``
        Survival ratios as returned by :meth:`LifeTable.survival_ratios`.
    """
    big_l = np.empty_like(s)
    big_l[..., 0] = width * radix * s[..., 0]
    big_l[..., :-1] = big_l[..., :1] * np.cumprod(
        np.concatenate([np.ones_like(s[..., :1]), s[..., 1:-1]], axis=-1), axis=-1
    )
    s_open = np.minimum(s[..., -1], 1.0 - 1e-12)
    big_l[..., -1] = s_open * big_l[..., -2] / (1.0 - s_open)
    return big_l


def e0_from_survival(s: NDArray[np.float64], width: int) -> NDArray[np.float64]:
    """Life expectancy at birth (years) implied by survival ratios ``[..., age]``."""
    return lx_from_survival(s, width).sum(axis=-1) / RADIX


def scale_mortality(s: NDArray[np.float64], k: ArrayLike) -> NDArray[np.float64]:
    """Scale all hazards by ``k`` (proportional hazards): ``s ** k``.

    ``k`` broadcasts against the leading axes of ``s`` (``k[..., None]``);
    ``k < 1`` lowers mortality, ``k > 1`` raises it.
    """
    kk = np.asarray(k, dtype=np.float64)
    if kk.dtype != s.dtype and s.dtype == np.float32:
        kk = kk.astype(np.float32)
    if (s <= 0).any():
        return np.power(s, kk[..., None])
    return np.exp(np.log(s) * kk[..., None])  # as s ** k, much faster than np.power


def mortality_scale_for_e0(
    s: NDArray[np.float64], width: int, target_e0: ArrayLike, iterations: int = 60
) -> NDArray[np.float64]:
    """Hazard multiplier ``k`` such that ``e0(s ** k) == target_e0`` (bisection).

    Parameters
    ----------
    s : ndarray, shape ``[..., age]``
        Base survival ratios.
    target_e0 : array_like
        Target life expectancy in years, broadcasting against ``s[..., 0]``.

    Returns
    -------
    ndarray
        ``k`` with the broadcast shape of ``target_e0`` and ``s[..., 0]``.
    """
    target = np.asarray(target_e0, dtype=np.float64)
    lo = np.full(np.broadcast_shapes(target.shape, s.shape[:-1]), np.log(1e-3))
    hi = np.full_like(lo, np.log(1e3))
    best_possible = e0_from_survival(scale_mortality(s, np.exp(lo)), width)
    if (target >= best_possible).any() or (target <= 0).any():
        raise EngineValueError(
            "life_expectancy",
            f"target e0 {np.max(target):.2f} cannot be reached from this life table",
            "give a target between 1 year and the table's maximum after a 1000-fold "
            f"mortality reduction ({float(np.min(best_possible)):.1f})",
        )
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        e0 = e0_from_survival(scale_mortality(s, np.exp(mid)), width)
        too_high = e0 > target  # mortality too low -> raise k
        lo = np.where(too_high, mid, lo)
        hi = np.where(too_high, hi, mid)
    return np.asarray(np.exp(0.5 * (lo + hi)))
