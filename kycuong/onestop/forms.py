"""Input shapes of the officer workspace: sign-in, queue filters, counter intake and one form per action.

Forms only check shapes (a date is a date, an amount an integer); who may act and when (a supplement only
once, the apology one working day ahead, the step rules) is `policy.py`'s, the input rules (a reason is
required…) `services.py`'s, whose Vietnamese messages the views show next to the field they concern.
"""
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kycuong.core.models import Unit, User

from .models import Channel
from .queries import CLOCK_FILTERS
from .workflow import State

REQUIRED = {"required": _("Trường này là bắt buộc.")}
CLOCK_LABELS = {
    "on_track": _("Trong hạn"),
    "due_soon": _("Đến hạn trong 01 ngày làm việc"),
    "overdue": _("Quá hạn"),
    "paused": _("Tạm dừng chờ bổ sung"),
}
assert set(CLOCK_LABELS) == set(CLOCK_FILTERS)


# --- sign-in -------------------------------------------------------------------------------------------

class OfficerLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["username"].error_messages = {"required": _("Nhập tên đăng nhập.")}
        self.fields["password"].label = _("Mật khẩu")
        self.fields["password"].error_messages = {"required": _("Nhập mật khẩu.")}


# --- queue ---------------------------------------------------------------------------------------------

class QueueForm(forms.Form):
    tab = forms.ChoiceField(required=False, choices=[("unit", _("Hồ sơ của đơn vị")), ("mine", _("Hồ sơ của tôi"))])
    q = forms.CharField(label=_("Mã hồ sơ hoặc tên người nộp"), required=False, max_length=100,
                        help_text=_("Gõ có dấu hoặc không dấu, ví dụ: hoang thi mai"))
    state = forms.TypedChoiceField(label=_("Trạng thái"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("Tất cả"))] + list(State.choices))
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    clock = forms.ChoiceField(label=_("Thời hạn"), required=False,
                              choices=[("", _("Tất cả"))] + list(CLOCK_LABELS.items()))

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Tất cả"))] + [(code, f"{code} — {name}") for code, name in procedures]


# --- counter intake ------------------------------------------------------------------------------------

class IntakeForm(forms.Form):
    OUTCOMES = [
        ("receive", _("Hồ sơ đầy đủ: tiếp nhận và hẹn trả kết quả (Mẫu 01)")),
        ("supplement", _("Hồ sơ chưa đầy đủ: yêu cầu bổ sung, hoàn thiện (Mẫu 02)")),
        ("refuse", _("Từ chối tiếp nhận (Mẫu 03)")),
    ]
    procedure = forms.CharField(widget=forms.HiddenInput, max_length=64)
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=200,
                                     error_messages={"required": _("Nhập họ tên người nộp hồ sơ.")})
    applicant_id_number = forms.RegexField(
        label=_("Số định danh cá nhân"), required=False, regex=r"^\d{9}(\d{3})?$", max_length=12,
        help_text=_("12 chữ số (hoặc 9 chữ số với chứng minh nhân dân cũ)."),
        error_messages={"invalid": _("Số định danh cá nhân gồm 12 chữ số (hoặc 9 chữ số).")})
    applicant_phone = forms.RegexField(
        label=_("Số điện thoại"), required=False, regex=r"^\+?[\d .-]{8,20}$", max_length=20,
        help_text=_("Người nộp dùng 4 số cuối để xem thông tin cá nhân khi tra cứu hồ sơ."),
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số, ví dụ 0912345678.")})
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False,
                                       error_messages={"invalid": _("Địa chỉ thư điện tử không đúng dạng, ví dụ ten@example.vn.")})
    applicant_address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=300)
    channel = forms.TypedChoiceField(label=_("Hình thức nộp"), coerce=int, initial=Channel.DIRECT, widget=forms.RadioSelect,
                                     choices=[(Channel.DIRECT, Channel.DIRECT.label), (Channel.POSTAL, Channel.POSTAL.label)],
                                     error_messages=REQUIRED)
    deciding_unit = forms.ChoiceField(label=_("Đơn vị giải quyết"), required=False)
    documents = forms.TypedMultipleChoiceField(label=_("Thành phần hồ sơ đã nhận"), required=False, coerce=int,
                                               widget=forms.CheckboxSelectMultiple)
    outcome = forms.ChoiceField(label=_("Kết quả kiểm tra hồ sơ"), choices=OUTCOMES, initial="receive",
                                widget=forms.RadioSelect,
                                error_messages={"required": _("Chọn kết quả kiểm tra hồ sơ.")})
    reason = forms.CharField(label=_("Lý do, giấy tờ cần bổ sung"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Bắt buộc khi yêu cầu bổ sung hoặc từ chối tiếp nhận."))

    def __init__(self, *args, version, officer, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.document_rows = list(version.documents.all())
        self.fields["documents"].choices = [(d.pk, d.name) for d in self.document_rows]
        self.fields["procedure"].initial = version.procedure.code
        self.unit_choices = deciding_unit_choices(version, officer)
        if self.unit_choices:
            self.fields["deciding_unit"].choices = [("", _("Chọn đơn vị"))] + self.unit_choices
            self.fields["deciding_unit"].required = True
            self.fields["deciding_unit"].error_messages = {"required": _("Hãy chọn đơn vị giải quyết hồ sơ.")}

    def clean(self):
        data = super().clean()
        if data.get("outcome") in ("supplement", "refuse") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Ghi rõ giấy tờ cần bổ sung, hoàn thiện.") if data["outcome"] == "supplement"
                           else _("Ghi rõ lý do từ chối tiếp nhận."))
        return data

    def document_items(self):
        return document_items(self)

    def deciding(self):
        code = self.cleaned_data.get("deciding_unit")
        return Unit.objects.filter(code=code).first() if code else None


def document_items(form):
    """The procedure's documents with their checkbox state, for a list that marks the mandatory ones."""
    if form.is_bound:
        chosen = set(form.data.getlist(form.add_prefix("documents")))
    else:
        chosen = {str(i) for i in form.initial.get("documents", ())}
    return [{"doc": d, "checked": str(d.pk) in chosen} for d in form.document_rows]


def deciding_unit_choices(version, officer) -> list[tuple[str, str]]:
    """Units to choose from when the deciding unit does not follow from the procedure and the counter.

    Mirrors `services._version_and_unit`: one deciding unit, or a commune procedure received at a
    commune, or the receiving unit among the deciding ones → nothing to choose.
    """
    deciding = list(version.deciding_units.all())
    unit = officer.unit
    if len(deciding) == 1:
        return []
    if version.all_communes and unit is not None and unit.tier == Unit.Tier.COMMUNE:
        return []
    if unit is not None and unit in deciding:
        return []
    if deciding:
        return [(u.code, u.name) for u in deciding]
    if version.all_communes:
        communes = Unit.objects.filter(tier=Unit.Tier.COMMUNE, valid_to__isnull=True).order_by("name")
        return [(u.code, u.name) for u in communes]
    return []


# --- actions on a dossier --------------------------------------------------------------------------------

class ActionForm(forms.Form):
    """Every action carries the version the officer saw (optimistic concurrency, services._save)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, dossier, now=None, **kwargs):
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {"version": dossier.version})
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.now = now

    def params(self) -> dict:
        """Keyword arguments for `services.act`."""
        return {}


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Ghi rõ lý do.")})

    def params(self):
        return {"reason": self.cleaned_data["reason"]}


class RefuseForm(ReasonForm):
    action = "refuse"


class SupplementForm(ReasonForm):
    action = "request_supplement"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Giấy tờ cần bổ sung, hoàn thiện và lý do")
        self.fields["reason"].error_messages = {"required": _("Ghi rõ giấy tờ cần bổ sung, hoàn thiện.")}


class WithdrawForm(ReasonForm):
    action = "withdraw"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Nội dung đề nghị rút hồ sơ của người nộp")


class StopForm(ReasonForm):
    action = "stop"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Lý do dừng giải quyết hồ sơ")


class ApologyForm(ReasonForm):
    action = "apologize"
    new_due_date = forms.DateField(label=_("Ngày hẹn trả mới"), input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   error_messages={"required": _("Nhập ngày hẹn trả mới."),
                                                   "invalid": _("Ngày hẹn trả mới không hợp lệ.")})
    new_due_time = forms.TimeField(label=_("Giờ hẹn trả mới"), initial=time(17, 0), input_formats=["%H:%M", "%H:%M:%S"],
                                   widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                   error_messages={"required": _("Nhập giờ hẹn trả mới."),
                                                   "invalid": _("Giờ hẹn trả mới không hợp lệ.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Lý do chậm trả kết quả")
        self.fields["reason"].error_messages = {"required": _("Ghi rõ lý do chậm trả kết quả.")}

    def params(self):
        local = datetime.combine(self.cleaned_data["new_due_date"], self.cleaned_data["new_due_time"])
        return {"reason": self.cleaned_data["reason"], "new_due": local.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))}


class AssignForm(ActionForm):
    """Close the current step and open the next one, assigned to an officer of that step's unit."""

    assignee = forms.TypedChoiceField(label=_("Người thực hiện bước tiếp theo"), required=False, coerce=int,
                                      empty_value=None)
    note = forms.CharField(label=_("Ghi chú (không bắt buộc)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.next_step = next_step(self.dossier)
        people = assignee_choices(self.next_step)
        self.fields["assignee"].choices = [("", _("Chưa giao (đơn vị tự phân công)"))] + people
        if self.next_step is not None:
            self.fields["assignee"].help_text = _("Bước %(n)s: %(name)s — %(unit)s") % {
                "n": self.next_step.order, "name": self.next_step.name, "unit": self.next_step.unit.name}

    def params(self):
        return {"assignee_id": self.cleaned_data["assignee"], "note": self.cleaned_data["note"]}


class StartForm(AssignForm):
    action = "start_processing"


class HandoverForm(AssignForm):
    action = "handover"


class ReassignForm(ActionForm):
    """A unit leader gives the current step to another officer of the step's unit holding its role."""

    action = "reassign"
    assignee = forms.TypedChoiceField(label=_("Giao bước đang thực hiện cho"), coerce=int, empty_value=None,
                                      error_messages={"required": _("Chọn người nhận bước.")})
    note = forms.CharField(label=_("Ghi chú (không bắt buộc)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        step = self.dossier.current_step
        people = [(pk, label) for pk, label in assignee_choices(step)
                  if step is None or pk != step.assignee_id]
        self.fields["assignee"].choices = [("", _("Chọn người"))] + people
        if step is not None:
            self.fields["assignee"].help_text = _("Bước %(n)s: %(name)s — %(unit)s") % {
                "n": step.order, "name": step.name, "unit": step.unit.name}

    def params(self):
        return {"assignee_id": self.cleaned_data["assignee"], "note": self.cleaned_data["note"]}


class DocumentsForm(ActionForm):
    documents = forms.TypedMultipleChoiceField(label=_("Thành phần hồ sơ đã nhận"), required=False, coerce=int,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.document_rows = list(self.dossier.procedure_version.documents.all())
        self.fields["documents"].choices = [(d.pk, d.name) for d in self.document_rows]
        if not self.is_bound:
            self.initial["documents"] = list(self.dossier.documents_received or [])

    def document_items(self):
        return document_items(self)

    def params(self):
        return {"documents": self.cleaned_data["documents"]}


class AcceptForm(DocumentsForm):
    action = "accept"


class CompleteSupplementForm(DocumentsForm):
    action = "complete_supplement"


class PaymentForm(ActionForm):
    action = "request_payment"
    amount = forms.IntegerField(label=_("Số tiền (đồng)"), min_value=1, max_value=10**13,
                                error_messages={"required": _("Nhập số tiền phải nộp."),
                                                "invalid": _("Số tiền phải là số nguyên (đồng)."),
                                                "min_value": _("Số tiền yêu cầu nộp phải lớn hơn 0 đồng.")})
    note = forms.CharField(label=_("Nội dung nghĩa vụ tài chính"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["amount"] = self.dossier.fee_total_vnd

    def params(self):
        return {"amount_vnd": self.cleaned_data["amount"], "note": self.cleaned_data["note"]}


class ConfirmPaymentForm(ActionForm):
    action = "confirm_payment"


class FinishForm(ActionForm):
    action = "finish"
    note = forms.CharField(label=_("Ghi chú (không bắt buộc)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def params(self):
        return {"note": self.cleaned_data["note"]}


class ReturnForm(ActionForm):
    action = "return_result"
    electronic = forms.BooleanField(label=_("Đã trả bản điện tử của kết quả"), required=False)

    def params(self):
        return {"electronic": self.cleaned_data["electronic"]}


ACTION_FORMS = {cls.action: cls for cls in (
    AcceptForm, RefuseForm, SupplementForm, CompleteSupplementForm, StartForm, HandoverForm, ReassignForm, PaymentForm,
    ConfirmPaymentForm, ApologyForm, WithdrawForm, StopForm, FinishForm, ReturnForm,
)}

# A service error code → the field it is about (so the error summary links to it).
ERROR_FIELDS = {
    "ONESTOP_REASON_REQUIRED": "reason",
    "ONESTOP_BAD_NEW_DUE": "new_due_date",
    "ONESTOP_APOLOGY_TOO_LATE": "new_due_date",
    "ONESTOP_BAD_ASSIGNEE": "assignee",
    "ONESTOP_DOCUMENTS_MISSING": "documents",
    "ONESTOP_BAD_AMOUNT": "amount",
    "ONESTOP_APPLICANT_REQUIRED": "applicant_name",
    "ONESTOP_UNIT_REQUIRED": "deciding_unit",
    "ONESTOP_BAD_OUTCOME": "outcome",
}


def next_step(dossier):
    current = dossier.current_step
    return (dossier.steps.select_related("unit").filter(order__gt=current.order if current else 0)
            .order_by("order").first())


def assignee_choices(step) -> list[tuple[int, str]]:
    """Officers who may be given `step` (`policy.may_hold_step`: of the step's unit, holding its role).

    The list keeps to the step's unit itself (and its successor, for what a dissolved unit left): the units
    above it hold city-wide accounts that would otherwise be offered for every step."""
    from .policy import may_hold_step

    if step is None:
        return []
    units = [step.unit_id] + ([step.unit.successor_id] if step.unit.successor_id else [])  # a dissolved unit's work
    people = [u for u in User.objects.filter(role__in=User.OFFICER_ROLES, unit__in=units, is_active=True)
              .select_related("unit") if may_hold_step(u, step)]
    people.sort(key=lambda u: str(u).casefold())
    return [(u.pk, f"{u} — {u.get_role_display()}") for u in people]
