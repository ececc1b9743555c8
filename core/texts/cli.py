"""Texts of the ``kehoach`` command line: help, results, errors, and Typer's own words.

Plain ``str.format`` templates, printed as they are (no HTML). Codes that the commands accept
as values (``--status pending``, ``--role officer``) stay codes; their meaning is given here.
"""

from __future__ import annotations

# --- groups of commands (kehoach --help) -----------------------------------------------------

APP_HELP = "Trợ lý kế hoạch bảo vệ trẻ em — hỏi đáp, hạn báo cáo, nhắc việc, báo cáo, sự vụ."
PLANS_HELP = "Các kế hoạch trong cơ sở tri thức."
DB_HELP = "Cơ sở dữ liệu (migrations)."
USERS_HELP = "Cán bộ, người điều phối và quyền."
AUDIT_HELP = "Nhật ký các thao tác có đặc quyền."
REPORTS_HELP = "Báo cáo các đơn vị đã gửi."
GROUPS_HELP = "Nhóm nhận nhắc hạn báo cáo."
REMINDERS_HELP = "Nhắc hạn báo cáo."
INCIDENTS_HELP = "Sự vụ về trẻ em: xuất, thống kê, thời hạn lưu trữ, khóa mã hóa."
QUESTIONS_HELP = "Câu hỏi trợ lý chưa trả lời được."

# --- the commands' help (kehoach COMMAND --help) ----------------------------------------------

CMD_DB_UPGRADE = "Áp dụng các migration Alembic (tạo bảng nếu cơ sở dữ liệu còn trống)."
CMD_USERS_LIST = "Liệt kê các đăng ký (mới nhất trước)."
CMD_USERS_APPROVE = (
    "Duyệt (hoặc từ chối) một đăng ký đang chờ; người đăng ký được nhắn như trong chat."
)
CMD_USERS_GRANT = "Cấp quyền điều phối một kế hoạch."
CMD_USERS_REVOKE = "Thu hồi các quyền của một người trong một kế hoạch."
CMD_AUDIT_LIST = "Nhật ký các thao tác có đặc quyền, mới nhất trước."
CMD_EXPORT = "Xuất sự vụ ra .xlsx (chỉ quản trị viên; được ghi vào nhật ký)."
CMD_STATS = "Số sự vụ theo loại, theo tháng và theo xã/phường — không có thông tin nhận dạng."
CMD_PURGE = "Ẩn danh (hoặc xóa) các sự vụ quá thời hạn lưu trữ; được ghi vào nhật ký."
CMD_NEW_KEY = "In một khóa mới cho INCIDENT_KEY (giữ ở nơi an toàn: mất khóa là mất dữ liệu)."
CMD_ROTATE_KEY = (
    "Mã hóa lại mọi sự vụ bằng khóa đầu tiên của INCIDENT_KEY (sau khi thêm khóa mới)."
)
CMD_INGEST = "Đọc một kế hoạch mới (.docx, .doc, .pdf, .txt) thành bản nháp để cán bộ rà soát."
CMD_ASK = "Hỏi trợ lý một câu (hoặc cả tệp --batch)."
CMD_PLANS_LIST = "Liệt kê các kế hoạch."
CMD_PLANS_SHOW = "Xem một kế hoạch."
CMD_PLANS_VALIDATE = (
    "Kiểm tra tệp kế hoạch (lược đồ và trích dẫn so với văn bản gốc).\n"
    "\n"
    "Một tệp còn dòng 'review: true' (bản nháp chưa rà soát hết) vẫn hợp lệ: lệnh chỉ cảnh báo."
)
CMD_DEADLINES = "Liệt kê các hạn trong một khoảng thời gian (và xuất lịch .ics)."
CMD_REPORTS_RATES = "Tỷ lệ nộp và tỷ lệ đúng hạn theo từng kỳ và từng đơn vị (xu hướng)."
CMD_REPORTS_COMPILE = "Soạn báo cáo tổng hợp (Word) của một kỳ từ các báo cáo đơn vị đã nộp."
CMD_REPORTS_GRACE = (
    "Đặt số ngày gia hạn của một hạn báo cáo: nộp trong số ngày đó sau hạn vẫn tính đúng hạn."
)
CMD_REPORTS_EXEMPT = (
    "Miễn một đơn vị khỏi các kỳ (không tính là phải nộp), hoặc ghi ngày đơn vị được giao."
)
CMD_UNANSWERED = (
    "Các câu hỏi chưa trả lời được, gộp theo câu gần giống nhau, nhóm đông nhất trước."
)
CMD_GROUPS_LIST = "Liệt kê các nhóm đăng ký nhắc hạn."
CMD_GROUPS_SUBSCRIBE = "Đăng ký một nhóm nhận nhắc hạn của một kế hoạch."
CMD_GROUPS_UNSUBSCRIBE = "Tắt nhắc hạn của một nhóm."
CMD_REMINDERS_PREVIEW = "Xem trước các tin nhắc sẽ gửi, gửi cho ai."
CMD_REPORTS_LIST = "Liệt kê báo cáo hiện hành (bản mới nhất của mỗi đơn vị mỗi kỳ)."
CMD_REPORTS_EXPORT = (
    "Xuất báo cáo của một kỳ (một dòng mỗi đơn vị) hoặc của mọi kỳ ra .xlsx / .csv."
)
CMD_SHELL = "Trò chuyện với trợ lý ngay trong cửa sổ lệnh (không cần mạng, không cần token)."
CMD_RUN = "Chạy bot Telegram (không có TELEGRAM_BOT_TOKEN thì mở chế độ dòng lệnh)."

# --- option and argument help ----------------------------------------------------------------

HELP_PLAN = "Kế hoạch: mã (vd. quan3-2020) hoặc tên địa phương (vd. Hải Phòng)."
HELP_PLAN_ONLY = "Chỉ kế hoạch này (mã hoặc tên địa phương)."
HELP_JSON = "In JSON."
HELP_JSON_ANSWER = "In đối tượng JSON của câu trả lời."
HELP_JSON_LINES = "In JSON, một đối tượng mỗi dòng."
HELP_TODAY = "Ngày tính hạn, YYYY-MM-DD (mặc định: hôm nay)."
HELP_QUESTION = "Câu hỏi."
HELP_BATCH = "Tệp JSONL câu hỏi, mỗi dòng {\"q\", \"plan\", \"today\"}."
HELP_FROM = "Từ ngày, YYYY-MM-DD."
HELP_TO = "Đến ngày, YYYY-MM-DD."
HELP_ICS = "Ghi tệp lịch .ics."
HELP_VALIDATE_FILES = (
    "Tệp .yaml (đường dẫn, hoặc chỉ tên tệp trong thư mục kế hoạch); mặc định: tất cả."
)
HELP_INGEST_FILE = "Tệp kế hoạch .docx, .doc, .pdf hoặc .txt."
HELP_INGEST_ID = "Mã kế hoạch, ví dụ quan3-2024 (mặc định: tên tệp)."
HELP_INGEST_OUT = "Thư mục (hoặc tệp .yaml) để ghi bản nháp; mặc định: thư mục hiện tại."
HELP_INGEST_YEAR = "Năm của kế hoạch, khi văn bản không ghi rõ."
HELP_FORCE = "Ghi đè tệp đã có."
HELP_QUIET = "Không in tóm tắt: chỉ in đường dẫn hai tệp đã ghi."
HELP_REVISION = "Phiên bản đích (mặc định: mới nhất)."
STATUS_LABELS = {
    "pending": "chờ duyệt", "approved": "đã duyệt", "refused": "bị từ chối",
    "revoked": "đã thu hồi", "withdrawn": "đã rút",
}
ROLE_LABELS = {"officer": "cán bộ", "coordinator": "người điều phối"}
HELP_STATUS = "Chỉ trạng thái này: " + ", ".join(
    f"{code} ({label})" for code, label in STATUS_LABELS.items()) + "."
HELP_ROLE = "Chỉ vai trò này: " + ", ".join(
    f"{code} ({label})" for code, label in ROLE_LABELS.items()) + "."
HELP_REVOKE_ROLE = "Chỉ thu hồi vai trò này (officer, coordinator); mặc định: cả hai."
HELP_REGISTRATION = "Số đăng ký (#) trong `kehoach users list`."
HELP_REFUSE = "Từ chối thay vì duyệt."
HELP_REASON = "Lý do từ chối, gửi cho người đăng ký."
HELP_TELEGRAM_ID = "Mã người dùng Telegram (số dương)."
HELP_NAME = "Họ tên."
HELP_ACTION = "Chỉ thao tác này (hoặc tiền tố kết thúc bằng dấu chấm, vd. role.)."
HELP_ACTOR = "Chỉ người này (mã Telegram)."
HELP_LIMIT = "Số dòng tối đa."
HELP_DEADLINE = "Mã hạn báo cáo (xem `kehoach plans show`), ví dụ bao-cao-nam."
HELP_DUE = "Ngày đến hạn của kỳ, YYYY-MM-DD (mặc định: kỳ đang mở)."
HELP_FORMAT = "Định dạng: xlsx hoặc csv."
HELP_EXPORT_OUTPUT = "Tệp ghi ra (mặc định: bao-cao-<kế hoạch>….<định dạng>)."
HELP_FROM_DUE = "Từ hạn, YYYY-MM-DD."
HELP_TO_DUE = "Đến hạn, YYYY-MM-DD."
HELP_LAST = "Chỉ N kỳ gần nhất (mặc định: mọi kỳ trong khoảng)."
HELP_XLSX = "Ghi tệp Excel."
HELP_PNG = "Ghi biểu đồ xu hướng (PNG)."
HELP_COMPILE_OUTPUT = "Tệp .docx ghi ra (mặc định: tong-hop-<kế hoạch>-….docx)."
HELP_OFFICE = "Cơ quan tổng hợp ghi ở đầu báo cáo."
HELP_GRACE_DAYS = "Số ngày gia hạn (0: bỏ gia hạn)."
HELP_UNIT = "Mã đơn vị (xem `kehoach plans show`)."
HELP_ADDED = "Đơn vị được giao từ ngày này, YYYY-MM-DD (không tính các kỳ trước)."
HELP_NOTE = "Ghi chú (lý do)."
HELP_CHAT_ID = "Mã nhóm Telegram (số âm, vd. -1001234567890)."
CHAT_ID_METAVAR = "MÃ_NHÓM"
METAVAR_QUESTION = "CÂU_HỎI"
METAVAR_FILES = "TỆP..."
METAVAR_FILE = "TỆP"
METAVAR_PLAN = "KẾ_HOẠCH"
METAVAR_REVISION = "PHIÊN_BẢN"
METAVAR_REGISTRATION = "SỐ_ĐĂNG_KÝ"
METAVAR_USER = "MÃ_NGƯỜI_DÙNG"
HELP_ALL_GROUPS = "Cả nhóm đã tắt."
HELP_ONLY_DEADLINE = "Chỉ hạn này (mã hạn; lặp lại được)."
HELP_ONLY_UNIT = "Chỉ đơn vị này (mã đơn vị; lặp lại được)."
HELP_LEAD = "Nhắc trước N ngày (0 = đúng ngày; lặp lại được)."
HELP_PREVIEW_TODAY = "Ngày bắt đầu, YYYY-MM-DD (mặc định: hôm nay)."
HELP_PREVIEW_DAYS = "Số ngày xem trước."
HELP_INCIDENTS_OUTPUT = "Tệp .xlsx ghi ra."
HELP_WITH_DESCRIPTION = "Kèm cột mô tả (mặc định không kèm)."
HELP_ENCRYPT = "Mã hóa tệp bằng mật khẩu (hỏi khi chạy)."
HELP_YEAR = "Chỉ năm này."
HELP_MIN_COUNT = "Ẩn các số nhỏ hơn số này (vd. 3)."
HELP_MONTHS = "Thời hạn lưu (tháng); mặc định INCIDENT_RETENTION_MONTHS."
HELP_DELETE = "Xóa hẳn thay vì ẩn danh."
HELP_YES = "Không hỏi lại."
HELP_SINCE = "Từ ngày này, YYYY-MM-DD (mặc định: 90 ngày qua)."
HELP_WEBHOOK = "Nhận cập nhật qua webhook (cần WEBHOOK_URL và WEBHOOK_SECRET)."

# --- the set-up (bot/cli/bootstrap.py) -------------------------------------------------------

NO_DATABASE = (
    "Chưa có cơ sở dữ liệu ở {where} (chưa có bảng nào). Nếu đây đúng là nơi lưu dữ liệu, hãy "
    "chạy `kehoach db upgrade`; nếu không, đặt KEHOACH_HOME (thư mục có .env và data/) hoặc "
    "DATABASE_URL cho đúng."
)
DATABASE_UNREACHABLE = "Không mở được cơ sở dữ liệu {where} ({error}). Kiểm tra DATABASE_URL."
PLAN_FILE_ERROR = "Lỗi tệp kế hoạch: {error}"
INCIDENTS_OFF = "Tính năng sự vụ đang tắt (INCIDENTS_ENABLED=false)."
UNKNOWN_PLAN = "Không có kế hoạch “{plan}”. Các mã có: {plans}."
BAD_DATE = "Ngày không hợp lệ cho {option}: “{value}” (cần dạng YYYY-MM-DD, vd. 2026-12-10)."
TOO_OPEN = (
    "Cảnh báo: {path} đang cho người khác đọc được (quyền {mode}); nên chạy: chmod {wanted} "
    "{path}"
)
NONE = "(không có)"
DENIED = "Không được phép làm việc này."

# --- run, shell ------------------------------------------------------------------------------

NOT_STARTED = "Không khởi động: {error}"
WEBHOOK_NEEDS_TOKEN = "Cần TELEGRAM_BOT_TOKEN để chạy webhook (xem .env.example)."
WEBHOOK_NEEDS_URL = "Cần WEBHOOK_URL và WEBHOOK_SECRET để chạy webhook (xem .env.example)."
NO_TOKEN_SHELL = "Chưa có TELEGRAM_BOT_TOKEN: mở chế độ dòng lệnh (kehoach shell)."

# --- ask, plans, deadlines -------------------------------------------------------------------

ASK_USAGE = "Hãy nhập câu hỏi, ví dụ: kehoach ask \"Hạn báo cáo tiếp theo?\""
CANNOT_READ = "Không đọc được tệp {path}: {error}"
BAD_LINE = "Dòng này không phải một đối tượng JSON {\"q\", \"plan\", \"today\"}."
BAD_TODAY = "Ngày tính hạn {value!r} không hợp lệ (cần dạng YYYY-MM-DD)."
PLAN_ROW = "{id:<16} {year}  {issuer} — {title} ({units} đơn vị, {deadlines} hạn)"
PLAN_HEAD = "{label}: {title}\nBan hành: {issuer}"
PLAN_UNIT = "  {section:<8} {name} ({tasks} nhiệm vụ)"
PLAN_DEADLINE = "  hạn {section:<6} {title}: {rule}"
VALIDATE_OK = "OK   {name}: {units} đơn vị, {tasks} nhiệm vụ, {deadlines} hạn"
VALIDATE_BAD = "LỖI  {error}"
VALIDATE_REVIEW = (
    "CHÚ Ý {name}: còn {count} mục 'review: true' chưa rà soát — kiểm tra với văn bản rồi xóa "
    "dòng đó."
)
TO_BEFORE_FROM = "--to phải sau --from."
ICS_WRITTEN = "Đã ghi {count} hạn vào {path}"
DEADLINE_ROW = "{date:%d/%m/%Y}  {plan:<14} {title} → {recipient}"

# --- ingest ----------------------------------------------------------------------------------

INGEST_ERROR = "Lỗi: {error}"
DRAFT_INVALID = "Bản nháp đã ghi nhưng chưa hợp lệ, cần sửa tay:\n{error}"
DRAFT_WRITTEN = "Đã ghi bản nháp: {path} (văn bản gốc: {text})."
DRAFT_NEXT = (
    "Tiếp theo: rà soát các mục 'review: true', chép hai tệp vào thư mục kế hoạch, rồi chạy "
    "`kehoach plans validate {name}` và /reload trong bot."
)

# --- users, audit ----------------------------------------------------------------------------

UNKNOWN_STATUS = "Không có trạng thái “{value}”. Các trạng thái: {choices}."
UNKNOWN_ROLE = "Không có vai trò “{value}”. Các vai trò: {choices}."
UNKNOWN_REGISTRATION = "Không có đăng ký #{id} (xem `kehoach users list`)."
ALREADY_DECIDED = "Đăng ký #{id} đã được xử lý ({status})."
APPROVED = "Đã duyệt đăng ký #{id}."
REFUSED = "Đã từ chối đăng ký #{id}."
GRANTED = "#{id}: {telegram_id} điều phối {plan}"
REVOKED = "Đã thu hồi {count} quyền."

# --- reports, the coordinating office --------------------------------------------------------

UNKNOWN_DEADLINE = "Kế hoạch {plan} không có hạn “{deadline}”. Các hạn của kế hoạch: {deadlines}."
NO_OPEN_PERIOD = "Kế hoạch {plan} không có kỳ {deadline} đang mở; thêm --due YYYY-MM-DD."
NO_PERIOD_ON = "Kế hoạch {plan} không có kỳ {deadline} ngày {due}."
BAD_FORMAT = "--format phải là xlsx hoặc csv."
NO_DATED_DEADLINE = (
    "Kế hoạch {plan} không đặt hạn báo cáo có ngày cụ thể (kế hoạch không đặt hạn)."
)
NO_DATED_PERIOD = "Kế hoạch {plan} không đặt hạn (kỳ không có ngày)."
RATES_TITLE = "Tỷ lệ nộp báo cáo — {locality} ({year})"
NO_OCCURRENCE = "(không có kỳ nào đến hạn trong khoảng này)"
REGULARLY_LATE = (
    "thường muộn\t{unit}\t{on_time}/{expected} đúng hạn, {late} muộn, {missing} không nộp"
)
COMPILE_NEEDS_DEADLINE = "Cần --deadline (mã hạn báo cáo) và --due YYYY-MM-DD."
GRACE_SET = "{plan}:{deadline}\t{days} ngày gia hạn"
RULES_ERRORS = {
    "unknown_unit": "Kế hoạch {plan} không có đơn vị {unit}.",
    "unknown_deadline": "Kế hoạch {plan} không có hạn {deadline}.",
    "bad_days": "--days phải từ 0 đến {max_days}.",
    "bad_range": "--from phải trước --to.",
    "bad_reason": "Lý do không hợp lệ.",
}
RULES_ERROR_OTHER = "Không thực hiện được với kế hoạch {plan}."
EXEMPT_REASONS = {"exempt": "miễn", "added_later": "giao sau"}
EXEMPTED = "{plan}:{unit}\t{reason}\t{start} → {end}"

# --- groups, reminders -----------------------------------------------------------------------

NO_GROUPS = "Chưa có nhóm nào đăng ký nhắc hạn."
GROUP_ON = "bật"
GROUP_OFF = "tắt ({reason})"
OFF_REASONS = {
    "unsubscribed": "đã hủy đăng ký",
    "forbidden": "bot bị chặn hoặc bị xóa khỏi nhóm",
    "removed": "bot bị xóa khỏi nhóm",
    "kicked": "bot bị xóa khỏi nhóm",
    "left": "bot đã rời nhóm",
    "migrated": "nhóm đã thành siêu nhóm",
    "plan_changed": "nhóm đã đổi kế hoạch",
}
LEADS = "nhắc trước {days} ngày"
ALL_FILTERS = "tất cả"
USER_NOT_GROUP = (
    "{chat_id} là mã một người dùng, không phải nhóm: mã nhóm là số âm "
    "(ví dụ -1001234567890; xem bằng `kehoach groups list` hoặc trong nhóm)."
)
NOT_SUBSCRIBED = "Không đăng ký được: {why}."
SUBSCRIBE_ERRORS = {
    "unknown_plan": "không có kế hoạch {plan}",
    "unknown_target": (
        "kế hoạch {plan} không có hạn hay đơn vị {items} (các hạn: {deadlines}; các đơn vị: "
        "{units})"
    ),
    "bad_leads": "số ngày nhắc trước phải từ 0 đến {max_days}",
}
SUBSCRIBE_ERROR_OTHER = "yêu cầu không hợp lệ với kế hoạch {plan}"
SUBSCRIBED = "Đã bật nhắc hạn cho nhóm {chat_id}, kế hoạch {plan}, nhắc trước {days} ngày."
GROUP_NOT_SUBSCRIBED = "Nhóm {chat_id} chưa đăng ký nhắc hạn."
UNSUBSCRIBED = "Đã tắt nhắc hạn cho nhóm {chat_id}: {plans}."
NO_REMINDERS = "Không có tin nhắc nào từ {start:%d/%m/%Y} trong {days} ngày."
TO_PRIVATE = "riêng {chat}"
TO_GROUP = "nhóm {chat}"
DELIVERY_STATUSES = {
    "claimed": "đang gửi", "sent": "đã gửi", "skipped": "bỏ qua", "failed": "gửi lỗi",
    "unknown": "chưa rõ",
}
NOT_SENT_YET = "    Chưa nộp: {units}"

# --- incidents -------------------------------------------------------------------------------

WRONG_KEY = (
    "INCIDENT_KEY không mở được một số sự vụ đã lưu (sai khóa, hoặc thiếu khóa cũ sau khi đổi "
    "khóa). Hãy đặt lại đúng khóa; khi đổi khóa, để khóa mới đứng đầu và giữ khóa cũ phía sau "
    "cho tới khi chạy `kehoach incidents rotate-key`."
)
NO_KEY_OPENS = "Có sự vụ không khóa nào mở được: chưa đổi gì."
PASSWORD_PROMPT = "Mật khẩu cho tệp"
PASSWORD_AGAIN = "Nhập lại mật khẩu"
PASSWORD_TOO_SHORT = "Mật khẩu cần ít nhất {length} ký tự."
NOT_EXPORTED = "Không xuất được: {reason}"
NOT_DONE = "Không thực hiện được: {reason}"
INCIDENTS_EXPORTED = "{path}: {count} sự vụ"
ENCRYPTED = " (đã mã hóa)"
STATS_TOTAL = "Tổng số sự vụ: {total}"
STATS_BY_KIND = "Theo loại"
STATS_BY_MONTH = "Theo tháng"
STATS_BY_PLACE = "Theo xã/phường"
CONFIRM_DELETE = "Xóa hẳn các sự vụ ghi trước đây hơn {months} tháng?"
PURGED_DELETED = "Đã xóa {count} sự vụ ghi trước {cutoff}."
PURGED_ANONYMISED = "Đã ẩn danh {count} sự vụ ghi trước {cutoff}."
DRAFTS_DROPPED = "Đã xóa {count} phiếu ghi dở quá hạn."
ROTATED = "Đã mã hóa lại {count} sự vụ bằng khóa mới."

# --- questions -------------------------------------------------------------------------------

NO_UNANSWERED = "(không có câu hỏi nào chưa trả lời được)"
UNANSWERED_ROW = "{count:>4} lần  {last:%d/%m/%Y}  [{intents}]  {example}"

# --- Typer's own words (bot/cli/typer_vi.py) -------------------------------------------------

TYPER_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "Đối số",
    "OPTIONS_PANEL_TITLE": "Tùy chọn",
    "COMMANDS_PANEL_TITLE": "Lệnh",
    "ERRORS_PANEL_TITLE": "Lỗi",
    "ABORTED_TEXT": "Đã hủy.",
    "DEFAULT_STRING": "[mặc định: {}]",
    "REQUIRED_LONG_STRING": "[bắt buộc]",
    "ENVVAR_STRING": "[biến môi trường: {}]",
    "DEPRECATED_STRING": "(không còn dùng) ",
    "RICH_HELP": "Gõ [blue]'{command_path} {help_option}'[/] để xem hướng dẫn.",
}
HELP_OPTION = "Xem hướng dẫn này rồi thoát."
USAGE_PREFIX = "Cách dùng: "
OPTIONS_METAVAR = "[TÙY CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [ĐỐI SỐ]..."
# (English message of Click/Typer as a regular expression, its Vietnamese with {0}, {1}…)
USAGE_ERRORS = [
    (r"No such option: (\S+) \(Possible options: (.+)\)",
     "Không có tùy chọn {0}. Các tùy chọn gần giống: {1}."),
    (r"No such option: (\S+)\.? Did you mean (\S+)\?", "Không có tùy chọn {0}. Ý bạn là {1}?"),
    (r"No such option: (\S+)", "Không có tùy chọn {0}."),
    (r"No such command '(.+)'\.", "Không có lệnh “{0}”."),
    (r"Missing command\.", "Thiếu lệnh."),
    (r"Missing option '(.+)'\.", "Thiếu tùy chọn {0}."),
    (r"Missing option '(.+)'\. (.+)", "Thiếu tùy chọn {0}. {1}"),
    (r"Missing argument '(.+)'\.", "Thiếu đối số {0}."),
    (r"Missing parameter: (.+)", "Thiếu {0}."),
    (r"Option '(.+)' requires an argument\.", "Tùy chọn {0} cần một giá trị."),
    (r"Option '(.+)' requires (\d+) arguments\.", "Tùy chọn {0} cần {1} giá trị."),
    (r"Option '(.+)' does not take a value\.", "Tùy chọn {0} không nhận giá trị."),
    (r"Got unexpected extra arguments? \((.+)\)", "Thừa đối số: {0}."),
    (r"Invalid value for '?([^':]+)'?: (.+)", "Giá trị không hợp lệ cho {0}: {1}"),
    (r"Invalid value: (.+)", "Giá trị không hợp lệ: {0}"),
    (r"Input should be a valid integer.*", "cần một số nguyên."),
    (r"Input should be a valid number.*", "cần một số."),
    (r"Input should be a valid (\w+).*", "cần một giá trị {0} hợp lệ."),
    (r"Value '?(.+?)'? is not a valid integer\.", "“{0}” không phải một số nguyên."),
    (r"'?(.+?)'? is not a valid integer\.?", "“{0}” không phải một số nguyên."),
    (r"'?(.+?)'? is not a valid float\.?", "“{0}” không phải một số."),
    (r"'?(.+?)'? is not a valid boolean\.?", "“{0}” không phải có/không."),
    (r"Value '?(.+?)'? is not a valid (\w+)\.", "“{0}” không hợp lệ ({1})."),
    (r"(.+) is not in the range (.+)\.", "{0} không nằm trong khoảng {1}."),
    (r"(.+) is not in the range (.+)", "{0} không nằm trong khoảng {1}."),
    (r"Path '(.+)' does not exist\.", "Không có đường dẫn “{0}”."),
    (r"File '(.+)' does not exist\.", "Không có tệp “{0}”."),
    (r"Directory '(.+)' does not exist\.", "Không có thư mục “{0}”."),
]
