"""Forms of the feedback pages (shape and labels only; the rules live in services.py)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from kycuong.core.models import Unit

from .models import Channel, Kind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


def unit_choices():
    return [("", _("— Không rõ / để cơ quan tiếp nhận xác định —"))] + [
        (u.code, u.name) for u in Unit.objects.filter(valid_to__isnull=True).order_by("path")]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Bạn phản ánh về"), choices=Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Chọn loại phản ánh.")})
    title = forms.CharField(label=_("Tiêu đề (không bắt buộc)"), max_length=200, required=False)
    text = forms.CharField(label=_("Nội dung phản ánh"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000,
                           help_text=_("Mô tả sự việc: ở đâu, khi nào, ai, việc gì. Tối đa 4.000 ký tự."),
                           error_messages={"required": _("Nhập nội dung phản ánh.")})
    dossier_code = forms.CharField(label=_("Mã hồ sơ liên quan (nếu có)"), max_length=64, required=False,
                                   help_text=_("Ví dụ: H26.104-260302-0001"))
    procedure_code = forms.CharField(label=_("Mã thủ tục hành chính (nếu có)"), max_length=64, required=False)
    unit_code = forms.ChoiceField(label=_("Đơn vị bị phản ánh (nếu biết)"), required=False, choices=())
    official_name = forms.CharField(label=_("Họ tên cán bộ (nếu biết)"), max_length=150, required=False)
    official_description = forms.CharField(label=_("Vị trí, quầy, đặc điểm nhận dạng cán bộ (nếu có)"),
                                           max_length=200, required=False)
    files = MultipleFileField(label=_("Tệp kèm theo (không bắt buộc)"), required=False,
                              help_text=_("PDF hoặc ảnh (JPG, PNG, TIFF, HEIC, WebP), mỗi tệp tối đa 10 MB."))
    reporter_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    reporter_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    reporter_email = forms.EmailField(label=_("Thư điện tử"), required=False,
                                      error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].choices = unit_choices()
        if staff:
            self.fields["channel"] = forms.ChoiceField(
                label=_("Kênh tiếp nhận"), widget=forms.RadioSelect,
                choices=[(Channel.HOTLINE, Channel.HOTLINE.label), (Channel.WALK_IN, Channel.WALK_IN.label)],
                error_messages={"required": _("Chọn kênh tiếp nhận.")})


class TrackForm(forms.Form):
    ma = forms.RegexField(label=_("Mã phản ánh"), regex=r"^\s*[Pp][Aa]-[0-9A-Za-z]{8}\s*$", max_length=20,
                          error_messages={"required": _("Nhập mã phản ánh."),
                                          "invalid": _("Mã phản ánh có dạng PA- và 8 ký tự, ví dụ PA-7K3QX9M2.")})
