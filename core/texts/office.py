"""Texts of the coordinating office: rates, the trend, /tonghop, the incident clock.

Plain text (sent without parse mode) unless the name ends in ``_HTML``; ``str.format``
templates.
"""

from __future__ import annotations

COMMANDS: list[tuple[str, str]] = [
    ("tonghop", "Soạn báo cáo tổng hợp (Word) của một kỳ (người điều phối, nhắn riêng)"),
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
    "đánh dấu «đã xử lý» hay «đã chuyển gửi».\n"
    "Loại: {kind} · Nơi xảy ra: {place}\n"
    "Nghị định 56/2017/NĐ-CP (Điều 26): can thiệp khẩn cấp trong <b>12 giờ</b> kể từ khi nhận "
    "thông tin{left}.\n"
    "Xem và đánh dấu: /suvu_ds"
)
CLOCK_LEFT = " — còn khoảng {hours} giờ"
SUPPORT_HTML = (
    "📋 <b>Sự vụ khẩn cấp {number}</b> (ghi lúc {logged}; loại: {kind}; nơi xảy ra: {place}) "
    "sau 5 ngày vẫn chưa được đánh dấu «đã xử lý» hay «đã chuyển gửi».\n"
    "Nghị định 56/2017/NĐ-CP (Điều 26): kế hoạch hỗ trợ, can thiệp phải được xây dựng trong "
    "5 ngày làm việc. (Tính theo 5 ngày liên tục, chưa trừ ngày nghỉ: lịch ngày làm việc chưa "
    "được cài.)\n"
    "Xem và đánh dấu: /suvu_ds"
)
