"""Texts of adding a plan from Telegram, and of /reload.

An admin sends a .docx (or .txt) in private chat and gets the draft plan file back; /reload
loads the plans folder again.

All plain text (sent without parse mode), ``str.format`` templates.
"""

from __future__ import annotations

COMMANDS: list[tuple[str, str]] = [
    ("reload", "Nạp lại các kế hoạch sau khi thêm tệp mới (quản trị viên)"),
]

NOT_ADMIN = "Chỉ quản trị viên mới nạp lại được các kế hoạch."
FILE_TOO_BIG = (
    "Tệp “{name}” nặng {size} MB, quá giới hạn {max_mb} MB. Bạn hãy gửi bản .docx gọn hơn "
    "(bỏ ảnh, bảng quét) hoặc bản .txt."
)
READING = "Đang đọc “{name}” để lập bản nháp kế hoạch…"
FAILED = "Không lập được bản nháp từ “{name}”:\n{error}"
DRAFT = (
    "Bản nháp kế hoạch “{plan_id}” ({issuer}, năm {year}):\n"
    "• {units} đơn vị, {tasks} nhiệm vụ\n"
    "• {dated} hạn có ngày, {undated} hạn không ngày\n"
    "• {targets} mục tiêu/chỉ tiêu, {contacts} đường dây nóng, {bases} văn bản căn cứ\n"
    "{notes}\n\n"
    "Việc tiếp theo:\n"
    "1. Mở tệp {plan_id}.yaml, đối chiếu với văn bản; sửa hoặc xóa các mục sai; xóa dòng "
    "“review: true” của mục đã kiểm tra.\n"
    "2. Chép {plan_id}.yaml và {plan_id}.txt vào thư mục kế hoạch của máy chủ.\n"
    "3. Chạy “kehoach plans validate {plan_id}.yaml”, rồi gõ /reload ở đây."
)
NOTES_NONE = "Không có mục nào cần kiểm tra thêm (vẫn rà soát mọi dòng “review: true”)."
NOTES = "Cần kiểm tra {count} mục (xem phần chú thích đầu tệp), ví dụ:\n{first}"
NOTE_LINE = "– {note}"
DRAFT_CAPTION = "Bản nháp {plan_id}.yaml — cần rà soát trước khi nạp."
SOURCE_CAPTION = "Văn bản gốc {plan_id}.txt (số dòng trong bản nháp tính theo tệp này)."

RELOADED = "Đã nạp lại {count} kế hoạch: {plans}."
RELOADED_CHANGES = "Mới: {added}. Bỏ: {removed}."
RELOAD_FAILED = (
    "Chưa nạp lại được, bot vẫn dùng các kế hoạch cũ. Lỗi:\n{error}\n"
    "Sửa tệp đó (kiểm tra bằng “kehoach plans validate”) rồi gõ /reload lần nữa."
)

# --- why /reload failed: the plan file named by its name only (no server path) --------------

RELOAD_FILE = "Tệp “{name}”: {problem}"
RELOAD_NO_FILES = "thư mục kế hoạch không có tệp .yaml nào."
RELOAD_YAML = "sai cú pháp YAML{where}."
RELOAD_YAML_AT = " (dòng {line}, cột {column})"
RELOAD_NOT_MAPPING = "nội dung phải là các cặp “tên trường: giá trị” ở cấp ngoài cùng."
RELOAD_FIELDS = "{count} trường chưa đúng: {fields}{more}."
RELOAD_FIELD_MISSING = "thiếu “{field}”"
RELOAD_FIELD_EXTRA = "“{field}” là trường không có trong mẫu"
RELOAD_FIELD_BAD = "“{field}” có giá trị không hợp lệ"
RELOAD_MORE = " và {n} chỗ khác"
RELOAD_NO_SOURCE = "không thấy tệp văn bản gốc “{source}” bên cạnh."
RELOAD_CITATIONS = (
    "{count} trích dẫn không khớp văn bản gốc “{source}”{lines}."
)
RELOAD_CITATION_LINES = " (dòng {lines})"
RELOAD_DUPLICATE = "mã kế hoạch “{plan_id}” trùng với tệp “{other}”."
RELOAD_OTHER = "tệp không hợp lệ (chi tiết trong nhật ký của máy chủ)."
