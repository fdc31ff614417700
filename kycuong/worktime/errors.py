"""Error type of the working-time engine.

Codes are stable identifiers: the Django layer maps them to translated messages; ``MESSAGES`` holds
the Vietnamese default used by ``str()`` so the engine is usable on its own (CLI, shell, logs).
"""

from __future__ import annotations

__all__ = ["MESSAGES", "WorktimeError"]

MESSAGES: dict[str, str] = {
    "WT_NAIVE_DATETIME": "Thời điểm “{field}” phải là ngày giờ có múi giờ.",
    "WT_UNKNOWN_UNIT": (
        "Đơn vị thời hạn “{unit}” không hợp lệ; chỉ nhận: ngày làm việc (working_days), "
        "giờ làm việc (working_hours), ngày (calendar_days)."
    ),
    "WT_NEGATIVE_AMOUNT": "Thời hạn giải quyết không được là số âm.",
    "WT_BAD_AMOUNT": (
        "Thời hạn giải quyết không hợp lệ: phải là một số hữu hạn, "
        "không quá 10.000 ngày làm việc (hoặc tương đương)."
    ),
    "WT_AMOUNT_GRANULARITY": (
        "Thời hạn giải quyết không đúng bước: ngày làm việc phải là bội số của 0,5 ngày; "
        "giờ làm việc phải tròn phút; ngày theo lịch phải là số nguyên."
    ),
    "WT_BAD_CUTOFF": "Giờ chốt tiếp nhận hồ sơ không hợp lệ (cần giờ địa phương, ví dụ 15:00).",
    "WT_PAUSE_INVALID": (
        "Khoảng tạm dừng không hợp lệ: thời điểm kết thúc phải sau thời điểm bắt đầu, "
        "phải có múi giờ, và các khoảng tạm dừng không được chồng lấn nhau."
    ),
    "WT_PAUSE_OUTSIDE_PERIOD": (
        "Khoảng tạm dừng nằm ngoài thời gian giải quyết: bắt đầu trước khi tiếp nhận hồ sơ "
        "hoặc sau thời điểm hẹn trả kết quả."
    ),
    "WT_BAD_RANGE": "Khoảng thời gian không hợp lệ: thời điểm đầu phải không muộn hơn thời điểm cuối.",
    "WT_BAD_WINDOWS": (
        "Khung giờ làm việc không hợp lệ: cần dạng “08:00-12:00,13:00-17:00”, "
        "tròn phút, tăng dần và không chồng lấn."
    ),
    "WT_OUT_OF_RANGE": "Ngày nằm ngoài phạm vi hỗ trợ (từ năm 1990 đến năm 2200).",
}

_FALLBACK = "Lỗi tính thời gian làm việc ({code})."


class _Blank(dict):
    # A message must never fail to render because a caller omitted a parameter.
    def __missing__(self, key: str) -> str:
        return "?"


class WorktimeError(ValueError):
    """``WorktimeError("WT_BAD_RANGE", a=..., b=...)``; ``.code``, ``.params``; ``str()`` is Vietnamese."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        template = MESSAGES.get(self.code)
        if template is None:
            return _FALLBACK.format(code=self.code)
        return template.format_map(_Blank(self.params))

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"WorktimeError({self.code!r}, **{self.params!r})"

    def __reduce__(self):
        # Keep the error picklable (task queues, multiprocessing) despite the keyword-only params.
        return (_rebuild, (self.code, self.params))


def _rebuild(code: str, params: dict) -> WorktimeError:
    return WorktimeError(code, **params)
