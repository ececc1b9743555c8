"""Texts of the files the coordinating office gets.

Export headings, sheet names, labels, chart captions and the compiled report's wording (issue 12:
one text layer).

Headings are part of the file formats: a change here changes the files (and their tests).
``str.format`` templates.
"""

from __future__ import annotations

# --- the reports' workbook and CSV (features.exports) ----------------------------------------

ADHOC_LABEL = "Đột xuất (không có hạn)"
HEADERS = [
    "Đơn vị", "Tình trạng", "Thời gian nộp", "Số biên nhận", "Số lần gửi", "Người gửi",
    "Nội dung", "Tệp đính kèm",
]
HEADERS_ALL = ["Kỳ báo cáo", "Hạn", *HEADERS]
HEADING_UNIT = "Đơn vị"
HEADING_CONTENT = "Nội dung"
HEADING_PERIOD = "Kỳ báo cáo"
HEADING_FILE = "Tệp đính kèm"
TITLE_DUE = " — hạn {due}"  # after a period's title
SHEET_REPORTS = "Báo cáo"
SHEET_INFO = "Thông tin"
INFO_WHAT = "Nội dung xuất"
INFO_ROWS = "Số dòng"
NOTE_EXPECTED = "Đơn vị phải nộp"
NOTE_RECEIVED = "Đã nộp"
NOTE_ON_TIME = "Nộp đúng hạn"
NOTE_LATE = "Nộp muộn"
NOTE_MISSING = "Chưa nộp"
NOTE_RATE = "Tỷ lệ nộp (%)"
NOTE_ON_TIME_RATE = "Tỷ lệ đúng hạn (%)"
NOTE_GRACE = "Ngày gia hạn"
NOTE_EXEMPT = "Đơn vị được miễn"
CHART_HEADING = "Tình hình nộp báo cáo"
CHART_LABEL = "{unit}: {status}"

# --- the rates' workbook and chart (features.rate_exports) -----------------------------------

RATE_HEADERS = [
    "Kỳ báo cáo", "Hạn", "Ngày gia hạn", "Phải nộp", "Đã nộp", "Đúng hạn", "Nộp muộn",
    "Chưa nộp", "Miễn", "Tỷ lệ nộp (%)", "Tỷ lệ đúng hạn (%)",
]
UNIT_HEADERS = [
    "Đơn vị", "Số kỳ phải nộp", "Đúng hạn", "Nộp muộn", "Chưa nộp", "Tỷ lệ đúng hạn (%)",
    "Thường nộp muộn",
]
SHEET_BY_PERIOD = "Theo kỳ"
SHEET_BY_UNIT = "Theo đơn vị"
YES = "Có"
INFO_PERIODS = "Số kỳ"
INFO_METHOD = "Cách tính"
METHOD = ("Tỷ lệ nộp = đã nộp ÷ phải nộp; tỷ lệ đúng hạn = nộp đúng hạn (kể cả ngày gia hạn) "
          "÷ phải nộp; mỗi đơn vị tính một lần mỗi kỳ.")
LEGEND_RATE = "Tỷ lệ nộp"
LEGEND_ON_TIME_RATE = "Tỷ lệ đúng hạn"
LEGEND_ON_TIME = "Đúng hạn"
LEGEND_LATE = "Nộp muộn"
LEGEND_MISSING = "Chưa nộp"
CHART_RATES_TITLE = "Tỷ lệ nộp và tỷ lệ đúng hạn theo kỳ"
CHART_UNITS_TITLE = "Từng đơn vị (⚠: thường nộp muộn hoặc không nộp)"
CHART_PERIODS_AXIS = "Số kỳ"
CHART_NO_PERIOD = "Chưa có kỳ nào"

# --- the incidents' workbook (features.incident_exports; field labels: incident_fields) ------

INCIDENT_HEADERS = [
    "Số sự vụ", "Kế hoạch", "Đơn vị báo", "Ngày ghi", "Ngày xảy ra", "Tháng", "Loại",
    "Bối cảnh", "Xã/phường", "Giới tính", "Nhóm tuổi", "Người bị nghi gây hại",
    "Đã xử lý/chuyển gửi", "Mức khẩn cấp", "Tình trạng", "Ẩn danh",
]
DESCRIPTION_HEADER = "Mô tả"
ANONYMISED = "có"
SHEET_INCIDENTS = "Sự vụ"
INFO_EXPORTED_AT = "Xuất lúc"
INFO_PLANS = "Kế hoạch"
INFO_ALL_PLANS = "tất cả"
INFO_INCIDENTS = "Số sự vụ"
INFO_NOTE = "Lưu ý"
INCIDENT_DATA_NOTE = (
    "Dữ liệu về trẻ em là dữ liệu cá nhân nhạy cảm (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, "
    "Nghị định 356/2025/NĐ-CP): chỉ dùng cho công tác bảo vệ trẻ em, không chia sẻ, xóa tệp "
    "khi không còn cần."
)

# --- the compiled report (features.compiled_docx) --------------------------------------------

TITLE = "BÁO CÁO TỔNG HỢP"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_NOTE = ("Bản dự thảo do trợ lý kehoach lập lúc {when} từ các báo cáo đã nhận; "
              "cần rà soát, chỉnh sửa trước khi ký gửi.")
SECTION_RATES = "1. Tình hình nộp báo cáo của các đơn vị"
SECTION_REPORTS = "2. Báo cáo của các đơn vị"
SECTION_MISSING = "3. Đơn vị chưa nộp báo cáo"
SECTION_INCIDENTS = "4. Sự vụ về trẻ em trong kỳ"
RATE_TABLE_HEADERS = ("Chỉ tiêu", "Số đơn vị", "Tỷ lệ so với số phải nộp")
UNIT_TABLE_HEADERS = ("STT", "Đơn vị", "Tình trạng", "Thời gian nộp", "Số biên nhận")
INCIDENT_TABLE_HEADERS = ("Loại sự vụ", "Số sự vụ")
STATUS = {"on_time": "Đúng hạn", "late": "Nộp muộn", "missing": "Chưa nộp",
          "overdue": "Quá hạn, chưa nộp", "exempt": "Miễn nộp kỳ này"}
LATE_MARK = "NỘP MUỘN"
NOT_EXPECTED = "không thuộc danh sách đơn vị phải nộp"
NO_TEXT = "(Không có nội dung chữ; xem tệp đính kèm.)"
NONE = "Không có."
INCIDENT_NOTE = ("Chỉ ghi số sự vụ theo loại, không ghi mô tả hay thông tin nhận dạng; số dưới 3 "
                 "ghi “<3” để không thể suy ra trẻ em cụ thể.")
UNIT_HEADING = "2.{index}. {unit}"
UNIT_META = "Số biên nhận {number}, nộp lúc {when}"
UNIT_VERSIONS = " (lần gửi thứ {versions})"
UNIT_ATTACHMENT = "Tệp đính kèm: {name} (số biên nhận {number})"
NUMBER_LINE = "Số:      /BC-"
PLACE_DATE = "{locality}, ngày {day:02d} tháng {month:02d} năm {year}"
COVERS = "Kỳ báo cáo: từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} (hạn {due:%d/%m/%Y})"
CARRIES_OUT = "Thực hiện: {plan}"
ADDRESSED_TO = "Kính gửi: {recipient}"
RATE_GRACE = " (kể cả {days} ngày gia hạn)"
RATE_SENTENCE = ("{received}/{expected} đơn vị đã nộp ({rate}), {on_time} đúng hạn{grace} "
                 "({on_time_rate}).")
ROW_EXPECTED = "Đơn vị phải nộp"
ROW_RECEIVED = "Đã nộp"
ROW_ON_TIME = "Nộp đúng hạn"
ROW_LATE = "Nộp muộn"
ROW_MISSING = "Chưa nộp"
ROW_EXEMPT = "Miễn nộp kỳ này (không tính)"
EXEMPT_LINE = "Miễn nộp kỳ này: {units}."
INCIDENTS_TOTAL = "Tổng số sự vụ ghi nhận trong kỳ: {total}."
PERCENT_NONE = "—"
ATTACHMENT_NAME = "tệp"  # an attachment without a name
