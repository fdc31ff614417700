"""Portal forms: labels and messages in Vietnamese (gettext), GOV.UK markup in the templates."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Profile

REQUIRED = {"required": _("Trường này là bắt buộc.")}
SCALE = [(i, label) for i, label in (
    (1, _("1 — Rất không hài lòng")), (2, _("2 — Không hài lòng")), (3, _("3 — Bình thường")),
    (4, _("4 — Hài lòng")), (5, _("5 — Rất hài lòng")))]
# The five SIPAS factors (docs/legal/reform.md §4.1; QĐ 2640/QĐ-BNV, QĐ 1001/QĐ-BNV).
FACTORS = [
    ("access", _("Tiếp cận dịch vụ")),
    ("procedure", _("Thủ tục hành chính")),
    ("officer", _("Công chức trực tiếp giải quyết công việc")),
    ("result", _("Kết quả dịch vụ")),
    ("feedback", _("Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị")),
]


class ContactForm(forms.Form):
    contact = forms.CharField(label=_("Thư điện tử hoặc số điện thoại di động"), max_length=254,
                              error_messages={"required": _("Nhập thư điện tử hoặc số điện thoại.")},
                              help_text=_("Mã xác thực sẽ được gửi tới đây, ví dụ ten@vidu.vn hoặc 0912345678."))


class SignUpForm(ContactForm):
    full_name = forms.CharField(label=_("Họ và tên (hoặc tên doanh nghiệp)"), max_length=150,
                                error_messages={"required": _("Nhập họ và tên hoặc tên doanh nghiệp.")})
    kind = forms.ChoiceField(label=_("Bạn là"), choices=Profile.Kind.choices, widget=forms.RadioSelect,
                             initial=Profile.Kind.PERSON, error_messages={"required": _("Chọn loại tài khoản.")})
    field_order = ["full_name", "kind", "contact"]


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Mã xác thực (6 chữ số)"), max_length=6, min_length=6,
                           error_messages={"required": _("Nhập mã xác thực gồm 6 chữ số."),
                                           "min_length": _("Mã xác thực gồm 6 chữ số."),
                                           "max_length": _("Mã xác thực gồm 6 chữ số.")})


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên (hoặc tên doanh nghiệp)"), max_length=150,
                                error_messages={"required": _("Nhập họ và tên hoặc tên doanh nghiệp.")})
    id_number = forms.CharField(label=_("Số định danh cá nhân hoặc mã số doanh nghiệp"), max_length=20,
                                required=False, help_text=_("12 chữ số trên thẻ căn cước."))
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)


class ApplicantForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên người nộp"), max_length=200,
                           error_messages={"required": _("Nhập họ và tên người nộp hồ sơ.")})
    id_number = forms.RegexField(label=_("Số định danh cá nhân"), regex=r"^\d{9,13}$", max_length=13,
                                 error_messages={"required": _("Nhập số định danh cá nhân."),
                                                 "invalid": _("Số định danh cá nhân gồm 12 chữ số.")})
    phone = forms.RegexField(label=_("Số điện thoại"), regex=r"^0\d{9}$", max_length=10, required=False,
                             error_messages={"invalid": _("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0.")})
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             error_messages={"invalid": _("Thư điện tử không đúng định dạng, ví dụ ten@vidu.vn.")})
    address = forms.CharField(label=_("Địa chỉ"), max_length=300,
                              error_messages={"required": _("Nhập địa chỉ liên hệ.")})
    deciding_unit = forms.ChoiceField(label=_("Cơ quan giải quyết"),
                                      error_messages={"required": _("Chọn cơ quan giải quyết hồ sơ."),
                                                      "invalid_choice": _("Chọn cơ quan giải quyết hồ sơ.")})

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        choices = [(str(u.pk), u.name) for u in units]
        if len(choices) != 1:
            choices = [("", _("— Chọn —"))] + choices
        self.fields["deciding_unit"].choices = choices

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Nhập số điện thoại hoặc thư điện tử để nhận thông báo."))
        return data

    def unit(self):
        return self.units.get(self.cleaned_data.get("deciding_unit") or "")


class SurveyForm(forms.Form):
    comment = forms.CharField(label=_("Góp ý thêm (không bắt buộc)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in FACTORS:
            self.fields[key] = forms.TypedChoiceField(
                label=label, choices=SCALE, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("Chọn mức hài lòng cho tiêu chí này.")})
        self.order_fields([k for k, _l in FACTORS] + ["comment"])


class ResultUploadForm(forms.Form):
    """Officer side: the electronic result file (checked by content in the service)."""

    result = forms.FileField(label=_("Tệp kết quả điện tử (PDF hoặc ảnh)"),
                             error_messages={"required": _("Chọn tệp kết quả để đính kèm.")})
    version = forms.IntegerField(widget=forms.HiddenInput)
