"""The discipline app's rulebooks (design.md rule 2): the only place that decides who may do what, when.

One `core.policy.Rulebook` per aggregate — `SUBJECT` (what may be started on a unit or an official),
`MEETING`, `INVITATION` (attendance), `TASK`, `CASE`, `PROPOSAL` — each transition citing its legal basis.
Services call `BOOK.require(...)` before every write; the pages' buttons and the API's `allowed_actions`
call `allowed` / `actions`. The tables are printed in README.md (`python -m kycuong.discipline.policy`).
"""
from .cases import CASE, PROPOSAL
from .conduct import SUBJECT
from .meetings import INVITATION, MEETING
from .tasks import TASK

BOOKS = {"subject": SUBJECT, "meeting": MEETING, "invitation": INVITATION, "task": TASK, "case": CASE,
         "proposal": PROPOSAL}


def actions(book, user, obj, at=None) -> dict:
    """The API's answer: `allowed_actions` (names) and `refused_actions` ({action, label, code, reason})."""
    allowed, refused = [], []
    for d in book.decisions(user, obj, at):
        if d.allowed:
            allowed.append(d.action)
        else:
            refused.append({"action": d.action, "label": str(d.label), **d.refusal.as_dict()})
    return {"allowed_actions": allowed, "refused_actions": refused}


def markdown() -> str:
    """The state tables as Markdown (README.md, "State tables")."""
    out = []
    for key, book in BOOKS.items():
        out += [f"#### `{key}`", "", "| action | from | to | who | guards | basis |", "|---|---|---|---|---|---|"]
        for row in book.table():
            out.append("| {action} | {src} | {dst} | {who} | {guards} | {basis} |".format(
                action=row["action"], src=", ".join(map(str, row["sources"])), dst=row["target"] or "=",
                who=", ".join(row["actors"]), guards=", ".join(row["guards"]) or "—", basis=row["basis"]))
        out.append("")
    return "\n".join(out)


__all__ = ["BOOKS", "CASE", "INVITATION", "MEETING", "PROPOSAL", "SUBJECT", "TASK", "actions", "markdown"]
