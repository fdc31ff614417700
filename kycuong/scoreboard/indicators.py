"""The Decision 766 index as data: every indicator of docs/legal/decision-766.md §1.2 with its points, target, definition and
where its numbers come from, the scoring function, the group maxima and the rating bands (docs/legal/decision-766.md §1.3).

Numbers users trust are defined once (docs/design.md rule 9): the definition text here is the one shown on
the pages, and `points()` is the only scoring function.

Sources: QĐ 766/QĐ-TTg (23/6/2022) for the five groups and their maxima ✅; the VPCP technical note
"Mô tả công thức tính chỉ số 766" as transcribed by a public dashboard that reconciles with the national
portal for formulas, points per indicator and targets 🟡 (docs/legal/decision-766.md §1.2). Where docs/legal/decision-766.md marks a target
"?", none is known: the indicator then scores linearly (points = max × rate) and the page says so.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

# Where an indicator's numerator and denominator come from.
DOSSIERS = "dossiers"      # computed from our one-stop records (counters, scoreboard.facts)
CATALOG = "catalog"        # computed from the procedure catalog (a snapshot, not period-based)
FEEDBACK = "feedback"      # computed from citizens' reports (feedback app)
RATINGS = "ratings"        # computed from citizens' ratings (portal)
ENTERED = "entered"        # data the city does not hold (national databases): entered by an administrator
# (3.5b and 4.x: the VPCP has published no formula — docs/legal/decision-766.md §1.2)

# Online-service profiles (docs/legal/decision-766.md §1.2 row 3.x): the decision's three indicators 3.1–3.3, or the single
# 12-point "toàn trình" indicator the portal declares since 2024. Selected per period (Profile rows).
PROFILE_CLASSIC = "classic"
PROFILE_FULL_ONLINE = "full_online"
BOTH = "both"


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max_points: Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name: str
    max_points: Decimal
    target: Decimal | None     # the rate that earns full marks; None = linear (points = max × rate)
    source: str
    definition: str
    profile: str = BOTH
    mark: str = "🟡"            # confidence mark (docs/legal/README.md)

    @property
    def monitoring_only(self) -> bool:
        return self.max_points == 0


D = Decimal
# The six columns the national portal shows since 2024 (docs/legal/decision-766.md §1.1): the decision's group
# "Cung cấp dịch vụ trực tuyến" (22) appears as online services (12) + online payment (10).
GROUPS = [
    Group("CKMB", _("Công khai, minh bạch"), D(18)),
    Group("TDGQ", _("Tiến độ giải quyết"), D(20)),
    Group("DVCTT", _("Dịch vụ công trực tuyến"), D(12)),
    Group("TTTT", _("Thanh toán trực tuyến"), D(10)),
    Group("MDHL", _("Mức độ hài lòng"), D(18)),
    Group("SHHS", _("Số hóa hồ sơ"), D(22)),
]
GROUP_BY_CODE = {g.code: g for g in GROUPS}

I = Indicator
INDICATORS = [
    I("1.1", "CKMB", _("TTHC công bố đúng hạn"), D(6), None, ENTERED,
      _("Số TTHC có quyết định công bố ban hành chậm nhất 5 ngày làm việc trước ngày văn bản quy định có hiệu lực "
        "(cấp tỉnh) ÷ số TTHC trong các quyết định công bố ban hành trong kỳ.")),
    I("1.2", "CKMB", _("TTHC cập nhật, công khai đúng hạn trên CSDL quốc gia"), D(4), None, ENTERED,
      _("Số TTHC được công khai trên CSDL quốc gia về TTHC chậm nhất 5 ngày làm việc sau ngày quyết định công bố "
        "÷ số TTHC phải công khai.")),
    I("1.3", "CKMB", _("TTHC công khai đủ bộ phận tạo thành"), D(2), None, CATALOG,
      _("Số TTHC công khai đủ 7 bộ phận (k.2 Đ.8 NĐ 63/2010) ÷ số TTHC đã công khai, thuộc thẩm quyền của đơn vị. "
        "Đủ khi có: tên; trình tự thực hiện; ít nhất một cách thức nộp; ít nhất một thành phần hồ sơ và số bộ; "
        "thời hạn giải quyết; đối tượng thực hiện; cơ quan thực hiện. Ảnh chụp danh mục hiện hành (các phiên bản "
        "đang áp dụng hôm nay), không theo kỳ.")),
    I("1.4", "CKMB", _("Hồ sơ đồng bộ lên Cổng DVCQG"), D(6), None, ENTERED,
      _("Số hồ sơ có ngày tiếp nhận trong kỳ đã đồng bộ lên Cổng DVCQG ÷ số hồ sơ trên hệ thống báo cáo quốc gia.")),
    I("2.1", "TDGQ", _("Hồ sơ xử lý trước hạn, đúng hạn"), D(20), None, DOSSIERS,
      _("Số hồ sơ kết thúc xử lý không muộn hơn ngày hẹn trả (thời gian bổ sung không tính; hồ sơ bị yêu cầu bổ "
        "sung quá một lần tính là trễ) ÷ số hồ sơ. Hồ sơ đã kết thúc được tính vào kỳ kết thúc xử lý; hồ sơ đang "
        "xử lý được tính vào kỳ hiện tại và là trễ hạn khi đã quá ngày hẹn. Điểm = 20 × tỷ lệ."), mark="🟡"),
    I("2.2", "TDGQ", _("Thời gian giải quyết trung bình"), D(0), None, DOSSIERS,
      _("Tổng thời gian xử lý ÷ số hồ sơ đã giải quyết; chỉ để theo dõi.")),
    I("3.1", "DVCTT", _("TTHC cung cấp dịch vụ công trực tuyến"), D(2), D("0.8"), CATALOG,
      _("Số TTHC có dịch vụ trực tuyến (một phần hoặc toàn trình) ÷ số TTHC thuộc thẩm quyền: sở, ngành — các TTHC "
        "do đơn vị quyết định; UBND cấp xã — các TTHC cấp xã; UBND Thành phố — tất cả. Ảnh chụp danh mục hiện hành, "
        "không theo kỳ."),
      profile=PROFILE_CLASSIC),
    I("3.2", "DVCTT", _("DVCTT có phát sinh hồ sơ"), D(4), D(1), DOSSIERS,
      _("Số dịch vụ trực tuyến (TTHC thuộc thẩm quyền có mức một phần hoặc toàn trình trong danh mục hiện hành) có "
        "ít nhất một hồ sơ nộp trực tuyến được tiếp nhận trong kỳ ÷ số dịch vụ trực tuyến đó."),
      profile=PROFILE_CLASSIC),
    I("3.3", "DVCTT", _("Hồ sơ nộp trực tuyến"), D(6), D("0.5"), DOSSIERS,
      _("Số hồ sơ tiếp nhận trong kỳ nộp trực tuyến (kênh 2) và, nếu TTHC trả kết quả bản giấy, có kết quả điện tử "
        "÷ số hồ sơ tiếp nhận trong kỳ. Toàn bộ hồ sơ của thành phố nằm trong hệ thống nên tỷ lệ đồng bộ là 1."),
      profile=PROFILE_CLASSIC),
    I("3.x", "DVCTT", _("Hồ sơ DVCTT toàn trình"), D(12), None, DOSSIERS,
      _("Số hồ sơ nộp trực tuyến của TTHC cung cấp toàn trình ÷ số hồ sơ của TTHC đủ điều kiện toàn trình, "
        "tiếp nhận trong kỳ."), profile=PROFILE_FULL_ONLINE),
    I("3.5", "TTTT", _("TTHC có nghĩa vụ tài chính tích hợp thanh toán trực tuyến"), D(2), D("0.8"), ENTERED,
      _("Số TTHC có dữ liệu phí được đồng bộ trong kỳ ÷ số TTHC có phí, lệ phí khác 0.")),
    I("3.5b", "TTTT", _("TTHC có giao dịch thanh toán trực tuyến"), D(2), None, ENTERED,
      _("Công thức chưa được công bố; nhập từ số liệu của Cổng DVCQG.")),
    I("3.6", "TTTT", _("Hồ sơ thanh toán trực tuyến"), D(6), None, DOSSIERS,
      _("Số hồ sơ tiếp nhận trong kỳ đã thanh toán trực tuyến (qua Cổng DVCQG hoặc cổng thanh toán địa phương) "
        "÷ số hồ sơ tiếp nhận trong kỳ có phí, lệ phí khác 0.")),
    I("4.1", "SHHS", _("Hồ sơ có kết quả giải quyết điện tử"), D(6), None, DOSSIERS,
      _("Số hồ sơ tiếp nhận trong kỳ có tệp kết quả điện tử, của TTHC trả kết quả bản giấy ÷ số hồ sơ đó.")),
    I("4.2", "SHHS", _("Hồ sơ thực hiện số hóa"), D(4), D("0.8"), DOSSIERS,
      _("Số hồ sơ tiếp nhận trong kỳ được số hóa thành phần và (nếu TTHC trả kết quả bản giấy) có kết quả điện tử "
        "÷ số hồ sơ tiếp nhận trong kỳ.")),
    I("4.x", "SHHS", _("Cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính"), D(2), None, ENTERED,
      _("Công thức chưa được công bố; nhập từ số liệu của Cổng DVCQG.")),
    I("4.3", "SHHS", _("Hồ sơ khai thác, sử dụng lại dữ liệu số hóa"), D(2), D("0.8"), DOSSIERS,
      _("Số hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần sử dụng lại dữ liệu đã số hóa ÷ số hồ sơ tiếp nhận.")),
    I("4.4", "SHHS", _("Hồ sơ số hóa kết nối kho dữ liệu cá nhân"), D(4), None, ENTERED,
      _("Số hồ sơ có tệp lấy từ kho dữ liệu cá nhân trên Cổng DVCQG ÷ số hồ sơ; nhập từ số liệu của Cổng DVCQG.")),
    I("4.5a", "SHHS", _("TTHC kết nối CSDL quốc gia về dân cư"), D(2), None, ENTERED,
      _("Số TTHC có hồ sơ dùng tài khoản VNeID hoặc dữ liệu dân cư ÷ số TTHC cho công dân.")),
    I("4.5b", "SHHS", _("Hồ sơ sử dụng dữ liệu CSDL quốc gia về dân cư"), D(2), None, DOSSIERS,
      _("Số hồ sơ tiếp nhận trong kỳ có tài khoản xác thực VNeID hoặc dùng dữ liệu dân cư ÷ số hồ sơ tiếp nhận.")),
    I("5.1", "MDHL", _("Phản ánh, kiến nghị theo phân loại"), D(0), None, FEEDBACK,
      _("Số phản ánh, kiến nghị về quy định, TTHC (tử số) trên tổng số phản ánh, kiến nghị (mẫu số; phần còn lại là "
        "về hành vi của cán bộ) gửi trong kỳ, theo đơn vị xử lý; chỉ để theo dõi.")),
    I("5.2", "MDHL", _("Phản ánh, kiến nghị xử lý đúng hạn"), D(6), None, FEEDBACK,
      _("Số phản ánh, kiến nghị xử lý đúng hạn ÷ số phản ánh, kiến nghị tiếp nhận, xử lý trong kỳ, theo đơn vị xử lý. "
        "Đúng hạn: chuyển “chờ công khai” trong 15 ngày làm việc kể từ khi gửi hoặc lần chuyển gần nhất (từ chối: "
        "trong 02 ngày làm việc). Phản ánh được tính một lần, vào kỳ kết thúc xử lý (trả lời hoặc từ chối); phản ánh "
        "đang xử lý được tính vào kỳ hiện tại và là trễ hạn khi đã quá hạn xử lý.")),
    I("5.3", "MDHL", _("Hài lòng trong xử lý phản ánh, kiến nghị"), D(6), None, FEEDBACK,
      _("(Số PAKN − số PAKN có lượt không hài lòng nhiều hơn hài lòng − số quá hạn − số lặp lại) ÷ số PAKN, cùng các "
        "phản ánh và cùng kỳ như 5.2; một phản ánh vừa quá hạn, vừa lặp lại hoặc bị không hài lòng chỉ bị trừ một lần. "
        "Lượt đánh giá sau khi công khai cập nhật kỳ kết thúc xử lý của phản ánh.")),
    I("5.4", "MDHL", _("Hài lòng trong tiếp nhận, giải quyết TTHC"), D(6), D("0.9"), RATINGS,
      _("100 % − (tỷ lệ hồ sơ quá hạn + tỷ lệ hồ sơ có phản ánh, kiến nghị hoặc bị đánh giá không hài lòng), trên "
        "các hồ sơ của chỉ tiêu 2.1 (hồ sơ quá hạn như 2.1; phản ánh, đánh giá không hài lòng tính cho hồ sơ đã "
        "kết thúc xử lý). Không âm.")),
]
BY_CODE = {i.code: i for i in INDICATORS}
# Indicators computed from dossier counters (scoreboard.facts); the others come from their own sources.
DOSSIER_COUNTED = ("2.1", "3.3", "3.x", "3.6", "4.1", "4.2", "4.3", "4.5b", "5.4")
# From citizens' reports (scoreboard.facts.report_fact, counters kept by the feedback events).
REPORT_COUNTED = ("5.1", "5.2", "5.3")
# From the catalog snapshot (scoreboard.catalog_scope); 3.2 also needs the online-dossier counts.
CATALOG_COUNTED = ("1.3", "3.1", "3.2")
COMPUTED = DOSSIER_COUNTED + REPORT_COUNTED + CATALOG_COUNTED

assert all(i.group in GROUP_BY_CODE for i in INDICATORS)


def indicators_for(profile: str) -> list[Indicator]:
    return [i for i in INDICATORS if i.profile in (BOTH, profile)]


def _check_group_sums():
    """Each profile's indicators add up to the group maxima, and the groups to 100 (docs/legal/decision-766.md §1.2)."""
    for profile in (PROFILE_CLASSIC, PROFILE_FULL_ONLINE):
        for group in GROUPS:
            total = sum(i.max_points for i in indicators_for(profile) if i.group == group.code)
            assert total == group.max_points, (profile, group.code, total)
    assert sum(g.max_points for g in GROUPS) == 100


_check_group_sums()

TWO_PLACES = Decimal("0.01")


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator; None when the denominator is 0 (shown as N/A, never as 0 or 100 %)."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def points(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    """`min(max, max × rate ÷ target)`; with no target `max × rate` (the VPCP note's function, docs/legal/decision-766.md §1.2).

    2.1 has no target: 20 × the on-time rate. Rounded to 2 decimals for display only by `display()`.
    """
    if value is None:
        return None
    if indicator.target is None:
        return indicator.max_points * value
    return min(indicator.max_points, indicator.max_points * value / indicator.target)


def display(value: Decimal | None) -> str:
    return "—" if value is None else str(value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Band:
    code: str
    name: str
    lower: Decimal   # inclusive
    mark: str        # docs/legal/decision-766.md §1.3 confidence: ✅ read, 🟡 secondary, ⚠️ inferred


BANDS = [
    Band("xuat_sac", _("Xuất sắc"), D(90), "✅"),
    Band("tot", _("Tốt"), D(80), "🟡"),
    Band("kha", _("Khá"), D(70), "⚠️"),
    Band("trung_binh", _("Trung bình"), D(50), "⚠️"),
    Band("yeu", _("Yếu"), D(0), "✅"),
]


def band(total: Decimal | None) -> Band | None:
    """Rating band of a total score (docs/legal/decision-766.md §1.3); the ⚠️ bands are inferred and say so on the page."""
    if total is None:
        return None
    for b in BANDS:
        if total >= b.lower:
            return b
    return BANDS[-1]
