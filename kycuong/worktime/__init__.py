"""Vietnamese working-time engine (pure Python + numpy; no Django import anywhere in this package).

Computes appointment dates ("ngày hẹn trả kết quả") in working days / working hours / calendar days
over the official Vietnamese calendar (docs/legal/working-time.md §2.3, §8). See ``engine`` for the exact semantics.
"""

from .engine import UNITS, Calendar, DayInfo, DueResult, Status, parse_windows
from .errors import MESSAGES, WorktimeError
from .vn_holidays import vietnam_holidays

__all__ = [
    "MESSAGES",
    "UNITS",
    "Calendar",
    "DayInfo",
    "DueResult",
    "Status",
    "WorktimeError",
    "parse_windows",
    "vietnam_holidays",
]
