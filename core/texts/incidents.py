"""Texts of incident logging (/suvu, /suvu_ds). Plain strings, escaped when sent.

The labels of types, settings, age groups… are part of the stored format and live in
:mod:`features.incidents`; the texts here only frame them.
"""

from __future__ import annotations

COMMANDS: list[tuple[str, str]] = [
    ("suvu", "Ghi nhanh một sự vụ về trẻ em (chỉ trong trò chuyện riêng)"),
    ("suvu_ds", "Danh sách sự vụ gần đây (người điều phối, quản trị viên)"),
    ("suvu_bosung", "Bổ sung thông tin cho sự vụ bạn đã ghi"),
]

# --- safety first, privacy always -------------------------------------------------------------

SAFETY = (
    "⚠️ Nếu trẻ đang gặp nguy hiểm ngay lúc này, hãy gọi ngay 113 (Công an) hoặc "
    "Tổng đài quốc gia bảo vệ trẻ em 111 (miễn phí, 24/7). Ghi sự vụ ở đây để lưu lại và báo "
    "người điều phối — không thay cho cuộc gọi khẩn cấp."
)
PRIVACY = (
    "🔒 Dữ liệu về trẻ em được xử lý theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và Nghị "
    "định 356/2025/NĐ-CP: chỉ dùng cho công tác bảo vệ trẻ em, được mã hóa khi lưu, chỉ điều "
    "phối viên của kế hoạch và quản trị viên xem được, mỗi lần xem đều ghi nhật ký, và được ẩn "
    "danh khi hết thời hạn lưu giữ."
)
GROUP_PRIVATE_ONLY = (
    "🔒 Sự vụ về trẻ em chỉ được ghi và xem trong trò chuyện riêng với trợ lý, không ở trong "
    "nhóm. Bấm nút bên dưới để tiếp tục."
)
GROUP_DONT_WRITE = "Xin đừng viết chi tiết sự vụ vào nhóm."
GROUP_BUTTON_LOG = "🔒 Ghi sự vụ trong trò chuyện riêng"
GROUP_BUTTON_LIST = "🔒 Xem sự vụ trong trò chuyện riêng"
DISABLED = "Tính năng ghi sự vụ đang tắt trên hệ thống này."
NOT_OFFICER = (
    "Chỉ cán bộ đã đăng ký đơn vị và được duyệt mới ghi được sự vụ. "
    "Gõ /dangky để đăng ký đơn vị của bạn."
)
NOT_YET_APPROVED = (
    "Yêu cầu đăng ký đơn vị của bạn đang chờ duyệt; khi được duyệt, bạn ghi được sự vụ. "
    "Xem tình trạng: /toi. Nếu cần báo gấp, hãy gọi 111 hoặc báo trực tiếp người điều phối."
)
NOT_OFFICER_BUT_READER = (
    "Ghi sự vụ dành cho cán bộ đã đăng ký đơn vị. Bạn là người điều phối hoặc quản trị viên: "
    "gõ /suvu_ds để xem danh sách sự vụ."
)
NOT_READER = "Chỉ người điều phối của kế hoạch và quản trị viên mới xem được sự vụ."

# --- the form -----------------------------------------------------------------------------------

INTRO = (
    "📝 Ghi sự vụ — {steps} bước ngắn, phần lớn chỉ cần bấm nút.\n"
    "Không ghi tên, số điện thoại, địa chỉ hay số giấy tờ của trẻ và gia đình. "
    "Gõ /huy để hủy bất cứ lúc nào."
)
STEP = "Bước {n}/{total}. {question}"
ASK_KIND = "Loại sự vụ?"
ASK_SETTING = "Bối cảnh xảy ra?"
ASK_PLACE = (
    "Xã/phường nơi xảy ra? Gõ tên, ví dụ: Phường 5, Xã Bình Hải.\n"
    "Chỉ ghi tên xã/phường, không ghi số nhà, đường, thôn xóm."
)
PLACE_BUTTONS = "Hoặc bấm tên xã/phường của địa bàn bên dưới."
ASK_DATE = "Xảy ra ngày nào? Bấm nút, hoặc gõ ngày dạng ngày/tháng, ví dụ 20/11."
ASK_SEX = "Giới tính của trẻ?"
ASK_AGE = "Nhóm tuổi của trẻ?"
ASK_PERPETRATOR = "Người bị nghi gây hại là ai đối với trẻ?"
ASK_DESCRIPTION = (
    "Mô tả ngắn sự việc (tối đa {limit} ký tự).\n"
    "Không ghi tên, số điện thoại, địa chỉ, số CCCD/CMND — hãy dùng “trẻ”, “người cha”, "
    "“hàng xóm”…"
)
ASK_ACTIONS = "Đã xử lý hoặc chuyển gửi tới đâu? Chọn một hoặc nhiều, rồi bấm “Xong”."
ASK_URGENCY = "Mức khẩn cấp?"
ANSWERED = "{question}\n→ {answer}"
BUTTONS_PLEASE = "Bạn hãy bấm một nút bên dưới (hoặc gõ /huy để hủy)."
TEXT_PLEASE = "Ở bước này, bạn hãy gõ chữ (hoặc gõ /huy để hủy)."
BUTTON_TODAY = "Hôm nay"
BUTTON_YESTERDAY = "Hôm qua"
BUTTON_DONE = "Xong ✓"
BUTTON_CANCEL = "✖ Hủy"
TICK = "☑ "
UNTICK = "☐ "
DESCRIPTION_HIDDEN = "(đã nhận, không hiển thị lại ở đây)"

PLACE_EMPTY = "Tôi chưa thấy tên xã/phường. Bạn gõ lại nhé."
PLACE_TOO_LONG = "Tên xã/phường dài quá {limit} ký tự. Chỉ ghi tên xã/phường thôi."
PLACE_PII = (
    "Ô này chỉ ghi tên xã/phường: không ghi số điện thoại, số giấy tờ hay địa chỉ nhà. "
    "Bạn gõ lại nhé."
)
DATE_BAD = "Tôi chưa hiểu ngày này. Gõ dạng ngày/tháng, ví dụ 20/11, hoặc bấm nút."
DATE_FUTURE = "Ngày này chưa tới. Bạn kiểm tra lại nhé."
DATE_CHECK = (
    "Ngày {date} đã cách hôm nay hơn {days} ngày. Nếu đúng, bấm nút dưới; "
    "nếu không, gõ lại ngày (ngày/tháng/năm)."
)
BUTTON_DATE_RIGHT = "Đúng, ngày {date}"
BUTTON_NOTHING_YET = "Chưa xử lý, chưa chuyển gửi"
DATE_TOO_OLD = "Ngày này đã quá 5 năm. Bạn kiểm tra lại nhé."
DESCRIPTION_EMPTY = "Tôi chưa thấy mô tả. Bạn gõ vài dòng ngắn nhé."
DESCRIPTION_TOO_LONG = "Mô tả dài quá {limit} ký tự. Bạn rút gọn lại nhé."

PII_HEAD = "⚠️ Mô tả có thể chứa thông tin nhận dạng trẻ hoặc gia đình:"
PII_LINE = "• {label}: “{text}”"
PII_ADVICE = (
    "Dữ liệu này được mã hóa, nhưng càng ít thông tin nhận dạng càng an toàn cho trẻ. "
    "Bạn có thể gõ lại mô tả, để tôi tự che các thông tin trên, hoặc giữ nguyên."
)
PII_LABELS = {
    "name": "tên người", "phone": "số điện thoại", "id_number": "số CCCD/CMND",
    "address": "địa chỉ", "birth_date": "ngày sinh", "email": "email",
}
BUTTON_REDACT = "🕶 Tự che thông tin"
BUTTON_RETYPE = "✏️ Gõ lại mô tả"
BUTTON_KEEP = "Giữ nguyên"
PII_RETYPE = "Bạn gõ lại mô tả nhé."
PII_REDACTED = "Đã che: {text}"

CONFIRM_HEAD = "Kiểm tra lại trước khi lưu:"
FIELD_LINE = "• {label}: {value}"
FIELD_LABELS = {
    "kind": "Loại", "setting": "Bối cảnh", "place": "Xã/phường", "occurred_on": "Ngày xảy ra",
    "child_sex": "Giới tính của trẻ", "age_group": "Nhóm tuổi",
    "perpetrator": "Người bị nghi gây hại", "description": "Mô tả",
    "actions": "Đã xử lý/chuyển gửi", "urgency": "Mức khẩn cấp",
}
BUTTON_SAVE = "✅ Lưu"
BUTTON_EDIT = "✏️ Sửa"
EDIT_WHICH = "Bạn muốn sửa mục nào?"
BUTTON_BACK = "↩ Quay lại"

RECEIPT = (
    "✅ Đã lưu sự vụ {number} lúc {time}.\n"
    "Nội dung được mã hóa; tin nhắn này không còn hiển thị mô tả.\n"
    "{notified}"
)
NOTIFIED = "Đã báo {count} người điều phối của kế hoạch (không kèm mô tả)."
NOTIFIED_ADMINS = "Kế hoạch chưa có người điều phối: đã báo quản trị viên (không kèm mô tả)."
NOTIFIED_NOBODY = (
    "Kế hoạch chưa có người điều phối để báo; hãy báo trực tiếp cho cơ quan phụ trách."
)
NOTIFIED_SELF_ADMINS = (
    "Bạn là người điều phối duy nhất của kế hoạch: đã báo quản trị viên (không kèm mô tả)."
)
NOTIFIED_SELF_NOBODY = (
    "Bạn là người điều phối duy nhất của kế hoạch nên không có ai khác để báo; "
    "hãy báo trực tiếp cho cơ quan phụ trách nếu cần."
)
CANCELLED = "Đã hủy, không lưu gì."
TIMED_OUT = (
    "Phiên ghi sự vụ đã quá {hours} giờ không trả lời nên đã được xóa, không lưu gì. "
    "Gõ /suvu để ghi lại."
)
RESUME_ASK = (
    "Bạn có một sự vụ đang ghi dở (đến bước {n}/{total}), các câu trả lời vẫn được giữ "
    "(mã hóa). Tiếp tục hay bỏ để ghi lại từ đầu?"
)
BUTTON_RESUME = "▶️ Tiếp tục"
BUTTON_RESTART = "🗑 Bỏ, ghi lại từ đầu"
RESUMED = "Tiếp tục sự vụ đang ghi dở."
RESTARTED = "Đã bỏ sự vụ ghi dở; ghi lại từ đầu."
STALE = "Bước này đã qua."
SAVE_FAILED = "Chưa lưu được: thiếu mục “{field}”. Bấm “Sửa” để bổ sung."

# --- for coordinators ------------------------------------------------------------------------

NOTIFY = (
    "🔔 Sự vụ mới {number}\n"
    "Loại: {kind}\n"
    "Nơi xảy ra: {place}\n"
    "Mức khẩn cấp: {urgency}\n"
    "Kế hoạch: {plan}\n"
    "Bấm nút để xem chi tiết (việc xem được ghi vào nhật ký)."
)
BUTTON_VIEW = "Xem {number}"
LIST_HEAD = "Sự vụ gần đây — {scope}:"
LIST_SCOPE_ALL = "tất cả kế hoạch"
LIST_LINE = "{number} · {date} · {kind} · {place} · {urgency} · {status}"
LIST_EMPTY = "Chưa có sự vụ nào — {scope}."
LIST_FOOTER = "Bấm số sự vụ để xem chi tiết. Việc xem được ghi vào nhật ký."
DETAIL_HEAD = "Sự vụ {number} — {status}"
DETAIL_LOGGED = "• Ghi lúc: {time} — đơn vị: {unit}"
DETAIL_REPORTER = "• Người ghi: {name}"

# --- /suvu_tk ------------------------------------------------------------------------------------

STATS_COMMAND = "Số sự vụ theo loại và theo tháng (người điều phối, quản trị viên)"
STATS_PRIVATE_ONLY = "Số liệu sự vụ chỉ xem trong tin nhắn riêng với tôi: gõ /suvu_tk ở đó."
STATS_HEAD = "Số sự vụ của các kế hoạch bạn theo dõi: {total}"
STATS_BY_KIND = "\nTheo loại:"
STATS_BY_MONTH = "\nTheo tháng xảy ra:"
STATS_LINE = "• {label}: {count}"
STATS_NONE = "• (chưa có)"
STATS_NOTE = (
    "\nSố nhỏ hơn {min} được ẩn để không lộ trẻ nào. Chi tiết theo xã/phường: "
    "kehoach incidents stats trên máy chủ."
)
DETAIL_ANONYMISED = (
    "(Đã ẩn danh theo thời hạn lưu trữ: chỉ còn loại, bối cảnh, nơi và tháng.)"
)
NO_ACTION_LABEL = "Chưa xử lý, chưa chuyển gửi"
BUTTON_HIDE = "🙈 Ẩn nội dung"
HIDDEN = "Đã ẩn nội dung sự vụ {number} khỏi tin nhắn này. Gõ /suvu_ds để xem lại."
STATUS_TOAST = "Đã đánh dấu {number}: {status}."
DENIED_TOAST = "Bạn không có quyền xem sự vụ này."
UNKNOWN_INCIDENT = "Không tìm thấy sự vụ này."

# --- "bổ sung thông tin": the reporter adds a note after saving ------------------------------

NOTE_HINT = "Cần bổ sung thông tin sau: gõ /suvu_bosung {number}"
NOTE_ASK = (
    "Gửi thông tin bổ sung cho sự vụ {number} (tối đa {limit} ký tự), ví dụ việc đã xử lý "
    "thêm. Không ghi tên, số điện thoại, địa chỉ của trẻ và gia đình. Gõ /huy để thôi."
)
NOTE_SAVED = "✅ Đã bổ sung thông tin cho sự vụ {number} (mã hóa). {notified}"
NOTE_NOTIFIED = "Đã báo {count} người nhận sự vụ (không kèm nội dung)."
NOTE_EMPTY = "Thông tin bổ sung đang trống; bạn hãy gõ nội dung (hoặc /huy để thôi)."
NOTE_TOO_LONG = "Thông tin bổ sung dài quá {limit} ký tự; bạn hãy viết ngắn lại."
NOTE_NOT_REPORTER = "Chỉ cán bộ đã ghi sự vụ này mới bổ sung được thông tin."
NOTE_ANONYMISED = "Sự vụ này đã được ẩn danh theo thời hạn lưu trữ nên không bổ sung được."
NOTE_FULL = "Sự vụ này đã có đủ {count} lần bổ sung; hãy báo trực tiếp người điều phối."
NOTE_BUSY = (
    "Bạn đang làm dở một việc khác (ghi sự vụ, gửi báo cáo…): làm xong, hoặc gõ /huy để bỏ, "
    "rồi gõ lại /suvu_bosung."
)
NOTE_CANCELLED = "Đã thôi, không bổ sung gì."
NOTE_TIMED_OUT = (
    "Đã quá lâu không thấy thông tin bổ sung nên tôi dừng. "
    "Bấm nút trên biên nhận để bổ sung lại."
)
NOTE_NOTIFY = (
    "🔔 Sự vụ {number} có thông tin bổ sung từ cán bộ đã ghi. "
    "Bấm nút để xem (việc xem được ghi vào nhật ký)."
)
DETAIL_NOTES = "• Bổ sung:"
DETAIL_NOTE = "  – {time}: {text}"

# --- INCIDENT_KEY (storage/crypto.py: the operator's messages at start and on the CLI) --------

KEY_HELP = (
    "Tạo khóa bằng lệnh `kehoach incidents new-key`, ghi vào INCIDENT_KEY trong tệp .env và "
    "giữ khóa ở nơi an toàn (mất khóa là mất dữ liệu sự vụ). Muốn tắt tính năng sự vụ: "
    "INCIDENTS_ENABLED=false."
)
KEY_MISSING = "INCIDENT_KEY chưa được đặt. " + KEY_HELP
KEY_MALFORMED = (
    "INCIDENT_KEY không hợp lệ (khóa thứ {position} không phải khóa Fernet: "
    "cần 32 byte mã hóa base64 URL-safe, 44 ký tự). " + KEY_HELP
)
KEY_WRONG = (
    "INCIDENT_KEY không mở được dữ liệu sự vụ đã lưu trong cơ sở dữ liệu (sai khóa, "
    "hoặc thiếu khóa cũ sau khi đổi khóa). Hãy đặt lại đúng khóa; khi đổi khóa, để "
    "khóa mới đứng đầu và giữ khóa cũ phía sau cho tới khi chạy "
    "`kehoach incidents rotate-key`."
)
