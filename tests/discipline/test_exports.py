"""The NĐ 90/2020 evaluation export cannot execute (OWASP CSV injection): names stay text."""
import io

from openpyxl import load_workbook

from kycuong.core.models import Official
from tests.exportcheck import xlsx_formulas


def test_evaluation_xlsx_writes_a_formula_like_name_as_text(people, client):
    evil = '=HYPERLINK("http://x.example","Minh")'
    Official.objects.filter(full_name="Trần Văn Minh").update(full_name=evil)
    client.force_login(people["leader"])
    content = client.get("/ky-luat/danh-gia.xlsx?year=2026").content
    assert xlsx_formulas(content) == []
    assert evil in {row[0] for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)}
