"""The conduct rules seeded into the catalog, each with its source (docs/legal/discipline.md §6.1, §6.3).

A unit adds its own code in the back office (group "unit"). Wording is a faithful summary, not the text.
"""
RULES = [
    # Luật Cán bộ, công chức 2025 (80/2025/QH15) Đ.14 — việc cán bộ, công chức không được làm.
    ("CBCC14-TRONTRANH", "prohibited", "Trốn tránh trách nhiệm, thoái thác, đùn đẩy nhiệm vụ, công vụ được giao", "Luật CBCC 2025 Đ.14"),
    ("CBCC14-BEPHAI", "prohibited", "Gây bè phái, mất đoàn kết", "Luật CBCC 2025 Đ.14"),
    ("CBCC14-BOVIEC", "prohibited", "Tự ý nghỉ việc, bỏ việc", "Luật CBCC 2025 Đ.14"),
    ("CBCC14-DINHCONG", "prohibited", "Tham gia đình công", "Luật CBCC 2025 Đ.14"),
    ("CBCC14-TINSAI", "prohibited", "Đưa tin sai sự thật làm ảnh hưởng đến uy tín, hình ảnh của cơ quan", "Luật CBCC 2025 Đ.14"),
    ("CBCC14-NHUNGNHIEU", "prohibited", "Tham nhũng, sách nhiễu, gây phiền hà cho người dân, doanh nghiệp", "Luật CBCC 2025 Đ.14"),
    ("CBCC14-TAISANCONG", "prohibited", "Sử dụng tài sản công trái pháp luật", "Luật CBCC 2025 Đ.14"),
    ("CBCC14-LAMQUYEN", "prohibited", "Lợi dụng, lạm dụng chức vụ, quyền hạn", "Luật CBCC 2025 Đ.14"),
    ("CBCC14-PHANBIET", "prohibited", "Phân biệt đối xử", "Luật CBCC 2025 Đ.14"),
    ("CBCC14-KHAC", "prohibited", "Việc khác bị cấm về kinh doanh, công tác cán bộ theo luật", "Luật CBCC 2025 Đ.14"),
    # NĐ 118/2025/NĐ-CP — trách nhiệm công chức tại Bộ phận Một cửa.
    ("NĐ118-TRANGPHUC", "one_stop", "Mặc trang phục, đeo thẻ công chức khi thi hành công vụ", "NĐ 118/2025/NĐ-CP (trách nhiệm công chức Bộ phận Một cửa)"),
    ("NĐ118-HUONGDAN", "one_stop", "Hướng dẫn đầy đủ, một lần; yêu cầu bổ sung hồ sơ không quá một lần", "NĐ 118/2025/NĐ-CP"),
    ("NĐ118-HAN", "one_stop", "Giải quyết, chuyển hồ sơ đúng thời hạn; xin lỗi và hẹn lại khi trễ hạn", "NĐ 118/2025/NĐ-CP"),
    ("NĐ118-KHONGNHAN", "one_stop", "Không nhận hồ sơ, trả kết quả ngoài Bộ phận Một cửa; không thu phí ngoài quy định", "NĐ 118/2025/NĐ-CP"),
    # Quy tắc ứng xử "4 xin, 4 luôn".
    ("4X4L-XIN", "manners", "4 xin: xin chào, xin lỗi, xin cảm ơn, xin phép", "Quy tắc ứng xử ngành (docs/legal/discipline.md §6.3)"),
    ("4X4L-LUON", "manners", "4 luôn: luôn mỉm cười, luôn nhẹ nhàng, luôn lắng nghe, luôn giúp đỡ", "Quy tắc ứng xử ngành (docs/legal/discipline.md §6.3)"),
    # QĐ 45/2018/QĐ-TTg Đ.15 — trách nhiệm người dự họp (thay thế đối với UBND tỉnh/xã từ 08/12/2025).
    ("QĐ45-D15-TRALOI", "meeting", "Trả lời giấy mời họp; nghiên cứu tài liệu trước khi họp", "QĐ 45/2018/QĐ-TTg Đ.15"),
    ("QĐ45-D15-THANHPHAN", "meeting", "Dự họp đúng thành phần; người được mời không dự được phải báo cáo chủ trì và cử người dự thay nếu được đồng ý", "QĐ 45/2018/QĐ-TTg Đ.15"),
    ("QĐ45-D15-DUNGGIO", "meeting", "Dự họp đúng giờ", "QĐ 45/2018/QĐ-TTg Đ.15"),
    ("QĐ45-D15-DUTHOIGIAN", "meeting", "Dự họp hết thời gian; chỉ về sớm vì lý do đột xuất và được chủ trì đồng ý", "QĐ 45/2018/QĐ-TTg Đ.15"),
    ("QĐ45-D15-VANHOA", "meeting", "Chấp hành quy định bảo mật, văn hóa công sở; không làm việc riêng trong cuộc họp", "QĐ 45/2018/QĐ-TTg Đ.15"),
]


def seed(ConductRule):
    """Create the missing rules (by code); existing ones are left as an admin edited them."""
    made = 0
    for code, group, title, source in RULES:
        _obj, created = ConductRule.objects.get_or_create(code=code, defaults={"group": group, "title": title,
                                                                               "source": source})
        made += created
    return made
