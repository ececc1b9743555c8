"""Texts of the coordinating office: rates, the trend, /tonghop, the incident clock.

Plain text (sent without parse mode) unless the name ends in ``_HTML``; ``str.format``
templates.
"""

from __future__ import annotations

COMMANDS: list[tuple[str, str]] = [
    ("tonghop", "Soạn báo cáo tổng hợp (Word) của một kỳ (người điều phối, nhắn riêng)"),
    ("thongbao", "Báo khi có báo cáo mới: từng báo cáo, một bản tin mỗi ngày, hoặc tắt"),
]

# /tinhhinh: the figures of one occurrence
RATE_LINE = "{received}/{expected} đơn vị đã nộp ({rate}), {on_time} đúng hạn ({on_time_rate})"
RATE_GRACE = " — tính cả {days} ngày gia hạn"
RATE_EXEMPT = "; {count} đơn vị được miễn"
RATE_NONE = "—"
NO_DATED_DEADLINE = (
    "Kế hoạch {plan} không đặt hạn báo cáo có ngày cụ thể (kế hoạch không đặt hạn)."
)

# /tinhhinh xuhuong
TREND_HEADER = "Xu hướng nộp báo cáo — {plan} ({count} kỳ gần nhất)"
TREND_LINE = "• {label}: {line}"
TREND_NONE = "Kế hoạch {plan} chưa có kỳ báo cáo nào đến hạn để tính xu hướng."
TREND_LATE_HEADER = "\nĐơn vị thường nộp muộn hoặc không nộp:"
TREND_LATE_LINE = "• {unit}: {on_time}/{expected} kỳ đúng hạn, {late} muộn, {missing} không nộp"
TREND_LATE_MORE = "• … và {count} đơn vị khác (xem biểu đồ hoặc tệp Excel)"
TREND_NO_LATE = "\nKhông có đơn vị nào thường nộp muộn."
TREND_CAPTION = "Xu hướng nộp báo cáo — {plan}"
PRIVATE_ONLY = (
    "Lệnh này chỉ dùng trong tin nhắn riêng với tôi (số liệu của văn phòng điều phối). "
    "Bạn hãy nhắn riêng cho @{bot} nhé."
)
NOT_ALLOWED = "Bạn không có quyền xem hoặc xuất báo cáo của kế hoạch này."

# /tonghop
COMPILE_CHOOSE = "Báo cáo tổng hợp — {plan}. Chọn kỳ:"
COMPILE_BUTTON = "{title} — hạn {due}"
COMPILE_NONE = "Kế hoạch {plan} không có kỳ báo cáo nào có hạn cụ thể (kế hoạch không đặt hạn)."
COMPILE_CAPTION = (
    "Dự thảo báo cáo tổng hợp: {title}, hạn {due} — {line}. Mở bằng Word hoặc LibreOffice, "
    "rà soát rồi gửi. Tệp có nội dung báo cáo của các đơn vị: không chuyển tiếp vào nhóm."
)
STALE = "Nút này đã cũ. Gõ /tonghop để chọn lại."

# the 12-hour clock (HTML)
CLOCK_HTML = (
    "⏰ <b>Sự vụ khẩn cấp {number}</b> được ghi lúc {logged} — đã {hours} giờ mà chưa được "
    "đánh dấu “đã xử lý” hay “đã chuyển gửi”.\n"
    "Loại: {kind} · Nơi xảy ra: {place}\n"
    "Nghị định 56/2017/NĐ-CP (Điều 26): can thiệp khẩn cấp trong <b>12 giờ</b> kể từ khi nhận "
    "thông tin{left}.\n"
    "Xem và đánh dấu: /suvu_ds"
)
CLOCK_LEFT = " — còn khoảng {hours} giờ"
SUPPORT_HTML = (
    "📋 <b>Sự vụ khẩn cấp {number}</b> (ghi lúc {logged}; loại: {kind}; nơi xảy ra: {place}) "
    "sau 5 ngày vẫn chưa được đánh dấu “đã xử lý” hay “đã chuyển gửi”.\n"
    "Nghị định 56/2017/NĐ-CP (Điều 26): kế hoạch hỗ trợ, can thiệp phải được xây dựng trong "
    "5 ngày làm việc. (Tính theo 5 ngày liên tục, chưa trừ ngày nghỉ: lịch ngày làm việc chưa "
    "được cài.)\n"
    "Xem và đánh dấu: /suvu_ds"
)

# /tinhhinh: the button that reminds the units missing for an occurrence
REMIND_BUTTON = "🔔 Nhắc các đơn vị chưa nộp"
REMIND_BUTTON_OF = "🔔 Nhắc đơn vị chưa nộp: {title}"
REMIND_DONE = "Đã nhắc {officers} cán bộ của {units} đơn vị chưa nộp “{title}”."
REMIND_DONE_NOBODY = (
    "{units} đơn vị chưa nộp “{title}” nhưng chưa có cán bộ nào đăng ký để nhận tin nhắc."
)
REMIND_NONE = "Mọi đơn vị đã nộp “{title}”: không có ai để nhắc."
REMIND_LIMITED = (
    "Kỳ này vừa được nhắc trong vòng một giờ qua. Có thể nhắc lại sau {when}."
)
REMIND_STALE = "Nút này đã cũ. Gõ /tinhhinh để xem lại."
REMIND_TEXT = (
    "🔔 Người điều phối nhắc: đơn vị của bạn ({unit}) chưa nộp “{title}”{due} — {plan}.\n"
    "Gửi báo cáo: /baocao"
)
REMIND_DUE = ", hạn {due}"

# /thongbao: how a coordinator is told of the reports received
NOTICE_ONE = (
    "📥 Báo cáo mới: {unit} — {period}, nhận lúc {when}, số biên nhận {number} ({plan}).\n"
    "Xem: /xembaocao {number}"
)
NOTICE_DIGEST_HEADER = "📥 Bản tin báo cáo mới ({count} báo cáo):"
NOTICE_DIGEST_LINE = "• {unit} — {period}, nhận lúc {when}, số {number}"
NOTICE_DIGEST_MORE = "• … và {count} báo cáo khác (xem /tinhhinh)"
NOTICE_DIGEST_FOOTER = "Xem một báo cáo: /xembaocao số-biên-nhận · Đổi cách báo: /thongbao"
NOTICE_SHOW = {
    "each": "Bạn đang nhận tin báo cho từng báo cáo mới, ngay khi nhận.",
    "digest": "Bạn đang nhận một bản tin báo cáo mới mỗi ngày lúc {time}.",
    "off": "Bạn đã tắt tin báo khi có báo cáo mới.",
}
NOTICE_SET = {
    "each": "✅ Từ nay bạn được báo ngay khi có từng báo cáo mới.",
    "digest": "✅ Từ nay bạn nhận một bản tin báo cáo mới mỗi ngày lúc {time}.",
    "off": "✅ Đã tắt tin báo khi có báo cáo mới (xem tình hình bằng /tinhhinh).",
}
NOTICE_USAGE = (
    "Cách dùng: /thongbao ngay (báo từng báo cáo) · /thongbao 17:00 (một bản tin mỗi ngày "
    "lúc 17:00) · /thongbao tat (tắt)."
)
NOTICE_NOT_COORDINATOR = "Tin báo báo cáo mới dành cho người điều phối của một kế hoạch."
# /thongbao's words (folded: no diacritics, lower case)
NOTICE_WORDS_EACH = frozenset({"ngay", "moi bao cao", "tung bao cao", "each", "bat"})
NOTICE_WORDS_OFF = frozenset({"tat", "off", "khong"})
