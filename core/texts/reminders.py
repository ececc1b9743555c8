"""Texts of deadline reminders: the reminders themselves, /nhacviec, /tatnhac, /lich.

Names ending in ``_HTML`` are Telegram HTML templates: values given to their ``format`` must be
escaped with :func:`bot.render.escape`. The other texts are plain and are escaped when sent.
"""

from __future__ import annotations

COMMANDS: list[tuple[str, str]] = [
    ("nhacviec", "Bật nhắc hạn báo cáo cho nhóm (người điều phối)"),
    ("tatnhac", "Tắt nhắc hạn báo cáo của nhóm"),
    ("lich", "Tải lịch hạn báo cáo (.ics) về điện thoại"),
]

# --- the reminders -----------------------------------------------------------------------------

# The first line, by how far the due date is.
AHEAD_HTML = "📅 <b>Còn {days} ngày</b>: {title}"
TOMORROW_HTML = "📅 <b>Ngày mai là hạn</b>: {title}"
TODAY_HTML = "📅 <b>Hôm nay là hạn</b>: {title}"
OVERDUE_HTML = "⏰ <b>Quá hạn {days} ngày</b>: {title}"
# Then the due date, recipient and channel.
DUE_HTML = " — hạn {date}, gửi {recipient}{via}."
VIA = " qua {via}"
DATE_NOTE = "({note})"  # "(10/12 là Chủ nhật)": the deadline keeps the plan's date
DAY_OFF_NOTE = "{day:%d/%m} là {reason}"  # a due date on a day off: "10/12 là Chủ nhật"
PLAN_HTML = "\n<i>Kế hoạch {plan}</i>"
MISSING_HTML = "\nChưa nộp: {units}."
LATE_HTML = "\nĐơn vị chưa nộp: {units}."
MORE_UNITS = "… và {count} đơn vị khác"
SUBMIT_HINT = "\nNộp báo cáo: nhắn riêng cho tôi lệnh /baocao."
# Private, to an officer of a unit that has not reported.
PRIVATE_MISSING_HTML = "\nĐơn vị của bạn (<b>{unit}</b>) chưa nộp báo cáo này."
PRIVATE_LATE_HTML = "\nĐơn vị của bạn (<b>{unit}</b>) chưa nộp báo cáo này; xin gửi sớm."
PRIVATE_HINT = "\nGửi báo cáo: /baocao"

# To the coordinators when the bot was removed from a subscribed group.
REMOVED_HTML = (
    "⚠️ Tôi không còn gửi được tin vào nhóm <b>{chat}</b> (đã bị gỡ khỏi nhóm hoặc bị chặn), "
    "nên đã tắt nhắc hạn báo cáo của kế hoạch {plan} cho nhóm này.\n"
    "Để bật lại: thêm tôi vào nhóm rồi gõ /nhacviec trong nhóm."
)

# --- /nhacviec, /tatnhac ------------------------------------------------------------------------

GROUP_ONLY = "Lệnh này dùng trong nhóm phối hợp. Hãy thêm tôi vào nhóm rồi gõ lệnh trong nhóm."
NO_PLAN = "Nhóm chưa chọn kế hoạch. Gõ /kehoach để chọn kế hoạch trước, rồi gõ /nhacviec."
NOT_ALLOWED = (
    "Chỉ người điều phối của kế hoạch hoặc quản trị viên mới bật, tắt hay đổi nhắc hạn "
    "báo cáo."
)
SUBSCRIBED_HTML = "✅ <b>Đã bật nhắc hạn báo cáo</b> cho nhóm này — kế hoạch {plan}."
DEADLINES_ALL = "\nHạn được nhắc: tất cả hạn có ngày cụ thể."
DEADLINES_SOME_HTML = "\nHạn được nhắc: {titles}."
UNITS_SOME_HTML = "\nChỉ theo dõi đơn vị: {units}."
LEADS_HTML = "\nNhắc {leads}, lúc {hour:02d}:00."
LEAD_BEFORE = "trước {days} ngày"
LEAD_SAME_DAY = "đúng ngày hạn"
LEADS_JOIN = " và "
NEXT_HTML = "\nHạn gần nhất: {title} — {date}."
NO_NEXT = "\nKhông còn hạn nào có ngày cụ thể sắp tới."
OVERDUE_NOTE = "\nSau hạn, tôi báo một lần các đơn vị chưa nộp."
SUBSCRIBE_USAGE = (
    "\n\nLọc theo hạn hoặc đơn vị: /nhacviec báo cáo năm; Phòng Y tế\n"
    "Bỏ lọc: /nhacviec tất cả\n"
    "Đổi số ngày nhắc trước: /nhacviec trước 7 3 1 0\n"
    "Xem tin nhắc 30 ngày tới: /nhacviec xem\n"
    "Tắt: /tatnhac · Lịch: /lich"
)
UNKNOWN_TARGETS = (
    "Không tìm thấy hạn báo cáo hay đơn vị nào khớp với: {items}.\n"
    "Ví dụ: /nhacviec báo cáo năm; Phòng Y tế"
)
CHOICES = "\n\nCác hạn có ngày cụ thể của kế hoạch:{lines}"
CHOICE_LINE = "\n• {title}"
DATELESS = (
    "Hạn {items} không có ngày cụ thể (khi có yêu cầu) nên không nhắc được. "
    "Hãy chọn hạn khác."
)
BAD_LEADS = (
    "Số ngày nhắc trước phải từ 0 (đúng ngày hạn) đến {max} ngày. "
    "Ví dụ: /nhacviec trước 7 3 1 0"
)
UNSUBSCRIBED = "🔕 Đã tắt nhắc hạn báo cáo cho nhóm này. Bật lại bằng /nhacviec."
NOT_SUBSCRIBED = "Nhóm này chưa bật nhắc hạn báo cáo. Bật bằng /nhacviec."

# --- /lich ---------------------------------------------------------------------------------------

CALENDAR_CAPTION = (
    "🗓 Lịch hạn báo cáo — kế hoạch {plan}, {count} hạn trong 12 tháng tới. "
    "Mở tệp để thêm vào lịch điện thoại (mỗi hạn có lời nhắc trước 3 ngày)."
)
CALENDAR_EMPTY = "Kế hoạch {plan} không có hạn báo cáo nào có ngày cụ thể trong 12 tháng tới."
CALENDAR_NO_PLAN = "Chưa chọn kế hoạch. Gõ /kehoach để chọn, rồi gõ /lich."
CALENDAR_FILE = "lich-han-bao-cao-{plan}.ics"

# --- /nhacviec xem, forum topics ---------------------------------------------------------------

UPCOMING_HEAD = ("Tin nhắc nhóm này sẽ nhận trong {days} ngày tới (ngày nghỉ, lễ, Tết đã được dời"
                 " về ngày làm việc trước đó):")
UPCOMING_ITEM = "• {when} — {text}"
UPCOMING_MORE = "… và {n} tin nhắc khác."
UPCOMING_NONE = "Nhóm này không có tin nhắc nào trong {days} ngày tới."
TOPIC_NOTE = "\nTin nhắc và thông báo quá hạn sẽ gửi vào chủ đề này."
