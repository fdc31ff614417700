"""Demo catalog: 30 common procedures of a Hà Nội-like city after the 1/7/2025 two-tier reform.

What is and is not checked (every procedure carries its own `source_note`):
* Codes 1.001193, 1.000894, 1.000656, 2.000815, 2.000884 are the national codes as they appear across
  several independent public datasets of the national TTHC database, and their limits are statutory
  (Luật Hộ tịch 2014; NĐ 23/2015/NĐ-CP Đ.7): these are `is_demo=False`.
* Every other code was read in a single secondary source (or is a placeholder `HN-DEMO-…`) and every
  other limit is recalled from the law, not from Hà Nội's publication decision: `is_demo=True`, to be
  verified against the Chủ tịch UBND TP's decision publishing the catalogue.
* Internal steps everywhere are ILLUSTRATIVE (they sum to the legal limit as the rule requires), not
  Hà Nội's approved internal processes; fees marked "cần đối chiếu" likewise.
* "Ngay trong ngày" limits (hộ tịch, chứng thực) are stored as 2 working hours with a 15:00 cut-off:
  with the default closing time 17:00, any dossier received before 15:00 is then due the same day and
  a later one the next working day — the published rule (docs/legal/working-time.md §2.3) — and `limit_note` keeps the
  legal wording.

`load_demo_catalog()` is idempotent: procedures whose code already exists are left untouched.
"""
from datetime import date

from django.db import transaction

from kycuong.catalog import services
from kycuong.catalog.models import Channel, Level, LimitUnit, OnlineLevel, Procedure, ResultForm
from kycuong.core.models import Unit, User

R, S, L, C = (User.Role.RECEIVING_OFFICER, User.Role.SPECIALIST, User.Role.UNIT_LEADER, User.Role.CLERK)
CENTRE = "H26.200"
REFORM_DAY = date(2025, 7, 1)
COMMUNE_AUTHORITY = "Ủy ban nhân dân cấp xã"

FIELDS = {
    "HT": "Hộ tịch",
    "CT": "Chứng thực",
    "HKD": "Thành lập và hoạt động của hộ kinh doanh",
    "DKDN": "Thành lập và hoạt động doanh nghiệp",
    "XD": "Hoạt động xây dựng",
    "DD": "Đất đai",
    "LD": "Việc làm, lao động nước ngoài",
    "LLTP": "Lý lịch tư pháp",
    "ATTP": "An toàn thực phẩm",
    "LT": "Lưu thông hàng hóa trong nước",
    "VH": "Văn hóa",
    "TT": "Thể dục, thể thao",
    "DL": "Lữ hành",
    "MT": "Môi trường",
    "DT": "Đầu tư tại Việt Nam",
    "TG": "Tín ngưỡng, tôn giáo",
    "DUOC": "Dược phẩm",
    "GD": "Văn bằng, chứng chỉ",
    "TTDT": "Phát thanh, truyền hình và thông tin điện tử",
    "GT": "Đường bộ",
    "CC": "Công chứng",
}

# number: (title, issued on, effective from, effective to)
LEGAL_BASES = {
    "63/2010/NĐ-CP": ("Nghị định về kiểm soát thủ tục hành chính", date(2010, 6, 8), date(2010, 8, 14), None),
    "42/2022/NĐ-CP": ("Nghị định quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng",
                      date(2022, 6, 24), date(2022, 8, 1), None),
    "118/2025/NĐ-CP": ("Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia",
                       date(2025, 6, 9), date(2025, 7, 1), None),
    "60/2014/QH13": ("Luật Hộ tịch", date(2014, 11, 20), date(2016, 1, 1), None),
    "123/2015/NĐ-CP": ("Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch", date(2015, 11, 15), date(2016, 1, 1), None),
    "23/2015/NĐ-CP": ("Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch",
                      date(2015, 2, 16), date(2015, 4, 10), None),
    "226/2016/TT-BTC": ("Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực", None, None, None),
    "59/2020/QH14": ("Luật Doanh nghiệp", date(2020, 6, 17), date(2021, 1, 1), None),
    "01/2021/NĐ-CP": ("Nghị định về đăng ký doanh nghiệp", date(2021, 1, 4), date(2021, 1, 4), date(2025, 6, 30)),
    "168/2025/NĐ-CP": ("Nghị định về đăng ký doanh nghiệp", date(2025, 6, 30), date(2025, 7, 1), None),
    "50/2014/QH13": ("Luật Xây dựng", date(2014, 6, 18), date(2015, 1, 1), None),
    "31/2024/QH15": ("Luật Đất đai", date(2024, 1, 18), date(2024, 8, 1), None),
    "101/2024/NĐ-CP": ("Nghị định quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất và Hệ thống thông tin đất đai",
                       date(2024, 7, 29), date(2024, 8, 1), None),
    "45/2019/QH14": ("Bộ luật Lao động", date(2019, 11, 20), date(2021, 1, 1), None),
    "219/2025/NĐ-CP": ("Nghị định quy định về người lao động nước ngoài làm việc tại Việt Nam (ngày ban hành, hiệu lực cần đối chiếu)", None, None, None),
    "28/2009/QH12": ("Luật Lý lịch tư pháp", date(2009, 6, 17), date(2010, 7, 1), None),
    "244/2016/TT-BTC": ("Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp thông tin lý lịch tư pháp", None, None, None),
    "55/2010/QH12": ("Luật An toàn thực phẩm", date(2010, 6, 17), date(2011, 7, 1), None),
    "105/2017/NĐ-CP": ("Nghị định về kinh doanh rượu", date(2017, 9, 14), None, None),
    "54/2019/NĐ-CP": ("Nghị định quy định về kinh doanh dịch vụ karaoke, dịch vụ vũ trường", date(2019, 6, 19), date(2019, 9, 1), None),
    "09/2017/QH14": ("Luật Du lịch", date(2017, 6, 19), date(2018, 1, 1), None),
    "72/2020/QH14": ("Luật Bảo vệ môi trường", date(2020, 11, 17), date(2022, 1, 1), None),
    "61/2020/QH14": ("Luật Đầu tư", date(2020, 6, 17), date(2021, 1, 1), None),
    "02/2016/QH14": ("Luật Tín ngưỡng, tôn giáo", date(2016, 11, 18), date(2018, 1, 1), None),
    "105/2016/QH13": ("Luật Dược", date(2016, 4, 6), date(2017, 1, 1), None),
    "38/2013/QH13": ("Luật Việc làm", date(2013, 11, 16), date(2015, 1, 1), None),
    "36/2024/QH15": ("Luật Trật tự, an toàn giao thông đường bộ", date(2024, 6, 27), date(2025, 1, 1), None),
    "147/2024/NĐ-CP": ("Nghị định về quản lý, cung cấp, sử dụng dịch vụ Internet và thông tin trên mạng", date(2024, 11, 9), date(2024, 12, 25), None),
    "36/2019/NĐ-CP": ("Nghị định quy định chi tiết một số điều của Luật sửa đổi, bổ sung một số điều của Luật Thể dục, thể thao", None, None, None),
    "46/2024/QH15": ("Luật Công chứng", date(2024, 11, 26), date(2025, 7, 1), None),
}

VERIFY = ("Dữ liệu minh họa: mã thủ tục, thời hạn và phí cần đối chiếu với quyết định công bố danh mục TTHC của "
          "Chủ tịch UBND Thành phố. Quy trình nội bộ là minh họa, tổng thời gian khớp thời hạn luật định.")
CONFIRMED = ("Mã thủ tục khớp nhiều bộ dữ liệu công khai trích từ CSDL quốc gia về TTHC; thời hạn theo %s. "
             "Quy trình nội bộ là minh họa (chưa phải quy trình được phê duyệt của Thành phố).")


def steps(*items):
    """(name, actor, hours) …; the last item is the "trả kết quả" step (0 h).

    actor: a role (the step's unit follows from the dossier), "@UNIT" (a specialist of that unit) or
    "role@UNIT". Leaders' approval/signature steps require a second person (onestop.policy): whoever
    examined the dossier does not also sign it."""
    result = []
    for i, (name, actor, hours) in enumerate(items, 1):
        role, _at, unit = actor.partition("@") if "@" in actor else (actor, "", None)
        role = role or S
        result.append({"name": name, "role": role, "unit": unit or None, "hours": hours,
                       "is_return_step": i == len(items),
                       "requires_second_person": role in (L, User.Role.CITY_LEADERSHIP)})
    return result


def same_day_steps(decide="Lãnh đạo UBND cấp xã ký"):
    return steps(("Tiếp nhận, kiểm tra hồ sơ", R, "0.5"), ("Công chức tư pháp - hộ tịch xử lý, ghi sổ", S, "1"),
                 (decide, L, "0.5"), ("Trả kết quả", R, "0"))


def office_steps(total_hours, *, receive=4, lead=None, clerk=4, specialist="Thẩm định hồ sơ", leader="Lãnh đạo phê duyệt, ký",
                 unit_code=None):
    """Receive → examine → sign → issue → return, sized to `total_hours` (illustrative split)."""
    lead = lead if lead is not None else (8 if total_hours >= 40 else 4)
    examine = total_hours - receive - lead - clerk
    assert examine > 0, total_hours
    examiner = f"@{unit_code}" if unit_code else S
    return steps(("Tiếp nhận, kiểm tra, số hóa hồ sơ", R, str(receive)), (specialist, examiner, str(examine)),
                 (leader, L, str(lead)), ("Vào sổ, đóng dấu, phát hành", C, str(clerk)), ("Trả kết quả", R, "0"))


def seq(*lines):
    return "\n".join(f"Bước {i}: {line}" for i, line in enumerate(lines, 1))


COMMUNE_SEQ = seq(
    "Tổ chức, cá nhân nộp hồ sơ tại Trung tâm Phục vụ hành chính công cấp xã hoặc trên Cổng Dịch vụ công.",
    "Cán bộ tiếp nhận kiểm tra hồ sơ; hồ sơ đầy đủ thì cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả, "
    "chưa đầy đủ thì hướng dẫn bổ sung một lần.",
    "Công chức chuyên môn xử lý, trình lãnh đạo UBND cấp xã quyết định.",
    "Trả kết quả tại Trung tâm Phục vụ hành chính công cấp xã, qua bưu chính công ích hoặc trên Cổng Dịch vụ công.",
)
PROVINCE_SEQ = seq(
    "Tổ chức, cá nhân nộp hồ sơ tại Trung tâm Phục vụ hành chính công Thành phố (chi nhánh, điểm phục vụ) "
    "hoặc trên Cổng Dịch vụ công.",
    "Cán bộ tiếp nhận kiểm tra, số hóa hồ sơ và chuyển cơ quan có thẩm quyền.",
    "Cơ quan có thẩm quyền thẩm định, quyết định; trường hợp không giải quyết thì trả lời bằng văn bản nêu rõ lý do.",
    "Trả kết quả tại nơi nộp hồ sơ, qua bưu chính công ích hoặc trên Cổng Dịch vụ công.",
)
ALL_CHANNELS = [Channel.DIRECT, Channel.ONLINE, Channel.POSTAL]
METHOD_ALL = ("Nộp trực tiếp tại Trung tâm Phục vụ hành chính công; nộp trực tuyến trên Cổng Dịch vụ công; "
              "hoặc gửi qua dịch vụ bưu chính công ích.")
TRONG_NGAY = ("Ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay "
              "thì trả kết quả trong ngày làm việc tiếp theo.")
ID_DOC = {"name": "Giấy tờ tùy thân có ảnh của người yêu cầu (xuất trình khi nộp trực tiếp)", "originals": 1, "copies": 0,
          "mandatory": True, "note": "Không cần khi đã xác thực bằng tài khoản định danh điện tử VNeID."}
SAME_DAY = {"limit_amount": "2", "limit_unit": LimitUnit.WORKING_HOURS, "limit_note": TRONG_NGAY, "cutoff": "15:00"}


def doc(name, originals=1, copies=0, mandatory=True, note=""):
    return {"name": name, "originals": originals, "copies": copies, "mandatory": mandatory, "note": note}


def fee(name, amount, note=""):
    return {"name": name, "amount_vnd": amount, "note": note}


def commune(**data):
    base = {"level": Level.COMMUNE, "deciding_authority": COMMUNE_AUTHORITY, "all_communes": True,
            "sequence": COMMUNE_SEQ, "method": METHOD_ALL, "channels": ALL_CHANNELS,
            "online_level": OnlineLevel.PARTIAL, "result_form": ResultForm.BOTH}
    return base | data


def province(unit_code, authority, **data):
    base = {"level": Level.PROVINCE, "deciding_authority": authority, "deciding_units": [unit_code],
            "receiving_units": [CENTRE], "sequence": PROVINCE_SEQ, "method": METHOD_ALL, "channels": ALL_CHANNELS,
            "online_level": OnlineLevel.PARTIAL, "result_form": ResultForm.BOTH}
    return base | data


# Each entry: code, is_demo, source note, [(effective_from, version data), …]
PROCEDURES = [
    ("1.001193", False, CONFIRMED % "Đ.16 Luật Hộ tịch 2014; giờ 15:00 theo danh mục TTHC hộ tịch của Bộ Tư pháp (QĐ 1872/QĐ-BTP)", [
        (REFORM_DAY, commune(
            name="Đăng ký khai sinh", field="HT", **SAME_DAY,
            subjects="Cha, mẹ, ông, bà hoặc người thân thích khác; cá nhân, tổ chức đang nuôi dưỡng trẻ em.",
            result_name="Giấy khai sinh (bản chính) và trích lục khai sinh điện tử",
            online_level=OnlineLevel.FULL, full_online_eligible=True, dossiers_per_year=120_000,
            documents=[doc("Tờ khai đăng ký khai sinh theo mẫu"),
                       doc("Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh"), ID_DOC],
            fees=[fee("Lệ phí đăng ký khai sinh đúng hạn", 0, "Miễn lệ phí (Điều 11 Luật Hộ tịch).")],
            steps=same_day_steps(), legal_bases=["60/2014/QH13", "123/2015/NĐ-CP", "118/2025/NĐ-CP"],
        )),
    ]),
    ("1.000894", False, CONFIRMED % "Đ.18 Luật Hộ tịch 2014", [
        (REFORM_DAY, commune(
            name="Đăng ký kết hôn", field="HT", **(SAME_DAY | {"limit_note": TRONG_NGAY + " Trường hợp cần xác minh điều kiện kết hôn thì không quá 05 ngày làm việc."}),
            subjects="Nam, nữ là công dân Việt Nam cư trú trong nước, đủ điều kiện kết hôn theo Luật Hôn nhân và gia đình.",
            result_name="Giấy chứng nhận kết hôn", online_level=OnlineLevel.PARTIAL, dossiers_per_year=40_000,
            documents=[doc("Tờ khai đăng ký kết hôn theo mẫu (hai bên có thể dùng chung một tờ khai)"), ID_DOC,
                       doc("Giấy xác nhận tình trạng hôn nhân", mandatory=False,
                           note="Khi đăng ký kết hôn không tại nơi thường trú; không cần nếu đã khai thác được từ CSDL hộ tịch điện tử.")],
            fees=[fee("Lệ phí đăng ký kết hôn", 0, "Miễn lệ phí đối với công dân Việt Nam cư trú ở trong nước (Điều 11 Luật Hộ tịch).")],
            steps=same_day_steps("Chủ tịch UBND cấp xã ký Giấy chứng nhận kết hôn"),
            legal_bases=["60/2014/QH13", "123/2015/NĐ-CP", "118/2025/NĐ-CP"],
        )),
    ]),
    ("1.000656", False, CONFIRMED % "Đ.34 Luật Hộ tịch 2014", [
        (REFORM_DAY, commune(
            name="Đăng ký khai tử", field="HT", **SAME_DAY,
            subjects="Vợ, chồng hoặc con, cha, mẹ, người thân thích khác của người chết; cơ quan, tổ chức liên quan.",
            result_name="Trích lục khai tử", online_level=OnlineLevel.FULL, full_online_eligible=True, dossiers_per_year=35_000,
            documents=[doc("Tờ khai đăng ký khai tử theo mẫu"), doc("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử"), ID_DOC],
            fees=[fee("Lệ phí đăng ký khai tử đúng hạn", 0, "Miễn lệ phí (Điều 11 Luật Hộ tịch).")],
            steps=same_day_steps(), legal_bases=["60/2014/QH13", "123/2015/NĐ-CP"],
        )),
    ]),
    ("2.000815", False, CONFIRMED % "Đ.7 NĐ 23/2015/NĐ-CP", [
        (REFORM_DAY, commune(
            name="Cấp bản sao có chứng thực từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
            field="CT", **SAME_DAY,
            subjects="Cá nhân, tổ chức có yêu cầu chứng thực bản sao.",
            result_name="Bản sao được chứng thực từ bản chính", online_level=OnlineLevel.FULL, full_online_eligible=True,
            dossiers_per_year=900_000,
            documents=[doc("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao"),
                       doc("Bản sao cần chứng thực", originals=0, copies=1, note="Nếu người yêu cầu không tự chụp thì cơ quan thực hiện chụp.")],
            fees=[fee("Phí chứng thực bản sao từ bản chính", 2_000,
                      "Đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản (TT 226/2016/TT-BTC).")],
            steps=steps(("Tiếp nhận, đối chiếu bản chính", R, "0.5"), ("Chứng thực, ghi sổ chứng thực", S, "1"),
                        ("Lãnh đạo UBND cấp xã ký chứng thực", L, "0.5"), ("Trả kết quả", R, "0")),
            legal_bases=["23/2015/NĐ-CP", "226/2016/TT-BTC"],
        )),
    ]),
    ("2.000884", False, CONFIRMED % "Đ.7 NĐ 23/2015/NĐ-CP", [
        (REFORM_DAY, commune(
            name="Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)",
            field="CT", **SAME_DAY, channels=[Channel.DIRECT], online_level=OnlineLevel.NONE, method="Nộp trực tiếp tại Trung tâm Phục vụ hành chính công cấp xã; người yêu cầu phải ký trước mặt người thực hiện chứng thực.",
            subjects="Cá nhân có yêu cầu chứng thực chữ ký.", result_name="Giấy tờ, văn bản được chứng thực chữ ký",
            result_form=ResultForm.PAPER, dossiers_per_year=150_000,
            documents=[ID_DOC | {"note": ""}, doc("Giấy tờ, văn bản mà mình sẽ ký")],
            fees=[fee("Phí chứng thực chữ ký", 10_000, "Đồng/trường hợp (TT 226/2016/TT-BTC).")],
            steps=steps(("Tiếp nhận, kiểm tra giấy tờ", R, "0.5"), ("Người yêu cầu ký trước mặt; ghi lời chứng", S, "1"),
                        ("Lãnh đạo UBND cấp xã ký chứng thực", L, "0.5"), ("Trả kết quả", R, "0")),
            legal_bases=["23/2015/NĐ-CP", "226/2016/TT-BTC"],
        )),
    ]),
    ("1.004873", True, "Mã theo một nguồn thứ cấp; thời hạn 03 ngày làm việc theo NĐ 123/2015/NĐ-CP (nhớ lại). " + VERIFY, [
        (REFORM_DAY, commune(
            name="Cấp Giấy xác nhận tình trạng hôn nhân", field="HT", limit_amount="3", limit_unit=LimitUnit.WORKING_DAYS,
            subjects="Công dân Việt Nam cư trú trong nước có yêu cầu xác nhận tình trạng hôn nhân.",
            result_name="Giấy xác nhận tình trạng hôn nhân", online_level=OnlineLevel.FULL, full_online_eligible=True,
            documents=[doc("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu"), ID_DOC],
            steps=office_steps(24, leader="Lãnh đạo UBND cấp xã ký"), legal_bases=["60/2014/QH13", "123/2015/NĐ-CP"],
        )),
    ]),
    ("2.000635", True, "Mã theo một nguồn thứ cấp; phí theo TT 281/2016/TT-BTC (nhớ lại). " + VERIFY, [
        (REFORM_DAY, commune(
            name="Cấp bản sao Trích lục hộ tịch", field="HT", **SAME_DAY,
            subjects="Cá nhân có yêu cầu cấp bản sao trích lục hộ tịch đã đăng ký.", result_name="Bản sao trích lục hộ tịch",
            online_level=OnlineLevel.FULL, full_online_eligible=True,
            documents=[doc("Tờ khai cấp bản sao trích lục hộ tịch theo mẫu"), ID_DOC],
            fees=[fee("Phí cấp bản sao trích lục hộ tịch", 8_000, "Đồng/bản sao (cần đối chiếu).")],
            steps=same_day_steps(), legal_bases=["60/2014/QH13", "123/2015/NĐ-CP"],
        )),
    ]),
    ("1.004859", True, "Mã theo một nguồn thứ cấp; thời hạn 03 ngày làm việc theo Đ.28 Luật Hộ tịch (nhớ lại). " + VERIFY, [
        (REFORM_DAY, commune(
            name="Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", field="HT", limit_amount="3",
            limit_unit=LimitUnit.WORKING_DAYS,
            limit_note="03 ngày làm việc; trường hợp cần xác minh thì kéo dài thêm không quá 03 ngày làm việc.",
            subjects="Cá nhân có yêu cầu thay đổi, cải chính, bổ sung thông tin hộ tịch.",
            result_name="Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
            documents=[doc("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch theo mẫu"),
                       doc("Giấy tờ liên quan làm căn cứ thay đổi, cải chính, bổ sung", originals=0, copies=1), ID_DOC],
            steps=office_steps(24, leader="Chủ tịch UBND cấp xã ký"), legal_bases=["60/2014/QH13", "123/2015/NĐ-CP"],
        )),
    ]),
    ("1.001612", True, "Mã theo hai nguồn thứ cấp; 03 ngày làm việc theo NĐ 01/2021/NĐ-CP, từ 01/7/2025 theo NĐ 168/2025/NĐ-CP "
                       "(thẩm quyền chuyển từ cấp huyện về cấp xã). " + VERIFY, [
        (date(2021, 1, 4), {
            "name": "Đăng ký thành lập hộ kinh doanh", "field": "HKD", "level": Level.DISTRICT,
            "deciding_authority": "Phòng Tài chính - Kế hoạch thuộc Ủy ban nhân dân cấp huyện",
            "deciding_units": ["H26.901", "H26.902", "H26.903"], "sequence": COMMUNE_SEQ.replace("cấp xã", "cấp huyện"),
            "method": METHOD_ALL, "channels": ALL_CHANNELS, "online_level": OnlineLevel.PARTIAL,
            "limit_amount": "3", "limit_unit": LimitUnit.WORKING_DAYS,
            "subjects": "Cá nhân, thành viên hộ gia đình là công dân Việt Nam có năng lực hành vi dân sự đầy đủ.",
            "result_name": "Giấy chứng nhận đăng ký hộ kinh doanh", "result_form": ResultForm.BOTH,
            "documents": [doc("Giấy đề nghị đăng ký hộ kinh doanh"),
                          doc("Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh", mandatory=False,
                              note="Khi các thành viên hộ gia đình cùng đăng ký."),
                          doc("Bản sao hợp đồng thuê, mượn địa điểm kinh doanh", originals=0, copies=1, mandatory=False)],
            "steps": office_steps(24), "legal_bases": ["59/2020/QH14", "01/2021/NĐ-CP"],
        }),
        (REFORM_DAY, {
            "level": Level.COMMUNE, "deciding_authority": COMMUNE_AUTHORITY, "deciding_units": [], "all_communes": True,
            "sequence": COMMUNE_SEQ, "legal_bases": ["59/2020/QH14", "168/2025/NĐ-CP", "118/2025/NĐ-CP"],
            "steps": office_steps(24, leader="Lãnh đạo UBND cấp xã ký"), "dossiers_per_year": 30_000,
        }),
    ]),
    ("2.000720", True, "Mã theo một nguồn thứ cấp; 03 ngày làm việc (NĐ 168/2025/NĐ-CP, nhớ lại). " + VERIFY, [
        (REFORM_DAY, commune(
            name="Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", field="HKD", limit_amount="3",
            limit_unit=LimitUnit.WORKING_DAYS, subjects="Hộ kinh doanh đã được cấp Giấy chứng nhận đăng ký hộ kinh doanh.",
            result_name="Giấy chứng nhận đăng ký hộ kinh doanh (cấp đổi)",
            documents=[doc("Thông báo thay đổi nội dung đăng ký hộ kinh doanh"),
                       doc("Giấy chứng nhận đăng ký hộ kinh doanh đã cấp", mandatory=False)],
            steps=office_steps(24, leader="Lãnh đạo UBND cấp xã ký"), legal_bases=["59/2020/QH14", "168/2025/NĐ-CP"],
        )),
    ]),
    ("1.013225", True, "Mã theo một nguồn thứ cấp; Luật Xây dựng Đ.102 ghi “15 ngày” đối với nhà ở riêng lẻ — ở đây tính theo "
                       "ngày lịch, cần đối chiếu cách tính của Thành phố. " + VERIFY, [
        (REFORM_DAY, commune(
            name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", field="XD", limit_amount="15",
            limit_unit=LimitUnit.CALENDAR_DAYS, subjects="Chủ đầu tư xây dựng nhà ở riêng lẻ.",
            result_name="Giấy phép xây dựng", dossiers_per_year=25_000,
            documents=[doc("Đơn đề nghị cấp giấy phép xây dựng theo mẫu"),
                       doc("Giấy tờ chứng minh quyền sử dụng đất", originals=0, copies=1),
                       doc("Bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng, móng)", originals=2)],
            fees=[fee("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 75_000, "Theo nghị quyết của HĐND Thành phố (cần đối chiếu).")],
            steps=steps(("Tiếp nhận, kiểm tra hồ sơ", R, "4"), ("Kiểm tra thực địa, thẩm định hồ sơ", S, "64"),
                        ("Lãnh đạo UBND cấp xã ký giấy phép", L, "8"), ("Vào sổ, đóng dấu", C, "4"), ("Trả kết quả", R, "0")),
            legal_bases=["50/2014/QH13"],
        )),
    ]),
    ("HN-DEMO-DD01", True, "Mã giữ chỗ (chưa tra được mã quốc gia); 20 ngày làm việc theo NĐ 101/2024/NĐ-CP (nhớ lại); "
                           "thẩm quyền cấp xã từ 01/7/2025 cần đối chiếu. " + VERIFY, [
        (REFORM_DAY, commune(
            name="Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu",
            field="DD", limit_amount="20", limit_unit=LimitUnit.WORKING_DAYS,
            subjects="Hộ gia đình, cá nhân, cộng đồng dân cư đang sử dụng đất.",
            result_name="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            result_form=ResultForm.PAPER, dossiers_per_year=20_000,
            documents=[doc("Đơn đăng ký đất đai, tài sản gắn liền với đất theo mẫu"),
                       doc("Giấy tờ về quyền sử dụng đất (nếu có)", originals=0, copies=1, mandatory=False),
                       doc("Chứng từ thực hiện nghĩa vụ tài chính hoặc giấy tờ miễn, giảm (nếu có)", originals=0, copies=1, mandatory=False)],
            steps=office_steps(160, specialist="Văn phòng đăng ký đất đai kiểm tra, đo đạc, xác định nghĩa vụ tài chính",
                               leader="Chủ tịch UBND cấp xã ký Giấy chứng nhận"),
            legal_bases=["31/2024/QH15", "101/2024/NĐ-CP"],
        )),
    ]),
    ("HN-DEMO-LT01", True, "Mã giữ chỗ; 10 ngày làm việc theo NĐ 105/2017/NĐ-CP (nhớ lại); thẩm quyền cấp xã từ 01/7/2025 cần đối chiếu. " + VERIFY, [
        (REFORM_DAY, commune(
            name="Cấp Giấy phép bán lẻ rượu", field="LT", limit_amount="10", limit_unit=LimitUnit.WORKING_DAYS,
            subjects="Thương nhân kinh doanh bán lẻ rượu có độ cồn từ 5,5 độ trở lên.", result_name="Giấy phép bán lẻ rượu",
            documents=[doc("Đơn đề nghị cấp Giấy phép bán lẻ rượu theo mẫu"),
                       doc("Giấy chứng nhận đăng ký doanh nghiệp hoặc hộ kinh doanh", originals=0, copies=1),
                       doc("Giấy tờ chứng minh quyền sử dụng địa điểm kinh doanh", originals=0, copies=1)],
            steps=office_steps(80, leader="Lãnh đạo UBND cấp xã ký giấy phép"), legal_bases=["105/2017/NĐ-CP"],
        )),
    ]),
    ("1.001029", True, "Mã theo một nguồn thứ cấp; 05 ngày làm việc theo NĐ 54/2019/NĐ-CP (nhớ lại); phí theo quy định của Bộ Tài chính "
                       "(cần đối chiếu). " + VERIFY, [
        (REFORM_DAY, commune(
            name="Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", field="VH", limit_amount="5",
            limit_unit=LimitUnit.WORKING_DAYS, subjects="Doanh nghiệp, hộ kinh doanh kinh doanh dịch vụ karaoke.",
            result_name="Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
            documents=[doc("Đơn đề nghị cấp Giấy phép theo mẫu"),
                       doc("Bản sao Giấy chứng nhận thẩm duyệt thiết kế về phòng cháy và chữa cháy", originals=0, copies=1)],
            fees=[fee("Phí thẩm định cấp giấy phép (từ 01 đến 03 phòng)", 4_000_000, "Cần đối chiếu mức thu hiện hành.")],
            steps=office_steps(40, lead=4, specialist="Thẩm định hồ sơ, kiểm tra thực tế"), legal_bases=["54/2019/NĐ-CP"],
        )),
    ]),
    ("2.001610", True, "Mã theo một nguồn thứ cấp; 03 ngày làm việc theo k.5 Đ.26 Luật Doanh nghiệp 2020; lệ phí theo TT 47/2019/TT-BTC "
                       "(nhớ lại). " + VERIFY, [
        (REFORM_DAY, province(
            "H26.103", "Sở Tài chính (Phòng Đăng ký kinh doanh)", name="Đăng ký thành lập doanh nghiệp tư nhân", field="DKDN",
            limit_amount="3", limit_unit=LimitUnit.WORKING_DAYS, online_level=OnlineLevel.FULL, full_online_eligible=True,
            subjects="Cá nhân thành lập doanh nghiệp tư nhân.", result_name="Giấy chứng nhận đăng ký doanh nghiệp",
            dossiers_per_year=5_000,
            documents=[doc("Giấy đề nghị đăng ký doanh nghiệp"), ID_DOC | {"name": "Bản sao giấy tờ pháp lý của chủ doanh nghiệp tư nhân", "originals": 0, "copies": 1}],
            fees=[fee("Lệ phí đăng ký doanh nghiệp", 50_000, "Miễn khi đăng ký qua mạng điện tử."),
                  fee("Phí công bố nội dung đăng ký doanh nghiệp", 100_000)],
            steps=office_steps(24, unit_code="H26.103", specialist="Phòng Đăng ký kinh doanh xem xét hồ sơ"),
            legal_bases=["59/2020/QH14", "168/2025/NĐ-CP"],
        )),
    ]),
    ("1.014199", True, "Mã và tên theo nguồn thứ cấp; 10 ngày làm việc theo NĐ 219/2025/NĐ-CP (nhớ lại). " + VERIFY, [
        (REFORM_DAY, province(
            "H26.102", "Sở Nội vụ", name="Cấp giấy phép lao động đối với người lao động nước ngoài làm việc tại Việt Nam",
            field="LD", limit_amount="10", limit_unit=LimitUnit.WORKING_DAYS,
            subjects="Người sử dụng lao động đề nghị cấp giấy phép cho người lao động nước ngoài.",
            result_name="Giấy phép lao động", dossiers_per_year=6_000,
            documents=[doc("Văn bản đề nghị cấp giấy phép lao động theo mẫu"),
                       doc("Giấy chứng nhận sức khỏe", note="Cấp trong thời hạn 12 tháng."),
                       doc("Hộ chiếu", originals=0, copies=1),
                       doc("Giấy tờ chứng minh trình độ, kinh nghiệm", originals=0, copies=1)],
            steps=office_steps(80, unit_code="H26.102"), legal_bases=["45/2019/QH14", "219/2025/NĐ-CP"],
        )),
    ]),
    ("3.000333", True, "Mã theo nguồn thứ cấp (danh mục Bộ Công an); từ 01/7/2025 việc cấp Phiếu LLTP do Công an cấp tỉnh thực hiện "
                       "(cần đối chiếu); “10 ngày” theo Đ.48 Luật LLTP, ở đây tính theo ngày lịch; phí theo TT 244/2016/TT-BTC. " + VERIFY, [
        (REFORM_DAY, province(
            CENTRE, "Công an Thành phố Hà Nội", name="Cấp Phiếu lý lịch tư pháp số 1", field="LLTP",
            limit_amount="10", limit_unit=LimitUnit.CALENDAR_DAYS, online_level=OnlineLevel.FULL, full_online_eligible=True,
            subjects="Công dân Việt Nam; người nước ngoài đã hoặc đang cư trú tại Việt Nam.", result_name="Phiếu lý lịch tư pháp số 1",
            dossiers_per_year=150_000, deciding_units=[],
            documents=[doc("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp theo mẫu"), ID_DOC | {"originals": 0, "copies": 1, "name": "Bản chụp giấy tờ tùy thân"}],
            fees=[fee("Phí cung cấp thông tin lý lịch tư pháp", 200_000, "Đồng/lần/người; sinh viên, người có công 100.000 đồng.")],
            steps=steps(("Tiếp nhận, kiểm tra hồ sơ", R, "4"), ("Tra cứu, xác minh thông tin lý lịch tư pháp", S, "48"),
                        ("Lãnh đạo ký Phiếu", L, "8"), ("Vào sổ, đóng dấu", C, "4"), ("Trả kết quả", R, "0")),
            legal_bases=["28/2009/QH12", "244/2016/TT-BTC"],
        )),
    ]),
    ("HN-DEMO-ATTP01", True, "Mã giữ chỗ; thời hạn 20 ngày làm việc (15 ngày thẩm định thực tế + 05 ngày cấp) nhớ lại từ quy định "
                             "ngành Công Thương. " + VERIFY, [
        (REFORM_DAY, province(
            "H26.107", "Sở Công Thương",
            name="Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (thuộc lĩnh vực Công Thương)", field="ATTP",
            limit_amount="20", limit_unit=LimitUnit.WORKING_DAYS,
            subjects="Cơ sở sản xuất, kinh doanh thực phẩm thuộc phạm vi quản lý của ngành Công Thương.",
            result_name="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            documents=[doc("Đơn đề nghị cấp Giấy chứng nhận theo mẫu"),
                       doc("Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ"),
                       doc("Giấy xác nhận đủ sức khỏe, đã được tập huấn kiến thức an toàn thực phẩm của chủ cơ sở và người trực tiếp sản xuất", originals=0, copies=1)],
            steps=office_steps(160, unit_code="H26.107", specialist="Thẩm định hồ sơ và thẩm định thực tế tại cơ sở"),
            legal_bases=["55/2010/QH12"],
        )),
    ]),
    ("HN-DEMO-DUOC01", True, "Mã giữ chỗ; “20 ngày” theo Luật Dược (nhớ lại), tính theo ngày lịch; phí cần đối chiếu. " + VERIFY, [
        (REFORM_DAY, province(
            "H26.108", "Sở Y tế", name="Cấp Chứng chỉ hành nghề dược", field="DUOC", limit_amount="20",
            limit_unit=LimitUnit.CALENDAR_DAYS, subjects="Cá nhân đề nghị cấp chứng chỉ hành nghề dược.",
            result_name="Chứng chỉ hành nghề dược",
            documents=[doc("Đơn đề nghị cấp Chứng chỉ hành nghề dược theo mẫu"), doc("Bản sao văn bằng chuyên môn", originals=0, copies=1),
                       doc("Giấy xác nhận thời gian thực hành chuyên môn")],
            fees=[fee("Phí thẩm định điều kiện cấp chứng chỉ hành nghề dược", 500_000, "Cần đối chiếu mức thu hiện hành.")],
            steps=steps(("Tiếp nhận, kiểm tra hồ sơ", R, "4"), ("Thẩm định hồ sơ, trình Hội đồng tư vấn", "@H26.108", "88"),
                        ("Giám đốc Sở ký", L, "16"), ("Vào sổ, phát hành", C, "4"), ("Trả kết quả", R, "0")),
            legal_bases=["105/2016/QH13"],
        )),
    ]),
    ("HN-DEMO-GD01", True, "Mã giữ chỗ; thời hạn “ngay trong ngày; sau 15 giờ thì ngày làm việc tiếp theo” theo NĐ 23/2015/NĐ-CP "
                           "về cấp bản sao từ sổ gốc. " + VERIFY, [
        (REFORM_DAY, province(
            "H26.109", "Sở Giáo dục và Đào tạo", name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", field="GD", **SAME_DAY,
            subjects="Người được cấp bản chính văn bằng, chứng chỉ hoặc người đại diện hợp pháp.",
            result_name="Bản sao văn bằng, chứng chỉ từ sổ gốc", online_level=OnlineLevel.FULL, full_online_eligible=True,
            documents=[doc("Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc"), ID_DOC],
            steps=steps(("Tiếp nhận hồ sơ", R, "0.5"), ("Đối chiếu sổ gốc, lập bản sao", "@H26.109", "1"),
                        ("Lãnh đạo phòng ký", L, "0.5"), ("Trả kết quả", R, "0")),
            legal_bases=["23/2015/NĐ-CP"],
        )),
    ]),
    ("HN-DEMO-DL01", True, "Mã giữ chỗ; 10 ngày làm việc theo Luật Du lịch 2017 (nhớ lại); phí theo quy định của Bộ Tài chính "
                           "(cần đối chiếu). " + VERIFY, [
        (REFORM_DAY, province(
            "H26.111", "Sở Du lịch", name="Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", field="DL",
            limit_amount="10", limit_unit=LimitUnit.WORKING_DAYS, online_level=OnlineLevel.FULL, full_online_eligible=True,
            subjects="Doanh nghiệp đề nghị kinh doanh dịch vụ lữ hành nội địa.",
            result_name="Giấy phép kinh doanh dịch vụ lữ hành nội địa",
            documents=[doc("Đơn đề nghị cấp giấy phép theo mẫu"), doc("Giấy chứng nhận ký quỹ kinh doanh dịch vụ lữ hành nội địa"),
                       doc("Bằng tốt nghiệp hoặc chứng chỉ nghiệp vụ của người phụ trách kinh doanh", originals=0, copies=1)],
            fees=[fee("Phí thẩm định cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", 3_000_000, "Cần đối chiếu mức thu hiện hành.")],
            steps=office_steps(80, unit_code="H26.111"), legal_bases=["09/2017/QH14"],
        )),
    ]),
    ("3.000347", True, "Mã theo nguồn thứ cấp (danh mục Bộ Công an); từ 01/3/2025 việc đổi GPLX do Công an thực hiện (Luật TTATGTĐB "
                       "2024) — cần đối chiếu; 05 ngày làm việc và lệ phí 135.000 đồng nhớ lại. " + VERIFY, [
        (REFORM_DAY, province(
            CENTRE, "Phòng Cảnh sát giao thông, Công an Thành phố Hà Nội", name="Đổi giấy phép lái xe", field="GT",
            limit_amount="5", limit_unit=LimitUnit.WORKING_DAYS, online_level=OnlineLevel.FULL, full_online_eligible=True,
            deciding_units=[], subjects="Người có giấy phép lái xe đến hạn đổi hoặc có nhu cầu đổi.",
            result_name="Giấy phép lái xe", dossiers_per_year=200_000,
            documents=[doc("Đơn đề nghị đổi giấy phép lái xe theo mẫu"), doc("Giấy khám sức khỏe của người lái xe", mandatory=False,
                                                                               note="Trừ trường hợp dữ liệu sức khỏe đã được liên thông.")],
            fees=[fee("Lệ phí đổi giấy phép lái xe", 135_000, "Cần đối chiếu mức thu hiện hành.")],
            steps=office_steps(40, lead=4, specialist="Kiểm tra dữ liệu, in giấy phép"), legal_bases=["36/2024/QH15"],
        )),
    ]),
    ("HN-DEMO-XD01", True, "Mã giữ chỗ; “20 ngày” theo Đ.102 Luật Xây dựng, tính theo ngày lịch (cần đối chiếu). " + VERIFY, [
        (REFORM_DAY, province(
            "H26.105", "Sở Xây dựng", name="Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II", field="XD",
            limit_amount="20", limit_unit=LimitUnit.CALENDAR_DAYS, subjects="Chủ đầu tư công trình xây dựng.",
            result_name="Giấy phép xây dựng", result_form=ResultForm.PAPER,
            documents=[doc("Đơn đề nghị cấp giấy phép xây dựng theo mẫu"),
                       doc("Giấy tờ chứng minh quyền sử dụng đất", originals=0, copies=1),
                       doc("Quyết định phê duyệt dự án, văn bản thẩm định thiết kế", originals=0, copies=1),
                       doc("Bộ bản vẽ thiết kế xây dựng", originals=2)],
            steps=steps(("Tiếp nhận, kiểm tra hồ sơ", R, "4"), ("Thẩm định hồ sơ, kiểm tra thực địa", "@H26.105", "96"),
                        ("Lấy ý kiến cơ quan liên quan", S, "16"), ("Lãnh đạo Sở ký giấy phép", L, "8"),
                        ("Vào sổ, phát hành", C, "4"), ("Trả kết quả", R, "0")),
            legal_bases=["50/2014/QH13"],
        )),
    ]),
    ("HN-DEMO-MT01", True, "Mã giữ chỗ; “30 ngày” theo Luật BVMT 2020 (nhớ lại), tính theo ngày lịch. " + VERIFY, [
        (REFORM_DAY, province(
            "H26.106", "Sở Nông nghiệp và Môi trường (tham mưu UBND Thành phố)",
            name="Cấp giấy phép môi trường (thuộc thẩm quyền của Ủy ban nhân dân cấp tỉnh)", field="MT",
            limit_amount="30", limit_unit=LimitUnit.CALENDAR_DAYS, subjects="Chủ dự án đầu tư, cơ sở thuộc đối tượng phải có giấy phép môi trường.",
            result_name="Giấy phép môi trường",
            documents=[doc("Văn bản đề nghị cấp giấy phép môi trường"), doc("Báo cáo đề xuất cấp giấy phép môi trường"),
                       doc("Bản sao báo cáo nghiên cứu khả thi hoặc tài liệu tương đương", originals=0, copies=1)],
            steps=steps(("Tiếp nhận, kiểm tra hồ sơ", R, "4"), ("Thẩm định, kiểm tra thực tế", "@H26.106", "136"),
                        ("Lãnh đạo Sở trình UBND Thành phố", L, "16"), ("UBND Thành phố ký giấy phép", f"{User.Role.CITY_LEADERSHIP}@H26", "16"),
                        ("Vào sổ, phát hành", C, "4"), ("Trả kết quả", R, "0")),
            legal_bases=["72/2020/QH14"],
        )),
    ]),
    ("HN-DEMO-TTDT01", True, "Mã giữ chỗ; 10 ngày làm việc theo NĐ 147/2024/NĐ-CP (nhớ lại). " + VERIFY, [
        (REFORM_DAY, province(
            "H26.112", "Sở Khoa học và Công nghệ", name="Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp", field="TTDT",
            limit_amount="10", limit_unit=LimitUnit.WORKING_DAYS, online_level=OnlineLevel.FULL, full_online_eligible=True,
            subjects="Tổ chức, doanh nghiệp đề nghị thiết lập trang thông tin điện tử tổng hợp.",
            result_name="Giấy phép thiết lập trang thông tin điện tử tổng hợp", result_form=ResultForm.ELECTRONIC,
            channels=[Channel.ONLINE, Channel.POSTAL], method="Nộp trực tuyến trên Cổng Dịch vụ công hoặc qua bưu chính công ích.",
            documents=[doc("Đơn đề nghị cấp giấy phép theo mẫu"), doc("Đề án hoạt động có chữ ký, dấu của người đứng đầu")],
            steps=office_steps(80, unit_code="H26.112"), legal_bases=["147/2024/NĐ-CP"],
        )),
    ]),
    ("HN-DEMO-TT01", True, "Mã giữ chỗ; 07 ngày làm việc theo NĐ 36/2019/NĐ-CP (nhớ lại). " + VERIFY, [
        (REFORM_DAY, province(
            "H26.110", "Sở Văn hóa và Thể thao",
            name="Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao", field="TT", limit_amount="7",
            limit_unit=LimitUnit.WORKING_DAYS, subjects="Doanh nghiệp kinh doanh hoạt động thể thao.",
            result_name="Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao",
            documents=[doc("Đơn đề nghị cấp Giấy chứng nhận theo mẫu"), doc("Bản tóm tắt tình hình chuẩn bị các điều kiện kinh doanh")],
            steps=office_steps(56, unit_code="H26.110", specialist="Thẩm định hồ sơ, kiểm tra cơ sở"),
            legal_bases=["36/2019/NĐ-CP"],
        )),
    ]),
    ("HN-DEMO-TG01", True, "Mã giữ chỗ; “20 ngày” theo Luật Tín ngưỡng, tôn giáo 2016 (nhớ lại), tính theo ngày lịch. " + VERIFY, [
        (REFORM_DAY, province(
            "H26.114", "Sở Dân tộc và Tôn giáo",
            name="Đăng ký người được bổ nhiệm, bầu cử, suy cử làm chức việc của tổ chức tôn giáo có địa bàn hoạt động ở một tỉnh",
            field="TG", limit_amount="20", limit_unit=LimitUnit.CALENDAR_DAYS, online_level=OnlineLevel.NONE,
            channels=[Channel.DIRECT, Channel.POSTAL], method="Nộp trực tiếp hoặc qua bưu chính công ích.",
            subjects="Tổ chức tôn giáo, tổ chức tôn giáo trực thuộc.", result_name="Văn bản chấp thuận", result_form=ResultForm.PAPER,
            documents=[doc("Văn bản đề nghị theo mẫu"), doc("Sơ yếu lý lịch của người được đề nghị"),
                       doc("Phiếu lý lịch tư pháp của người được đề nghị")],
            steps=steps(("Tiếp nhận hồ sơ", R, "4"), ("Thẩm định hồ sơ", "@H26.114", "100"), ("Lãnh đạo Sở ký", L, "8"),
                        ("Vào sổ, phát hành", C, "4"), ("Trả kết quả", R, "0")),
            legal_bases=["02/2016/QH14"],
        )),
    ]),
    ("HN-DEMO-DT01", True, "Mã giữ chỗ; “15 ngày” theo Đ.38 Luật Đầu tư 2020 (nhớ lại), tính theo ngày lịch. " + VERIFY, [
        (REFORM_DAY, province(
            "H26.116", "Ban Quản lý các Khu công nghệ cao và Khu công nghiệp Thành phố",
            name="Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư", field="DT",
            limit_amount="15", limit_unit=LimitUnit.CALENDAR_DAYS, receiving_units=["H26.116"],
            subjects="Nhà đầu tư thực hiện dự án trong khu công nghệ cao, khu công nghiệp.", result_name="Giấy chứng nhận đăng ký đầu tư",
            documents=[doc("Văn bản đề nghị thực hiện dự án đầu tư"), doc("Đề xuất dự án đầu tư"),
                       doc("Tài liệu về tư cách pháp lý của nhà đầu tư", originals=0, copies=1),
                       doc("Tài liệu chứng minh năng lực tài chính của nhà đầu tư", originals=0, copies=1)],
            steps=steps(("Tiếp nhận hồ sơ", R, "4"), ("Thẩm định hồ sơ", "@H26.116", "64"), ("Lãnh đạo Ban ký", L, "12"),
                        ("Vào sổ, phát hành", C, "4"), ("Trả kết quả", R, "0")),
            legal_bases=["61/2020/QH14"],
        )),
    ]),
    ("HN-DEMO-CC01", True, "Mã giữ chỗ; thời hạn 10 ngày làm việc nhớ lại từ Luật Công chứng 2024. " + VERIFY, [
        (REFORM_DAY, province(
            "H26.104", "Sở Tư pháp", name="Đăng ký hành nghề và cấp Thẻ công chứng viên", field="CC", limit_amount="10",
            limit_unit=LimitUnit.WORKING_DAYS, subjects="Tổ chức hành nghề công chứng đề nghị cho công chứng viên của tổ chức mình.",
            result_name="Thẻ công chứng viên", result_form=ResultForm.PAPER,
            documents=[doc("Đơn đề nghị đăng ký hành nghề và cấp Thẻ công chứng viên"),
                       doc("Quyết định bổ nhiệm công chứng viên", originals=0, copies=1), doc("Ảnh chân dung 2x3", originals=2)],
            steps=office_steps(80, unit_code="H26.104"), legal_bases=["46/2024/QH15"],
        )),
    ]),
    ("1.014748", True, "Mã theo một nguồn thứ cấp; 20 ngày làm việc theo Đ.46 Luật Việc làm 2013 (nhớ lại; Luật Việc làm 2025 "
                       "cần đối chiếu từ 01/01/2026). " + VERIFY, [
        (REFORM_DAY, province(
            "H26.102", "Sở Nội vụ (Trung tâm Dịch vụ việc làm tiếp nhận)", name="Giải quyết hưởng trợ cấp thất nghiệp", field="LD",
            limit_amount="20", limit_unit=LimitUnit.WORKING_DAYS,
            subjects="Người lao động đang đóng bảo hiểm thất nghiệp bị chấm dứt hợp đồng lao động.",
            result_name="Quyết định về việc hưởng trợ cấp thất nghiệp", dossiers_per_year=60_000,
            documents=[doc("Đề nghị hưởng trợ cấp thất nghiệp theo mẫu"),
                       doc("Giấy tờ xác nhận việc chấm dứt hợp đồng lao động", originals=0, copies=1),
                       doc("Sổ bảo hiểm xã hội", mandatory=False, note="Không cần khi đã khai thác được dữ liệu từ cơ quan BHXH.")],
            steps=office_steps(160, unit_code="H26.102", specialist="Trung tâm Dịch vụ việc làm thẩm định, trình Giám đốc Sở"),
            legal_bases=["38/2013/QH13"],
        )),
    ]),
]


def _existing_units(codes):
    found = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    return [c for c in codes if c in found]


def _fit_units(data):
    """Keep only units that exist, so the demo also loads into a partial organisation tree."""
    data = dict(data)
    for key in ("deciding_units", "receiving_units"):
        if key in data:
            data[key] = _existing_units(data[key])
    if "steps" in data:
        known = set(_existing_units([s["unit"] for s in data["steps"] if s.get("unit")]))
        data["steps"] = [s if not s.get("unit") or s["unit"] in known else s | {"unit": None, "role": S}
                         for s in data["steps"]]
    return data


@transaction.atomic
def load_demo_catalog() -> int:
    """Create the demo fields, legal bases and procedures that do not exist yet; returns how many procedures it created."""
    for code, name in FIELDS.items():
        services.save_field(code, name)
    for number, (title, issued, start, end) in LEGAL_BASES.items():
        services.save_legal_basis(number, title=title, issued_on=issued, effective_from=start, effective_to=end)
    existing = set(Procedure.objects.values_list("code", flat=True))
    created = 0
    for code, is_demo, note, versions in PROCEDURES:
        if code in existing:
            continue
        (start, data), *later = versions
        services.create_procedure(code, effective_from=start, is_demo=is_demo, source_note=note, **_fit_units(data))
        for start, changes in later:
            services.publish_version(code, effective_from=start, **_fit_units(changes))
        created += 1
    return created
