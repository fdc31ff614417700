"""The verdict of one internal step (TT 03/2025/TT-VPCP Mẫu số 06: each hand-over is "trước hạn / đúng hạn /
quá hạn"), in one place for the services (written into the hand-over event), the API, the dossier page and
the printed Mẫu 06 (documents), so they never say different things."""
from django.utils import timezone


def step_verdict(step, now=None) -> str | None:
    """"early" | "on_time" | "late" for a finished step; "late" for an open step past its due time at `now`;
    else None.

    Early = finished on a calendar day (local time) before its due day; on time = by the due instant;
    late = after it. A step without a due time cannot be late.
    """
    if step.finished_at is not None:
        if step.due_at is None or step.finished_at <= step.due_at:
            early = (step.due_at is not None
                     and timezone.localtime(step.finished_at).date() < timezone.localtime(step.due_at).date())
            return "early" if early else "on_time"
        return "late"
    if now is not None and step.started_at is not None and step.due_at is not None and now > step.due_at:
        return "late"
    return None
