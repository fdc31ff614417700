"""Input forms of the discipline pages (validation only; writes go through services)."""
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kycuong.core.models import Official, Unit
from kycuong.core.queries import visible_units

from .models import Admonition, Directive, SourceKind

INVITABLE_KINDS = [Unit.Kind.DEPARTMENT, Unit.Kind.EQUIVALENT_BODY, Unit.Kind.SERVICE_CENTRE, Unit.Kind.WARD,
                   Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE, Unit.Kind.CITY_COMMITTEE]


def aware(day, moment):
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_default_timezone())


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Tên cuộc họp"), max_length=300)
    chair = forms.ModelChoiceField(label=_("Người chủ trì"), queryset=Official.objects.none())
    day = forms.DateField(label=_("Ngày họp"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Giờ bắt đầu"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Giờ kết thúc"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Đường dẫn họp trực tuyến"), required=False, assume_scheme="https")
    rank = forms.ChoiceField(label=_("Thành phần mời của mỗi đơn vị"), widget=forms.RadioSelect,
                             choices=[(Official.Rank.HEAD, _("Người đứng đầu")), (Official.Rank.DEPUTY, _("Cấp phó"))],
                             initial=Official.Rank.HEAD)
    units = forms.ModelMultipleChoiceField(label=_("Đơn vị được mời"), queryset=Unit.objects.none(),
                                           widget=forms.CheckboxSelectMultiple, required=False)
    officials = forms.ModelMultipleChoiceField(
        label=_("Mời thêm cá nhân"), queryset=Official.objects.none(), required=False,
        help_text=_("Giữ phím Ctrl (hoặc Cmd) để chọn nhiều người."))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Official.objects.filter(
            rank__in=[Official.Rank.HEAD, Official.Rank.DEPUTY], active=True,
            unit__in=visible_units(user)).select_related("unit").order_by("unit__path", "full_name")
        self.fields["units"].queryset = visible_units(user).filter(kind__in=INVITABLE_KINDS, valid_to__isnull=True)
        self.fields["officials"].queryset = Official.objects.filter(
            active=True, unit__in=visible_units(user)).select_related("unit").order_by("unit__path", "full_name")
        self.fields["officials"].label_from_instance = lambda o: f"{o.full_name} — {o.position}, {o.unit.name}"

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("Giờ kết thúc phải sau giờ bắt đầu."))
        if not data.get("units") and not data.get("officials"):
            self.add_error("units", _("Hãy mời ít nhất một đơn vị hoặc một người."))
        return data


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(label=_("Trả lời giấy mời"), widget=forms.RadioSelect,
                               choices=[("accept", _("Tôi sẽ dự họp")),
                                        ("decline", _("Tôi không dự được — báo cáo người chủ trì"))])
    reason = forms.CharField(label=_("Lý do vắng mặt"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    delegate = forms.ModelChoiceField(label=_("Cử người dự thay (nếu được chủ trì đồng ý)"), required=False,
                                      queryset=Official.objects.none())

    def __init__(self, invitation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = Official.objects.filter(unit=invitation.unit, active=True).exclude(
            pk=invitation.official_id)

    def clean(self):
        data = super().clean()
        if data.get("answer") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Hãy nêu lý do vắng mặt để báo cáo người chủ trì."))
        return data


class ConclusionsForm(forms.Form):
    conclusions = forms.CharField(label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 5}))
    task_unit = forms.ModelChoiceField(label=_("Đơn vị được giao nhiệm vụ"), queryset=Unit.objects.none(), required=False)
    task_title = forms.CharField(label=_("Nhiệm vụ"), required=False, max_length=400)
    task_due = forms.DateField(label=_("Thời hạn"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, meeting, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_unit"].queryset = Unit.objects.filter(pk__in=meeting.invitations.values("unit"))


class DirectiveForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60)
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}))
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=Directive.Type.choices)
    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    task_unit = forms.ModelChoiceField(label=_("Đơn vị thực hiện"), queryset=Unit.objects.none())
    task_title = forms.CharField(label=_("Nhiệm vụ"), max_length=400)
    task_due = forms.DateField(label=_("Thời hạn"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_unit"].queryset = visible_units(user).filter(valid_to__isnull=True)


class TaskReportForm(forms.Form):
    text = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Tài liệu minh chứng (PDF hoặc ảnh)"), required=False)


class RecordForm(forms.Form):
    source_kind = forms.ChoiceField(label=_("Nguồn"), choices=SourceKind.choices)
    source_ref = forms.CharField(label=_("Mã nguồn (số biên bản, mã phản ánh…)"), required=False, max_length=64)
    rule = forms.ChoiceField(label=_("Quy tắc vi phạm"), required=False)
    description = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Chứng cứ (PDF hoặc ảnh)"), required=False)

    def __init__(self, *args, **kwargs):
        from .models import ConductRule

        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "—")] + [(r.code, f"{r.code} — {r.title}")
                                                     for r in ConductRule.objects.filter(active=True)]


class AdmonitionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức (không phải kỷ luật)"), choices=Admonition.Kind.choices)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class DeferralForm(forms.Form):
    reason = forms.ChoiceField(label=_("Lý do không tính thời gian"), choices=[
        ("illness", _("Nghỉ theo chế độ, điều trị bệnh (Đ.3)")), ("maternity", _("Mang thai, nghỉ thai sản, nuôi con dưới 12 tháng (Đ.3)")),
        ("prosecution", _("Bị khởi tố, tạm giữ, tạm giam (Đ.3)")), ("criminal", _("Thời gian điều tra, truy tố, xét xử (Đ.5 k.6)")),
        ("complaint", _("Thời gian giải quyết khiếu nại, khởi kiện (Đ.5 k.6)"))])
    start = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))


class CouncilForm(forms.Form):
    members = forms.ModelMultipleChoiceField(label=_("Thành viên Hội đồng kỷ luật (03 người)"),
                                             queryset=Official.objects.none(),
                                             help_text=_("Không chọn người bị xem xét hoặc người thân của họ."))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Official.objects.filter(active=True, unit__in=visible_units(user)).select_related("unit")
        self.fields["members"].label_from_instance = lambda o: f"{o.full_name} — {o.position}, {o.unit.name}"
