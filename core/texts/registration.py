"""Texts of registration and roles: /dangky, /toi, /choduyet, /capquyen, /thuhoi.

All plain text (sent without parse mode), ``str.format`` templates.
"""

from __future__ import annotations

COMMANDS: list[tuple[str, str]] = [
    ("dangky", "Đăng ký làm cán bộ của đơn vị (để gửi báo cáo)"),
    ("toi", "Xem đăng ký và quyền của tôi"),
    ("choduyet", "Các yêu cầu đăng ký chờ duyệt (người điều phối)"),
    ("capquyen", "Cấp quyền điều phối một kế hoạch (quản trị viên)"),
    ("thuhoi", "Thu hồi quyền trong một kế hoạch (quản trị viên)"),
]

ROLE_NAMES = {"officer": "cán bộ", "coordinator": "người điều phối"}
STATUS_NAMES = {
    "pending": "đang chờ duyệt",
    "approved": "đã được duyệt",
    "refused": "bị từ chối",
    "revoked": "đã bị thu hồi",
    "withdrawn": "đã thay bằng đăng ký khác",
}

PRIVATE_ONLY = (
    "Lệnh này chỉ dùng trong tin nhắn riêng với tôi. Bạn hãy nhắn riêng cho @{bot} nhé."
)
CHOOSE_PLAN = "Bạn là cán bộ của đơn vị thuộc kế hoạch nào? Hãy chọn kế hoạch:"
CHOOSE_UNIT = (
    "Kế hoạch: {plan}.\nHãy chọn đơn vị của bạn, hoặc gõ tên đơn vị "
    "(ví dụ: phong y te q3). Gõ /huy để thôi."
)
PICK_MATCH = "Tôi tìm thấy các đơn vị sau. Đơn vị của bạn là:"
NO_MATCH = (
    "Tôi không tìm thấy đơn vị nào tên “{text}”. Bạn gõ lại tên đầy đủ hơn "
    "(ví dụ: Phòng Y tế Quận 3) hoặc chọn trong danh sách nhé."
)
EMPTY_UNIT_TEXT = "Bạn hãy gõ tên đơn vị bằng chữ, hoặc chọn một nút ở trên."
UNIT_BUTTON = "{unit} — {plan}"
ALREADY_REGISTERED = "Bạn đã là cán bộ của {unit}, {plan} rồi. Gõ /toi để xem."
REQUEST_SENT = (
    "Đã gửi yêu cầu đăng ký làm cán bộ của {unit}, {plan}. "
    "Người điều phối sẽ duyệt; tôi sẽ báo bạn ngay khi có kết quả."
)
REQUEST_SENT_ADMINS = (
    "Đã gửi yêu cầu đăng ký làm cán bộ của {unit}, {plan}. Kế hoạch này chưa có người điều "
    "phối nên quản trị viên sẽ duyệt; tôi sẽ báo bạn ngay khi có kết quả."
)
REQUEST_REPLACES = (
    "\nLưu ý: khi được duyệt, đơn vị mới sẽ thay cho đơn vị hiện tại của bạn ({unit}, {plan})."
)
REQUEST_SENT_NOBODY = (
    "Đã ghi nhận yêu cầu đăng ký làm cán bộ của {unit}, {plan}. Kế hoạch này chưa có người "
    "điều phối nào trên hệ thống; bạn hãy báo quản trị viên để được duyệt."
)
APPROVAL_REQUEST = (
    "Yêu cầu đăng ký mới #{id}:\n{name} (mã {user_id}) xin làm cán bộ của {unit} — {plan}."
)
APPROVE_BUTTON = "✅ Duyệt"
REFUSE_BUTTON = "❌ Từ chối"
DECIDED_APPROVED = "✅ Đã duyệt yêu cầu #{id}: {name} — {unit}, {plan}."
DECIDED_REFUSED = "❌ Đã từ chối yêu cầu #{id}: {name} — {unit}, {plan}."
ALREADY_DECIDED = "Yêu cầu này đã được xử lý trước đó ({status})."
TOAST_DONE = "Đã xử lý."
NOTIFY_APPROVED = (
    "Yêu cầu đăng ký của bạn đã được duyệt: bạn là cán bộ của {unit}, {plan}. "
    "Gõ /baocao để gửi báo cáo của đơn vị."
)
NOTIFY_REFUSED = (
    "Yêu cầu đăng ký làm cán bộ của {unit}, {plan} chưa được chấp nhận. "
    "Bạn hãy liên hệ người điều phối để biết thêm."
)
NOTIFY_REASON = "\nLý do: {reason}"
NOTIFY_REVOKED = (
    "Quyền {roles} của bạn trong kế hoạch {plan} đã được thu hồi. "
    "Nếu có nhầm lẫn, bạn hãy liên hệ quản trị viên."
)
ROLE_JOIN = " và "
# The command line, after telling the person.
CLI_TOLD = {
    "sent": "Đã nhắn cho người đó qua Telegram.",
    "failed": "Chưa nhắn được cho người đó (người đó chưa mở trò chuyện với bot, hoặc Telegram "
              "không trả lời).",
    "no_token": "Không nhắn cho người đó: chưa đặt TELEGRAM_BOT_TOKEN.",
}
NOT_ALLOWED = "Bạn không có quyền làm việc này."
STALE = "Nút này đã cũ hoặc thao tác đã kết thúc. Gõ /dangky để bắt đầu lại."

ME_HEADER = "Thông tin của bạn (mã người dùng: {user_id}):"
ME_ADMIN = "• Quản trị viên"
ME_ROLE = "{role} — {where}"
ME_LINE = {"approved": "• {role}: đã được duyệt ngày {day}",
           "pending": "• {role}: đang chờ duyệt (gửi ngày {day})"}
ME_HISTORY = "Trước đây:"
ME_PAST_LINE = "• {role}: gửi {requested} → {status} {day}"
ME_IN_PRIVATE = "Thông tin vai trò của bạn chỉ xem trong tin nhắn riêng với tôi."
ME_BUTTON = "Xem trong tin nhắn riêng"
ME_NONE = "Bạn chưa đăng ký. Gõ /dangky để đăng ký làm cán bộ của đơn vị mình."

PENDING_HEADER = "Yêu cầu đăng ký chờ duyệt — {plan}:"
PENDING_NONE = "Không có yêu cầu đăng ký nào đang chờ duyệt — {plan}."
PENDING_ALL_PLANS = "các kế hoạch bạn duyệt"
NEED_PLAN = (
    "Bạn hãy ghi mã kế hoạch sau lệnh, ví dụ: /{command} quan3-2020. Các mã: {plans}."
)
UNKNOWN_PLAN = "Không có kế hoạch mã “{plan}”. Các mã: {plans}."

GRANT_USAGE = (
    "Cách dùng: /capquyen mã-người-dùng mã-kế-hoạch, ví dụ /capquyen 123456789 quan3-2020; "
    "hoặc trả lời tin nhắn của người đó bằng /capquyen quan3-2020. "
    "Người đó xem mã của mình bằng /toi."
)
REVOKE_USAGE = (
    "Cách dùng: /thuhoi mã-người-dùng mã-kế-hoạch [cán bộ | điều phối], ví dụ "
    "/thuhoi 123456789 quan3-2020 cán bộ (không ghi vai trò: thu hồi mọi quyền); "
    "hoặc trả lời tin nhắn của người đó bằng /thuhoi quan3-2020."
)
GRANTED = "Đã cấp quyền điều phối kế hoạch {plan} cho {name} (mã {user_id})."
NOTIFY_GRANTED = (
    "Bạn đã được cấp quyền điều phối kế hoạch {plan}: duyệt đăng ký (/choduyet), xem tình "
    "hình nộp báo cáo (/tinhhinh) và xuất báo cáo (/xuat)."
)
REVOKED = "Đã thu hồi {count} quyền của mã {user_id} trong kế hoạch {plan}."
REVOKED_NONE = "Mã {user_id} không có quyền nào đang hiệu lực trong kế hoạch {plan}."

CANCELLED = "Đã hủy đăng ký đang làm dở."
TIMED_OUT = (
    "Phiên đăng ký đã kết thúc vì lâu không thấy bạn trả lời. Khi cần, gõ /dangky để bắt đầu lại."
)
