"""Reports in every reachable state, driven through the services (never written directly), for the policy
tests: procedure and conduct reports of a department, a branch and a dissolved district."""
from kycuong.core.models import Official, Unit
from kycuong.feedback import services

from .conftest import PROC, hn


def build(people, make_officer):
    """{name: report} and the extra actors (successor-unit officer, an inspector complained about)."""
    R = make_officer.Role
    actors = dict(people)
    actors["ward_officer"] = make_officer(R.SPECIALIST, "H26.501", full_name="Cán bộ phường kế thừa")
    actors["admin"] = make_officer(R.ADMINISTRATOR, None, full_name="Quản trị")
    actors["accused"] = make_officer(R.INSPECTOR, "H26.115", full_name="Thanh tra bị phản ánh")
    accused_official = Official.objects.create(full_name="Thanh tra bị phản ánh", unit=Unit.objects.get(code="H26.115"),
                                               user=actors["accused"])
    district_official = Official.objects.create(full_name="Cán bộ quận cũ", unit=Unit.objects.get(code="H26.901"))
    lead, insp, insp2 = people["leader"], people["inspector"], people["inspector2"]
    n = {"i": 0}

    def new(kind="procedure", **kw):
        n["i"] += 1  # distinct texts: no report is a repeat of another
        kw.setdefault("title", f"Phản ánh thử {n['i']}")
        kw.setdefault("text", f"Nội dung riêng số {n['i']} " + "x" * n["i"])
        if kind == "conduct":
            kw.setdefault("official_id", people["official"].pk)
            kw["procedure_code"] = ""
        else:
            kw.setdefault("procedure_code", PROC)
        return services.submit(services.ReportInput(kind=kind, **kw), at=hn(2026, 3, 2, 9))

    def go(report, who, action, hour, **params):
        return services.act(report.code, action, who, at=hn(2026, 3, 3, hour), **params)

    r = {}
    r["proc_received"] = new()
    r["proc_processing"] = go(new(), lead, "confirm_unit", 9)
    r["proc_info"] = go(go(new(), lead, "confirm_unit", 9), lead, "request_info", 10, message="Cho biết số quầy")
    r["proc_awaiting"] = go(go(new(), lead, "confirm_unit", 9), lead, "answer", 10, answer="Đã xử lý.")
    r["proc_published"] = go(go(go(new(), lead, "confirm_unit", 9), lead, "answer", 10, answer="Đã xử lý."),
                             lead, "publish", 11)
    r["proc_refused"] = go(new(), lead, "refuse", 9, reason="Không thuộc thẩm quyền")
    r["cond_received"] = new("conduct")
    r["cond_processing"] = go(new("conduct"), insp, "confirm_unit", 9)
    r["cond_verifying"] = go(go(new("conduct"), insp, "confirm_unit", 9), insp, "assign_verifier", 10,
                             verifier=insp2.pk)
    v = go(go(new("conduct"), insp, "confirm_unit", 9), insp, "assign_verifier", 10, verifier=insp2.pk)
    r["cond_concluded"] = go(v, insp2, "conclude", 11, conclusion="unfounded", findings="Không có căn cứ.")
    r["cond_awaiting"] = go(go(go(go(new("conduct"), insp, "confirm_unit", 9), insp, "assign_verifier", 10,
                                  verifier=insp.pk), insp, "conclude", 11, conclusion="unfounded",
                               findings="Không có căn cứ."), insp, "answer", 12, answer="Đã xác minh.")
    r["cond_about_inspector"] = go(new("conduct", official_id=accused_official.pk), insp, "confirm_unit", 9)
    # The dissolved district (H26.901) left open reports; its successor ward (H26.501) acts on them.
    r["succ_received"] = new(unit_code="H26.901", procedure_code="")
    r["succ_processing"] = go(new(unit_code="H26.901", procedure_code=""), actors["ward_officer"], "confirm_unit", 9)
    r["succ_conduct"] = new("conduct", official_id=district_official.pk)
    for report in r.values():
        report.refresh_from_db()
    return r, actors
