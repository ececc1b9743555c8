"""Texts of the terminal shell (``kehoach shell``) added with its ``:`` commands.

The first shell texts (prompts, ``bot>`` labels, files, the group) live in
:mod:`core.texts.common` and are re-exported here, so the shell reads all its texts from here.
"""

from __future__ import annotations

from core.texts.common import (
    SHELL_BOT,
    SHELL_BYE,
    SHELL_EDITED,
    SHELL_FILE,
    SHELL_GROUP_TITLE,
    SHELL_IN_GROUP,
    SHELL_IN_PRIVATE,
    SHELL_NO_BUTTON,
    SHELL_PHOTO,
    SHELL_PROMPT,
    SHELL_PROMPT_GROUP,
    SHELL_TOAST,
    SHELL_USER_NAME,
)

__all__ = [
    "SHELL_BOT", "SHELL_BYE", "SHELL_EDITED", "SHELL_FILE", "SHELL_GROUP_TITLE",
    "SHELL_IN_GROUP", "SHELL_IN_PRIVATE", "SHELL_NO_BUTTON", "SHELL_PHOTO", "SHELL_PROMPT",
    "SHELL_PROMPT_GROUP", "SHELL_TOAST", "SHELL_USER_NAME",
]

BANNER = (
    "Trợ lý kế hoạch — chế độ dòng lệnh, không cần mạng hay token.\n"
    "Gõ câu hỏi hoặc lệnh (/start, /kehoach, /han, /trogiup…). Gõ số để bấm nút.\n"
    "Lệnh của cửa sổ lệnh (gõ :lenh để xem lại):"
)
COMMANDS = (
    "  :nguoi MÃ TÊN — đổi người đang gõ (tạo mới nếu chưa có); :nguoi — danh sách\n"
    "  :nhom — sang nhóm thử, :rieng — về trò chuyện riêng\n"
    "  :tep ĐƯỜNG-DẪN [chú thích] — gửi một tệp\n"
    "  :traloi VĂN BẢN — trả lời tin mới nhất của bot\n"
    "  :gui VĂN BẢN — gửi nguyên văn (kể cả một con số khi đang có nút)\n"
    "  :ngay 2026-12-03 08:00 — chỉnh đồng hồ (việc định kỳ chạy như vào lúc đó); :ngay — xem\n"
    "  :thoat — thoát"
)
FILES_DIR = "(Tệp bot gửi được lưu ở: {path})"
LOG_FILE = "(Nhật ký ghi vào: {path})"
UNKNOWN_COMMAND = "Cửa sổ lệnh không có lệnh {command}. Các lệnh:\n" + COMMANDS

# --- prompts of a user other than the default one, and where a bot message went ---------------

PROMPT_USER = "{name}> "
PROMPT_USER_GROUP = "{name} (nhóm)> "
WHERE = "  (bot → {where})"
WHERE_GROUP = "nhóm {title}"
WHERE_PRIVATE = "riêng {name}"

# --- :nguoi -----------------------------------------------------------------------------------

USERS_HEADER = "Người dùng của cửa sổ lệnh (→ là người đang gõ):"
USER_LINE = "{mark} {id} {name}{admin}"
CURRENT_MARK = "→"
ADMIN_MARK = " — quản trị (trong ADMIN_IDS)"
NOW_USER = "(Giờ bạn là {name}, mã {id}{admin}.)"
NEW_USER = "(Người mới: {name}, mã {id}{admin}.)"
USER_DEFAULT_NAME = "Người {id}"
BAD_USER = "Mã người dùng phải là một số dương. Ví dụ: :nguoi 2001 Lan"
TAP_AS = "(Nút này ở trò chuyện riêng của {name}: {name} bấm.)"
IN_PRIVATE_OF = "(Đang ở trò chuyện riêng của {name}.)"

# --- :tep, :traloi, :gui ----------------------------------------------------------------------

FILE_USAGE = "Gõ :tep ĐƯỜNG-DẪN [chú thích], ví dụ: :tep ~/bao-cao.xlsx Báo cáo quý"
FILE_MISSING = "Không tìm thấy tệp {path}."
FILE_NOT_A_FILE = "{path} không phải là một tệp."
FILE_UNREADABLE = "Không đọc được tệp {path}: {error}"
FILE_SENT = "(Đã gửi tệp {name}, {size} byte, {mime}.)"
REPLY_USAGE = "Gõ :traloi VĂN BẢN để trả lời tin mới nhất của bot ở đây."
NOTHING_TO_REPLY = "Bot chưa gửi tin nào ở đây để trả lời."
SEND_USAGE = "Gõ :gui VĂN BẢN để gửi nguyên văn."

# --- :ngay ------------------------------------------------------------------------------------

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
CLOCK_NOW = "(Đồng hồ của trợ lý: {time} {weekday}, {date}.)"
BAD_WHEN = (
    "Không hiểu ngày giờ “{value}”. Ví dụ: :ngay 2026-12-03 08:00 (hoặc 03/12/2026 08:00)."
)
JOBS_RAN = "(Việc định kỳ đã chạy: {reminders} tin nhắc hạn, {incidents} tin nhắc sự vụ.)"
