"""The only code that changes discipline records (docs/design.md rule 1): each public function is one
transaction that asks the policy (`kycuong.discipline.policy`) before it writes, and appends a chained event.

One module per sub-domain; the public names are re-exported here so callers keep `services.<name>`."""
from .base import SYSTEM_LABEL
from .cases import (
    add_deferral, advance_step, decide, dismiss_proposal, is_recidivist, notify_consideration, open_case,
    open_proposal, required_measure, set_council,
)
from .conduct import admonish, proposal_threshold, record_conduct, record_from_report, record_late_dossier
from .letters import absentees, draft_criticism, issue_conclusions, next_number, symbol_for
from .meetings import (
    TOKEN_SALT, VIOLATIONS, check_in, check_out, close_meeting, consent_leave, create_meeting, final_state,
    invitation_for_token, late_grace, reply, token_for,
)
from .tasks import create_directive, report_task, review_report

__all__ = [
    "SYSTEM_LABEL", "TOKEN_SALT", "VIOLATIONS", "absentees", "add_deferral", "admonish", "advance_step",
    "check_in", "check_out", "close_meeting", "consent_leave", "create_directive", "create_meeting", "decide",
    "dismiss_proposal", "draft_criticism", "final_state", "invitation_for_token", "is_recidivist",
    "issue_conclusions", "late_grace", "next_number", "notify_consideration", "open_case", "open_proposal",
    "proposal_threshold", "record_conduct", "record_from_report", "record_late_dossier", "reply",
    "report_task", "required_measure", "review_report", "set_council", "symbol_for", "token_for",
]
