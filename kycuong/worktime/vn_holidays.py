"""Vietnamese public holidays from the pinned ``holidays`` package (data is legal behaviour).

The package (0.109) knows the Labour Code holidays, the compensatory days and some official swaps
(2024-04-29, 2025-05-02, 2026-08-31) but not the make-up Saturdays nor every swap (it misses the
2026 New Year swap, CV 12729/VPCP-KGVX). The Django side merges
``kycuong/core/data/vn-calendar-overrides.json`` on top; this function is only the package part.
"""

from __future__ import annotations

from datetime import date

from .errors import WorktimeError

__all__ = ["vietnam_holidays"]

_MIN_YEAR, _MAX_YEAR = 1990, 2200


def vietnam_holidays(first_year: int, last_year: int) -> dict[date, str]:
    """Public holidays of Viet Nam in ``[first_year, last_year]`` with Vietnamese names."""
    if not (isinstance(first_year, int) and isinstance(last_year, int)):
        raise WorktimeError("WT_OUT_OF_RANGE", first_year=first_year, last_year=last_year)
    if first_year > last_year:
        raise WorktimeError("WT_BAD_RANGE", a=first_year, b=last_year)
    if first_year < _MIN_YEAR or last_year > _MAX_YEAR:
        raise WorktimeError("WT_OUT_OF_RANGE", first_year=first_year, last_year=last_year)
    import holidays  # imported lazily: loading the package's country tables is not free

    vn = holidays.country_holidays(
        "VN", years=range(first_year, last_year + 1), language="vi", categories=("public",)
    )
    # ``holidays`` joins two names falling on one date with "; " - keep that, it is readable.
    return {d: str(name) for d, name in sorted(vn.items())}
