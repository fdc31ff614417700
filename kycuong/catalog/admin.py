"""Back office for the catalog. Forms validate with the same checks as the services, and every save,
delete and import goes through `services` (the admin never writes a model itself)."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import DomainError
from kycuong.core.text import fold

from . import checks, exchange, services
from .models import (
    Field, HourlyRate, LegalBasis, Procedure, ProcedureDocument, ProcedureFee, ProcedureStep, ProcedureVersion,
    SimplificationRecord,
)
from .queries import versions_in_force


def _problems_to_errors(problems):
    return [ValidationError(str(p.message), code=p.code) for p in problems]


class FoldedSearchMixin:
    """Admin search with the folded key, so "dang ky" finds "Đăng ký" on both databases."""

    folded_field = "name_folded"
    code_field = "code"

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        by_name = queryset
        for word in fold(term).split():
            by_name = by_name.filter(**{f"{self.folded_field}__contains": word})
        by_code = queryset.filter(**{f"{self.code_field}__icontains": term})
        return (by_name | by_code), False


# ---- inlines of a version ----

def _active_rows(formset, fields):
    """The cleaned rows a user kept (not deleted, not blank), in their `order` (position when blank)."""
    rows = []
    for position, form in enumerate(formset.forms, 1):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append((data.get("order") or position * 1000, position, {f: data.get(f) for f in fields}))
    return [r for _o, _p, r in sorted(rows, key=lambda t: (t[0], t[1]))]


STEP_FIELDS = ("name", "role", "unit", "hours", "is_return_step", "requires_second_person")
FEE_FIELDS = ("name", "amount_vnd", "note")
DOCUMENT_FIELDS = ("name", "originals", "copies", "mandatory", "note")


class OrderedInlineForm(forms.ModelForm):
    order = forms.IntegerField(label=_("thứ tự"), required=False, min_value=1)


class StepFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        v = self.instance
        if v.limit_amount is None or not v.limit_unit:
            return
        result = checks.check_steps(v.limit_amount, v.limit_unit, _active_rows(self, STEP_FIELDS))
        if result.problems:
            raise ValidationError(_problems_to_errors(result.problems))


class DocumentFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for row in _active_rows(self, DOCUMENT_FIELDS):
            if (row["originals"] or 0) + (row["copies"] or 0) < 1:
                raise ValidationError(_("Giấy tờ “%(n)s”: phải ghi ít nhất 01 bản chính hoặc 01 bản sao.") % {"n": row["name"]},
                                      code="CATALOG_DOCUMENT_NO_COUNT")


class CopiedRowsMixin:
    """On "add a version", the inlines start with the rows of the version being copied."""

    def get_extra(self, request, obj=None, **kwargs):
        rows = getattr(request, "_catalog_copied_rows", {}).get(self.model)
        return len(rows) if rows else self.extra


class StepInline(CopiedRowsMixin, admin.TabularInline):
    model = ProcedureStep
    form = OrderedInlineForm
    formset = StepFormSet
    fields = ("order", "name", "role", "unit", "hours", "is_return_step", "requires_second_person")
    autocomplete_fields = ("unit",)
    extra = 0
    verbose_name_plural = _("Quy trình nội bộ (1 ngày làm việc = 8 giờ; bước trả kết quả ở cuối, 0 giờ)")


class FeeInline(CopiedRowsMixin, admin.TabularInline):
    model = ProcedureFee
    form = OrderedInlineForm
    fields = ("order", "name", "amount_vnd", "note")
    extra = 0


class DocumentInline(CopiedRowsMixin, admin.TabularInline):
    model = ProcedureDocument
    form = OrderedInlineForm
    formset = DocumentFormSet
    fields = ("order", "name", "originals", "copies", "mandatory", "note")
    extra = 0


class LegalBasisInline(CopiedRowsMixin, admin.TabularInline):
    model = ProcedureVersion.legal_bases.through
    autocomplete_fields = ("legalbasis",)
    extra = 0
    verbose_name = _("căn cứ pháp lý")
    verbose_name_plural = _("căn cứ pháp lý")


VERSION_FORM_FIELDS = (
    "name", "field", "level", "sequence", "channel_direct", "channel_online", "channel_postal", "method",
    "dossier_sets", "limit_amount", "limit_unit", "limit_note", "service_target_amount", "cutoff", "subjects",
    "deciding_authority", "deciding_units", "receiving_units", "all_communes", "conditions", "result_form",
    "result_name", "online_level", "full_online_eligible", "dossiers_per_year", "effective_to",
)


class VersionForm(forms.ModelForm):
    class Meta:
        model = ProcedureVersion
        exclude = ("legal_bases",)

    def clean(self):
        data = super().clean()
        problems = []
        if data.get("limit_amount") is not None and data.get("limit_unit"):
            problems += checks.check_limit(data["limit_amount"], data["limit_unit"], data.get("service_target_amount"))
        if data.get("online_level"):
            problems += checks.check_online(data["online_level"], data.get("full_online_eligible"), data.get("channel_online"))
        if not self.instance.pk and data.get("procedure") and data.get("effective_from"):
            problem = services.check_new_version_start(data["procedure"], data["effective_from"])
            if problem:
                problems.append(problem)
        if problems:
            raise ValidationError(_problems_to_errors(problems))
        return data


class InForceFilter(admin.SimpleListFilter):
    title = _("tình trạng áp dụng")
    parameter_name = "ap_dung"

    def lookups(self, request, model_admin):
        return [("now", _("Đang áp dụng")), ("past", _("Đã hết áp dụng")), ("future", _("Sắp áp dụng"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "now":
            return queryset.filter(pk__in=versions_in_force(today).values("pk"))
        if self.value() == "past":
            return queryset.filter(effective_to__lt=today)
        if self.value() == "future":
            return queryset.filter(effective_from__gt=today)
        return queryset


class ServiceErrorsMixin:
    """A domain error raised inside a save (after the forms validated) becomes a message, not a 500."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, f"{exc.message} [{exc.code}]", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, f"{exc.message} [{exc.code}]", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ServiceErrorsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = VersionForm
    code_field = "procedure__code"
    inlines = [StepInline, DocumentInline, FeeInline, LegalBasisInline]
    list_display = ("procedure_code", "name", "field", "level", "effective_from", "effective_to", "limit_text",
                    "online_level", "completeness_badge")
    list_display_links = ("procedure_code", "name")
    list_filter = (InForceFilter, "level", "field", "online_level", "limit_unit", "all_communes", "procedure__is_demo")
    list_select_related = ("procedure", "field")
    search_fields = ("procedure__code", "name_folded")
    search_help_text = _("Tìm theo mã hoặc tên thủ tục (gõ có dấu hay không dấu đều được).")
    autocomplete_fields = ("procedure", "field", "deciding_units", "receiving_units")
    readonly_fields = ("completeness_report", "step_report")
    date_hierarchy = "effective_from"
    actions = None
    fieldsets = (
        (None, {"fields": ("procedure", "effective_from", "effective_to")}),
        (_("Kiểm tra"), {"fields": ("completeness_report", "step_report")}),
        (_("1. Tên và phân loại"), {"fields": ("name", "field", "level")}),
        (_("2. Trình tự thực hiện"), {"fields": ("sequence",)}),
        (_("3. Cách thức thực hiện"), {"fields": (("channel_direct", "channel_online", "channel_postal"), "method",
                                                 "online_level", "full_online_eligible", "cutoff")}),
        (_("4. Hồ sơ"), {"fields": ("dossier_sets",), "description": _("Thành phần hồ sơ ở bảng bên dưới.")}),
        (_("5. Thời hạn giải quyết"), {"fields": (("limit_amount", "limit_unit"), "limit_note", "service_target_amount")}),
        (_("6. Đối tượng thực hiện"), {"fields": ("subjects", "conditions")}),
        (_("7. Cơ quan thực hiện"), {"fields": ("deciding_authority", "deciding_units", "all_communes", "receiving_units")}),
        (_("Kết quả và số liệu"), {"fields": ("result_form", "result_name", "dossiers_per_year")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # The start date is a version's identity: change it by publishing a new version.
        base = tuple(super().get_readonly_fields(request, obj))
        return base + ("procedure", "effective_from") if obj else base

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # "Add a version" from a procedure page starts from a copy of its latest version.
        procedure_id = request.GET.get("procedure")
        latest = ProcedureVersion.objects.filter(procedure_id=procedure_id).order_by("-effective_from").first() \
            if procedure_id and procedure_id.isdigit() else None
        if latest:
            data = services.snapshot(latest)
            for name in VERSION_FORM_FIELDS:
                if name in data and name not in initial:
                    value = data[name]
                    initial[name] = [u.pk for u in value] if isinstance(value, list) else \
                        (value.pk if hasattr(value, "pk") else value)
            request._catalog_copied_rows = {
                ProcedureStep: [{**row, "order": i, "unit": row["unit"].pk if row["unit"] else None}
                                for i, row in enumerate(data["steps"], 1)],
                ProcedureDocument: [{**row, "order": i} for i, row in enumerate(data["documents"], 1)],
                ProcedureFee: [{**row, "order": i} for i, row in enumerate(data["fees"], 1)],
                ProcedureVersion.legal_bases.through: [{"legalbasis": b.pk} for b in data["legal_bases"]],
            }
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        rows = getattr(request, "_catalog_copied_rows", {}).get(inline.model)
        if rows and request.method == "GET":
            kwargs["initial"] = rows
        return kwargs

    @admin.display(description=_("mã"), ordering="procedure__code")
    def procedure_code(self, obj):
        return obj.procedure.code

    @admin.display(description=_("thời hạn"))
    def limit_text(self, obj):
        return checks.limit_in_words(obj.limit_amount, obj.limit_unit)

    @admin.display(description=_("7 bộ phận"))
    def completeness_badge(self, obj):
        missing = checks.missing_parts(obj)
        return _("Đủ") if not missing else _("Thiếu %(n)s") % {"n": len(missing)}

    @admin.display(description=_("7 bộ phận (k.2 Đ.8 NĐ 63/2010/NĐ-CP)"))
    def completeness_report(self, obj):
        if not obj or not obj.pk:
            return _("Kiểm tra sau khi lưu.")
        return format_html_join(
            "", "<div>{} {}</div>",
            (("✓" if p["present"] else "✗", p["label"] if p["present"] else _("%(p)s — chưa có") % {"p": p["label"]})
             for p in checks.completeness(obj)),
        )

    @admin.display(description=_("tổng thời gian các bước"))
    def step_report(self, obj):
        if not obj or not obj.pk:
            return _("Kiểm tra khi lưu.")
        result = checks.check_steps(obj.limit_amount, obj.limit_unit, obj.steps.all())
        return format_html("<strong>{}</strong> {}", _("Khớp.") if result.ok else _("Chưa khớp:"), result.summary)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("documents", "deciding_units")

    def save_model(self, request, obj, form, change):
        pass  # written with its inlines in save_related, through services, in one transaction

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        data = {name: form.cleaned_data[name] for name in VERSION_FORM_FIELDS if name in form.cleaned_data}
        for formset in formsets:
            if formset.model is ProcedureStep:
                data["steps"] = _active_rows(formset, STEP_FIELDS)
            elif formset.model is ProcedureFee:
                data["fees"] = _active_rows(formset, FEE_FIELDS)
            elif formset.model is ProcedureDocument:
                data["documents"] = _active_rows(formset, DOCUMENT_FIELDS)
            elif formset.model is ProcedureVersion.legal_bases.through:
                data["legal_bases"] = [row["legalbasis"] for row in _active_rows(formset, ("legalbasis",))]
        if change:
            services.update_version(obj, **data)
        else:
            saved = services.publish_version(obj.procedure, effective_from=obj.effective_from, **data)
            obj.pk = saved.pk
            obj._state.adding = False

    def construct_change_message(self, request, form, formsets, add=False):
        # The inline formsets were never saved themselves (services wrote the rows); log the form only.
        return super().construct_change_message(request, form, [], add)

    def delete_model(self, request, obj):
        services.delete_version(obj)


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("effective_from", "effective_to", "name", "level", "limit_amount", "limit_unit", "online_level")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    ordering = ("-effective_from",)
    verbose_name_plural = _("Các phiên bản (bấm để sửa; thêm phiên bản mới bằng nút bên dưới)")


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ("code", "is_demo", "source_note")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not services.CODE_RE.match(code):
            raise ValidationError(_("Mã thủ tục không hợp lệ (ví dụ 1.001193; chỉ chữ, số, dấu chấm, gạch)."), code="CATALOG_BAD_CODE")
        return code


@admin.register(Procedure)
class ProcedureAdmin(ServiceErrorsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = ProcedureForm
    inlines = [VersionInline]
    list_display = ("code", "name", "is_demo", "version_count", "add_version_link")
    list_filter = ("is_demo",)
    search_fields = ("code", "name_folded")
    search_help_text = _("Tìm theo mã hoặc tên thủ tục (gõ có dấu hay không dấu đều được).")
    change_list_template = "catalog/admin/procedure_change_list.html"
    actions = ["export_selected_xlsx", "export_selected_csv"]

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    @admin.display(description=_("số phiên bản"))
    def version_count(self, obj):
        return obj.versions.count()

    @admin.display(description=_("phiên bản mới"))
    def add_version_link(self, obj):
        url = reverse("admin:catalog_procedureversion_add") + f"?procedure={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Thêm phiên bản"))

    def save_model(self, request, obj, form, change):
        if change:
            services.update_procedure(obj, is_demo=form.cleaned_data["is_demo"], source_note=form.cleaned_data["source_note"])
        else:
            saved = services.register_procedure(form.cleaned_data["code"], is_demo=form.cleaned_data["is_demo"],
                                                source_note=form.cleaned_data["source_note"])
            obj.pk = saved.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # versions are edited on their own pages

    def delete_model(self, request, obj):
        services.delete_procedure(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_procedure(obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            # A new procedure is useless without a version: go straight to adding one.
            return HttpResponseRedirect(reverse("admin:catalog_procedureversion_add") + f"?procedure={obj.pk}")
        return super().response_add(request, obj, post_url_continue)

    # ---- import / export ----

    def get_urls(self):
        return [
            path("xuat/<str:fmt>/", self.admin_site.admin_view(self.export_view), name="catalog_procedure_export"),
            path("nhap/", self.admin_site.admin_view(self.import_view), name="catalog_procedure_import"),
        ] + super().get_urls()

    def _export_response(self, fmt, versions=None):
        content = exchange.export_catalog(fmt, versions)
        types = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}
        response = HttpResponse(content, content_type=types[fmt])
        response["Content-Disposition"] = f'attachment; filename="danh-muc-tthc-{timezone.localdate():%Y%m%d}.{fmt}"'
        return response

    def export_view(self, request, fmt):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if fmt not in exchange.FORMATS:
            raise PermissionDenied
        return self._export_response(fmt)

    @admin.action(description=_("Xuất các thủ tục đã chọn ra tệp XLSX"), permissions=["view"])
    def export_selected_xlsx(self, request, queryset):
        return self._export_response("xlsx", ProcedureVersion.objects.filter(procedure__in=queryset))

    @admin.action(description=_("Xuất các thủ tục đã chọn ra tệp CSV"), permissions=["view"])
    def export_selected_csv(self, request, queryset):
        return self._export_response("csv", ProcedureVersion.objects.filter(procedure__in=queryset))

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services.import_file(upload.read(), exchange.guess_format(upload.name) or "",
                                              dry_run=form.cleaned_data["dry_run"])
            except DomainError as exc:
                errors = exc.details.get("errors") or [{"row": "", "code": exc.code, "message": str(exc.message)}]
                self.message_user(request, exc.message, messages.ERROR)
            else:
                text = _("Đã đọc %(rows)s dòng: %(p)s thủ tục mới, %(c)s phiên bản mới, %(u)s phiên bản cập nhật.") % {
                    "rows": report.rows, "p": report.created_procedures, "c": report.created_versions,
                    "u": report.updated_versions}
                if report.dry_run:
                    self.message_user(request, _("Kiểm tra thử, chưa ghi dữ liệu. %(t)s") % {"t": text}, messages.INFO)
                else:
                    self.message_user(request, text, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:catalog_procedure_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nhập danh mục thủ tục từ tệp"),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "headers": exchange.HEADERS,
        }
        return TemplateResponse(request, "catalog/admin/import.html", context)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp XLSX hoặc CSV"), help_text=_("Theo mẫu của tệp xuất danh mục."))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa ghi"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if exchange.guess_format(upload.name) is None:
            raise ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."), code="CATALOG_IMPORT_BAD_FORMAT")
        return upload


# ---- reference tables ----

@admin.register(Field)
class FieldAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()  # the code is the key services save by

    def save_model(self, request, obj, form, change):
        saved = services.save_field(obj.code, obj.name)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalBasis)
class LegalBasisAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ("number", "title", "issued_on", "effective_from", "effective_to")
    search_fields = ("number", "title")
    date_hierarchy = "issued_on"

    def get_readonly_fields(self, request, obj=None):
        return ("number",) if obj else ()

    def save_model(self, request, obj, form, change):
        saved = services.save_legal_basis(obj.number, title=obj.title, issued_on=obj.issued_on,
                                          effective_from=obj.effective_from, effective_to=obj.effective_to, note=obj.note)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HourlyRate)
class HourlyRateAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ("year", "vnd_per_hour", "source")

    def get_readonly_fields(self, request, obj=None):
        return ("year",) if obj else ()

    def save_model(self, request, obj, form, change):
        saved = services.set_hourly_rate(obj.year, obj.vnd_per_hour, obj.source)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SimplificationRecord)
class SimplificationRecordAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ("procedure", "basis", "year", "time_before", "time_after", "time_unit", "dossiers_per_year",
                    "cost_before_vnd", "cost_after_vnd", "saving_vnd", "reduction_percent")
    list_select_related = ("procedure",)
    autocomplete_fields = ("procedure",)
    fields = ("procedure", "basis", "year", "time_unit", "time_before", "time_after", "dossiers_per_year", "note",
              "hourly_rate_vnd", "cost_before_vnd", "cost_after_vnd", "saving_vnd", "reduction_percent")
    readonly_fields = ("hourly_rate_vnd", "cost_before_vnd", "cost_after_vnd", "saving_vnd", "reduction_percent")

    def has_change_permission(self, request, obj=None):
        # A record is a computed fact: record a new one rather than editing the figures.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = services.record_simplification(
            obj.procedure, time_before=obj.time_before, time_after=obj.time_after, time_unit=obj.time_unit,
            dossiers_per_year=obj.dossiers_per_year, year=obj.year, basis=obj.basis, note=obj.note,
        )
        obj.pk = saved.pk
        obj._state.adding = False
