"""Texts of reporting: /baocao, /huy, /tinhhinh, /xuat, /xembaocao.

All plain text (sent without parse mode), ``str.format`` templates. The status labels are
those of boards and of the export files alike.
"""

from __future__ import annotations

# A unit's status for one period (keys: the statuses of :mod:`features.reports`).
STATUS_LABELS = {
    "on_time": "Đúng hạn",
    "late": "Nộp muộn",
    "missing": "Chưa nộp",
    "overdue": "Quá hạn, chưa nộp",
}

COMMANDS: list[tuple[str, str]] = [
    ("baocao", "Gửi báo cáo của đơn vị (nhắn riêng)"),
    ("huy", "Hủy thao tác đang làm dở"),
    ("tinhhinh", "Tình hình nộp báo cáo (người điều phối)"),
    ("xuat", "Xuất báo cáo ra tệp Excel (người điều phối)"),
    ("xembaocao", "Xem một báo cáo theo số biên nhận: /xembaocao BC-2026-0042"),
]

PRIVATE_ONLY = (
    "Lệnh này chỉ dùng trong tin nhắn riêng với tôi (báo cáo là thông tin cần bảo mật). "
    "Bạn hãy nhắn riêng cho @{bot} nhé."
)
NOT_OFFICER = (
    "Bạn chưa là cán bộ đã được duyệt của đơn vị nào nên chưa gửi được báo cáo. "
    "Gõ /dangky để đăng ký, hoặc /toi để xem tình trạng đăng ký."
)
NOT_ALLOWED = "Bạn không có quyền xem hoặc xuất báo cáo của kế hoạch này."

# --- /baocaocuatoi ------------------------------------------------------------------------------

MINE_COMMAND = "Các báo cáo đơn vị tôi đã nộp, đúng hạn hay muộn"
MINE_HEADER = "Báo cáo đã nộp của {unit}, {plan} (mới nhất trước):"
MINE_LINE = "• {number} — {title}{due}: {status}; nhận lúc {when}{again}"
MINE_DUE = " (hạn {due})"
MINE_STATUS = {"on_time": "đúng hạn", "late": "nộp muộn", "adhoc": "đột xuất, không có hạn"}
MINE_VERSIONS = " (đã gửi {count} lần, bản cuối thay bản trước)"
MINE_NONE = "{unit}, {plan} chưa nộp báo cáo nào qua tôi. Gửi báo cáo: /baocao"
MINE_FOOTER = "Xem một báo cáo: /xembaocao số-biên-nhận"

CHOOSE_PERIOD = "Báo cáo của {unit}, {plan}. Bạn gửi báo cáo cho kỳ nào?"
NO_OPEN_PERIOD = (
    "Báo cáo của {unit}, {plan}. Hiện không có kỳ báo cáo định kỳ nào đang mở; "
    "bạn có thể gửi báo cáo đột xuất."
)
PERIOD_BUTTON = "{title} — hạn {due}"
PERIOD_BUTTON_SENT = "🔁 {title} — hạn {due} (đã gửi)"
ADHOC_BUTTON = "⚡ Báo cáo đột xuất"
CANCEL_BUTTON = "Hủy"
ASK_CONTENT = (
    "Kỳ: {period}.\nBạn hãy gửi nội dung báo cáo: gõ chữ (tối đa {max_chars} ký tự) và/hoặc "
    "gửi tệp (PDF, Word, Excel, ảnh; tối đa {max_mb} MB). Gõ /huy để hủy."
)
ASK_CONTENT_REPLACE = (
    "Đơn vị đã gửi báo cáo kỳ này (số {number}). Báo cáo mới sẽ thay thế bản cũ; "
    "bản cũ vẫn được lưu lại."
)
EMPTY_TEXT = "Nội dung trống. Bạn hãy gõ nội dung báo cáo hoặc gửi tệp."
TOO_LONG = (
    "Nội dung dài {length} ký tự, quá giới hạn {limit} ký tự của một tin nhắn báo cáo. "
    "Bạn hãy rút gọn, hoặc gửi báo cáo dưới dạng tệp (Word, PDF)."
)
FILE_TOO_BIG = (
    "Tệp “{name}” nặng {size} MB, quá giới hạn {max_mb} MB. Bạn hãy nén hoặc chia nhỏ tệp."
)
FILE_FORBIDDEN = (
    "Tôi không nhận loại tệp “{name}”. Chỉ nhận: PDF, Word (.doc, .docx), Excel (.xls, .xlsx), "
    ".odt, .ods, .rtf, .txt, .csv và ảnh (.jpg, .png)."
)
NOT_CONTENT = "Bạn hãy gõ nội dung báo cáo bằng chữ hoặc gửi tệp (văn bản, ảnh)."
PREVIEW = (
    "Xem lại báo cáo trước khi gửi:\n"
    "• Đơn vị: {unit}\n• Kỳ: {period}\n{content}\n\n"
    "Bấm “Gửi báo cáo” để gửi. Gửi thêm chữ hoặc tệp để thay phần tương ứng."
)
PREVIEW_TEXT = "• Nội dung: {text}"
PREVIEW_NO_TEXT = "• Nội dung: (không có chữ)"
PREVIEW_FILE = "• Tệp: {name} ({size})"
CONFIRM_BUTTON = "✅ Gửi báo cáo"
RECEIPT = (
    "Đã nhận báo cáo {number} của {unit} cho kỳ {period}; nhận lúc {when}."
)
RECEIVED_AT = "{time} ngày {date}"
RECEIPT_REPLACED = (
    " Báo cáo này thay thế bản gửi trước (lần gửi thứ {version}); bản cũ vẫn được lưu."
)
RECEIPT_LATE = " Báo cáo được ghi nhận là nộp muộn (hạn {due})."
SENT_MARK = "Đã gửi."
NO_LONGER_OFFICER = (
    "Bạn không còn là cán bộ được duyệt của đơn vị này nên báo cáo chưa được gửi. "
    "Phiên gửi báo cáo đã kết thúc; nếu cần, hãy liên hệ cơ quan điều phối hoặc gõ /dangky."
)
ALREADY_SENT = "Báo cáo này đã được gửi rồi — không cần gửi lại. Biên nhận được gửi lại bên dưới."
STEP_PASSED = "Bước này đã xong; đây là câu hỏi tiếp theo."
CANCELLED = "Đã hủy. Báo cáo chưa được gửi."
NOTHING_TO_CANCEL = "Không có thao tác nào đang làm dở để hủy."
CONVERSATION_STALE = "Nút này đã cũ hoặc thao tác đã kết thúc."
TIMED_OUT = (
    "Phiên gửi báo cáo đã kết thúc vì lâu không thấy bạn trả lời; báo cáo chưa được gửi. "
    "Khi sẵn sàng, gõ /baocao để bắt đầu lại."
)
STALE = "Nút này đã cũ hoặc thao tác đã kết thúc. Gõ /baocao để bắt đầu lại."
ADHOC_REPORT_TITLE = "Báo cáo đột xuất"  # a report no deadline of the plan asked for
ADHOC_PERIOD = "{title} (đột xuất)"
ADHOC_PERIOD_NAMED = "{title}"  # a title that already says "đột xuất" / "khi có yêu cầu"
PERIOD_LABEL = "{title}, hạn {due}"

BOARD_HEADER = "Tình hình nộp báo cáo — {plan}"
BOARD_PERIOD = "\n{title} — hạn {due}: {done}/{total} đơn vị đã nộp"
BOARD_LINE_DONE = "• {unit}: {status} {when}"
BOARD_LINE_NUMBER = " ({number})"
BOARD_LINE_MISSING = "• {unit}: {status}"
BOARD_NONE = "Kế hoạch {plan} không có kỳ báo cáo nào có hạn cụ thể để theo dõi."
BOARD_CHART_CAPTION = "Tình hình nộp báo cáo — {plan}"

EXPORT_CHOOSE = "Xuất báo cáo của kế hoạch {plan}. Chọn kỳ:"
EXPORT_ALL_BUTTON = "Tất cả báo cáo (kể cả đột xuất)"
EXPORT_CAPTION = "Báo cáo {what} — {plan} ({rows} dòng)."
EXPORT_ALL = "tất cả các kỳ"

READ_USAGE = "Cách dùng: /xembaocao số-biên-nhận, ví dụ /xembaocao BC-2026-0042."
READ_UNKNOWN = "Không có báo cáo số {number}."
READ_HEADER = (
    "Báo cáo {number} — {unit}, {plan}\nKỳ: {period}\nNgười gửi: {name}, lúc {when}"
    "{replaced}"
)
READ_REPLACED = "\n(Đã có bản gửi sau thay thế bản này.)"
READ_TEXT = "\n\n{text}"
READ_FILE_MISSING = "Không tìm thấy tệp “{name}” trong kho lưu trữ."
CHOOSE_FIRST = "Bạn hãy chọn kỳ báo cáo bằng các nút ở trên, hoặc gõ /huy để hủy."
