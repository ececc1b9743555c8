"""Texts of the conversation core: greeting, help, questions, plans, deadlines, errors, shell.

Names ending in ``_HTML`` are Telegram HTML templates: values given to their ``format`` must be
escaped with :func:`bot.render.escape`. The other texts are plain and are escaped when sent.
"""

from __future__ import annotations

# --- commands (the menu registered with set_my_commands, and /trogiup) -----------------------

COMMANDS: list[tuple[str, str]] = [
    ("start", "Lời chào và menu"),
    ("hoi", "Đặt câu hỏi (dùng trong nhóm): /hoi <câu hỏi>"),
    ("kehoach", "Chọn kế hoạch cho cuộc trò chuyện này"),
    ("han", "Các hạn báo cáo sắp tới"),
    ("trogiup", "Hướng dẫn sử dụng"),
]

# --- /start -----------------------------------------------------------------------------------

START_HTML = (
    "Xin chào {name}! 👋\n"
    "Tôi là <b>trợ lý kế hoạch bảo vệ trẻ em</b>. Tôi trả lời theo các kế hoạch đã nạp: "
    "cơ quan nào chủ trì, phối hợp; mỗi đơn vị có nhiệm vụ gì; hạn báo cáo; chỉ tiêu; "
    "kinh phí; đường dây nóng.\n\n"
    "Cứ gõ câu hỏi của bạn, ví dụ:\n"
    "• Ai chủ trì tổ chức Tháng hành động vì trẻ em?\n"
    "• Hạn báo cáo 6 tháng là ngày nào?\n"
    "• Phòng Giáo dục và Đào tạo có nhiệm vụ gì?\n\n"
    "{plan_line}"
)
START_GROUP_HINT_HTML = (
    "\n\nTrong nhóm, hãy hỏi bằng /hoi &lt;câu hỏi&gt;, trả lời (reply) tin nhắn của tôi "
    "hoặc nhắc tên @{username}."
)
NAME_FALLBACK = "bạn"
MENU_PLANS = "📋 Chọn kế hoạch"
MENU_DEADLINES = "⏰ Hạn sắp tới"
MENU_HELP = "❓ Hướng dẫn"

# --- /trogiup, /help -----------------------------------------------------------------------

HELP_HEADER_HTML = "<b>Hướng dẫn sử dụng</b>\n"
HELP_COMMAND_LINE_HTML = "/{command} — {description}"
HELP_FOOTER_HTML = (
    "\nTrong trò chuyện riêng, bạn chỉ cần gõ câu hỏi. Trong nhóm, tôi chỉ thấy lệnh, "
    "tin nhắn trả lời tôi và tin nhắn nhắc tên tôi, nên hãy dùng /hoi &lt;câu hỏi&gt;.\n"
    "Câu trả lời luôn kèm dòng <i>Nguồn:</i> ghi kế hoạch và mục trích dẫn."
)

# --- questions -----------------------------------------------------------------------------

ASK_USAGE = (
    "Bạn muốn hỏi gì? Hãy gõ câu hỏi sau lệnh, ví dụ:\n"
    "/hoi Hạn báo cáo năm là ngày nào?"
)
EMPTY_MESSAGE = "Tôi chưa thấy câu hỏi nào. Bạn hãy gõ câu hỏi bằng chữ nhé."
TEXT_ONLY = (
    "Tôi chỉ đọc được tin nhắn chữ. Bạn hãy gõ câu hỏi, hoặc gõ /trogiup để xem tôi làm được gì."
)
TOO_LONG = (
    "Câu hỏi dài quá ({length} ký tự). Bạn hãy hỏi ngắn gọn hơn, dưới {limit} ký tự, "
    "mỗi lần một ý."
)
SOURCE_PREFIX = "Nguồn: "
SOURCE_PLAN = "{title} ({locality}, {year})"
SOURCE_PLAN_SHORT = "Kế hoạch {locality} {year} “{title}”"
SOURCE_SECTIONS = ", mục {sections}"
SUGGESTIONS_HEADER = "Có phải bạn muốn hỏi…"
TRUNCATED = "… (Câu trả lời dài nên đã được rút gọn. Bạn hãy hỏi cụ thể hơn để xem chi tiết.)"

# --- /kehoach ------------------------------------------------------------------------------

PLANS_CHOOSE = (
    "Chọn kế hoạch cho cuộc trò chuyện này. Các câu hỏi sau đó sẽ được trả lời theo kế hoạch "
    "đã chọn."
)
PLANS_CURRENT = "Đang dùng: {title}."
PLANS_CURRENT_ALL = "Đang dùng: tất cả các kế hoạch."
PLANS_ALL_BUTTON = "Tất cả kế hoạch"
PLAN_BUTTON = "{locality} ({year})"
PLAN_SELECTED_MARK = "✅ "
PLAN_SELECTED = (
    "Đã chọn kế hoạch: {title} ({locality}, {year}).\n"
    "Từ giờ tôi trả lời theo kế hoạch này. Gõ /kehoach để đổi."
)
PLANS_OF_PLACE = "{place}: {n} kế hoạch có địa bàn ở đây, chọn một kế hoạch bên dưới."
PLACE_NO_PLAN = "Chưa có kế hoạch nào cho “{place}”."
PLAN_CLEARED = "Đã bỏ chọn kế hoạch: tôi sẽ trả lời theo tất cả các kế hoạch."
PLAN_TOAST = "Đã chọn."
PLAN_CHANGE_DENIED = (
    "Nhóm này đang được nhắc hạn báo cáo theo kế hoạch hiện tại: chỉ người điều phối của kế "
    "hoạch hoặc quản trị viên mới đổi được kế hoạch của nhóm."
)
REMINDERS_MOVED = (
    "\n🔔 Nhắc hạn báo cáo của nhóm đã chuyển từ kế hoạch {plans} sang kế hoạch này "
    "(giữ số ngày nhắc trước, bỏ lọc hạn và đơn vị cũ). Xem lại: /nhacviec"
)
REMINDERS_ENDED = (
    "\n🔕 Đã tắt nhắc hạn báo cáo của kế hoạch {plans} cho nhóm này. Bật lại: /nhacviec"
)
PLAN_GONE = "Kế hoạch này không còn trong dữ liệu. Gõ /kehoach để chọn lại."
NO_PLANS = "Chưa có kế hoạch nào được nạp. Hãy báo quản trị viên nạp kế hoạch."
START_PLAN_LINE = "Cuộc trò chuyện này đang dùng kế hoạch: {title}."
START_NO_PLAN_LINE = "Gõ /kehoach để chọn kế hoạch của địa phương bạn."

# --- /han ----------------------------------------------------------------------------------

DEADLINES_HEADER_HTML = "<b>⏰ Các hạn sắp tới</b> ({scope}):"
DEADLINES_SCOPE_ALL = "tất cả kế hoạch"
DEADLINE_LINE = "• {date}{days}: {title}"
DEADLINE_PLAN_SUFFIX = " [{locality}]"
DAYS_LEFT = " (còn {days} ngày)"
DAYS_TODAY = " (hôm nay)"
DAYS_PASSED = " (đã qua)"
NO_DEADLINES = "Không có hạn báo cáo nào sắp tới trong {scope}."

# --- groups, unknown input, errors ------------------------------------------------------------

GROUP_WELCOME = (
    "Cảm ơn đã thêm tôi vào nhóm! Hỏi tôi bằng /hoi <câu hỏi>, chọn kế hoạch của nhóm bằng "
    "/kehoach, xem hạn sắp tới bằng /han."
)
ANONYMOUS_COMMAND = (
    "Lệnh này được gửi ẩn danh (dưới tên nhóm hoặc kênh) nên tôi không biết ai đang hỏi. "
    "Hãy gửi lại từ tài khoản của bạn."
)
UNKNOWN_COMMAND = "Tôi không biết lệnh {command}. Gõ /trogiup để xem các lệnh."
STALE_BUTTON = "Nút này đã cũ. Gõ /start để mở lại menu."
ERROR_APOLOGY = "Xin lỗi, tôi gặp sự cố khi xử lý yêu cầu này. Bạn thử lại sau ít phút nhé."
# How the engine's replies to what is not a question begin (empty, too long, small talk): such
# an "unknown" answer is not kept among the questions the plans could not answer.
NOT_A_QUESTION_PREFIXES = (
    "Bạn chưa nhập", "Câu hỏi dài quá", "Xin chào", "Không có gì", "Tôi là trợ lý",
)
# A refusal (features.permissions.PermissionDenied) no handler answered itself.
PERMISSION_DENIED = "Bạn không có quyền làm việc này."

# --- the terminal shell ----------------------------------------------------------------------

SHELL_BANNER = (
    "Trợ lý kế hoạch — chế độ dòng lệnh, không cần mạng hay token.\n"
    "Gõ câu hỏi hoặc lệnh (/start, /kehoach, /han, /trogiup…). Gõ số để bấm nút.\n"
    ":nhom — chuyển sang nhóm thử, :rieng — về trò chuyện riêng, :thoat — thoát."
)
SHELL_PROMPT = "bạn> "
SHELL_PROMPT_GROUP = "nhóm> "
SHELL_BOT = "bot> "
SHELL_EDITED = "bot (sửa tin)> "
SHELL_TOAST = "bot (thông báo)> "
SHELL_FILE = "📎 tệp {name} — đã lưu ở {path}"
SHELL_PHOTO = "🖼 ảnh — đã lưu ở {path}"
SHELL_NO_BUTTON = "Không có nút số {number}."
SHELL_IN_GROUP = "(Đang ở nhóm thử: dùng /hoi <câu hỏi>.)"
SHELL_IN_PRIVATE = "(Đang ở trò chuyện riêng.)"
SHELL_BYE = "Tạm biệt!"
SHELL_USER_NAME = "Bạn"
SHELL_GROUP_TITLE = "Nhóm thử"
DID_YOU_MEAN_COMMAND = "Không có lệnh đó. Ý bạn là {command}? Gõ /trogiup để xem các lệnh."

# --- one conversation at a time (/baocao, /suvu, /dangky) -----------------------------------

CONVERSATION_LABELS = {"baocao": "gửi báo cáo", "suvu": "ghi sự vụ", "dangky": "đăng ký"}
SWITCH_ASK = "Bạn đang {current} dở — bỏ và {new}?"
SWITCH_GO = "Bỏ và {new}"
SWITCH_STAY = "Tiếp tục {current}"
SWITCH_DROPPED = "Đã bỏ việc đang làm dở."
SWITCH_KEPT = "Được, bạn tiếp tục {current}: trả lời câu hỏi trước đó của tôi."
