"""Every sentence the answering engine writes, in one place (Vietnamese, with diacritics).

Dates, numbers, quotations and plan names inside them are written by :mod:`core.texts.format`.
"""

from __future__ import annotations

HELP = (
    "Tôi là trợ lý kế hoạch bảo vệ trẻ em. Tôi trả lời các câu hỏi về kế hoạch đã nạp, ví dụ:\n"
    "• Đơn vị nào chịu trách nhiệm tuyên truyền phòng, chống xâm hại trẻ em?\n"
    "• Khi nào hạn báo cáo tiếp theo?\n"
    "• Phòng Y tế có nhiệm vụ gì?\n"
    "• Đường dây nóng bảo vệ trẻ em là số mấy?"
)
EMPTY = "Bạn chưa nhập câu hỏi. " + HELP
TOO_LONG = (
    "Câu hỏi dài quá ({n} ký tự). Bạn hãy hỏi ngắn gọn, dưới {limit} ký tự, mỗi lần một ý."
)
OUT_OF_SCOPE = "Xin lỗi, câu này nằm ngoài các kế hoạch tôi biết. " + HELP
NOT_FOUND = (
    "Tôi chưa tìm thấy nội dung này trong {scope}. Bạn thử hỏi cách khác, "
    "hoặc nêu tên đơn vị, địa phương cụ thể."
)
DID_YOU_MEAN = "Có phải bạn muốn hỏi:"
UNSURE = "Tôi chưa chắc đã hiểu đúng câu hỏi; câu trả lời gần nhất:"

RESPONSIBLE = "{plan}: {unit} ({section}) — {task}"
ALSO = "Cùng có nhiệm vụ liên quan: {units}."
COOPERATING = "Phối hợp: {units}."

UNIT_TASKS_HEAD = "{plan}: nhiệm vụ của {unit} (mục {section}):"
UNIT_IN_PLANS = "{n} kế hoạch có nhiệm vụ cho {name}:"

DEADLINE_LINE = "• {date}: {title} — {who} gửi {recipient}{via} ({plan}, mục {section}){tail}"
DEADLINE_NO_DATE = (
    "• {title} — {who} gửi {recipient}{via}: kế hoạch không ấn định ngày ({rule}; {plan}, "
    "mục {section})."
)
DAYS_LEFT = ", còn {n} ngày"
TODAY = ", hạn là hôm nay"
PASSED = ", đã qua hạn (kế hoạch ghi ngày cố định {date})"
UPCOMING_HEAD = "Các hạn sắp tới (tính từ {today}):"
NO_UPCOMING = "Không còn hạn nào sắp tới trong {scope} (tính từ {today})."
NO_DATE_IN_PLAN = "{plan} không ấn định ngày nộp báo cáo."
DEADLINE_HEAD = "Hạn theo {scope}:"

TARGETS_HEAD = "{plan} — mục tiêu, chỉ tiêu:"
NO_TARGETS = "{plan} không nêu chỉ tiêu cụ thể bằng số."
FUNDING_HEAD = "{plan} — kinh phí thực hiện:"
NO_FUNDING = "{plan} không có mục kinh phí riêng."
FUNDING_ELSEWHERE = "• Nội dung liên quan (mục {section}): {text}"
FUNDING_WORDS = "bố trí ngân sách kinh phí nguồn lực tài trợ"
CONTACTS_HEAD = "{plan} — đường dây nóng, đầu mối:"
NO_CONTACTS = "{plan} không nêu số điện thoại đường dây nóng."
NO_NUMBER = "kế hoạch không ghi số"

PLAN_INFO = (
    "{title}\nCơ quan ban hành: {issuer}{number}{date}{signer}\n"
    "Căn cứ / thực hiện theo:\n{bases}"
)
NO_BASES = "• (kế hoạch không nêu văn bản căn cứ)"

SEARCH_HEAD = "Nội dung liên quan nhất:"
PLANS_WORD = "các kế hoạch đã nạp"
EVENT = "{plan}: {name} diễn ra {month}từ {start} đến {end} (mục {section})."
EVENT_MONTH = "cả tháng {month}, "
MORE_PLANS = "… và {n} kế hoạch khác (hỏi kèm tên địa phương để xem chi tiết)."
PLANS_WITH_DEADLINE = "{n} kế hoạch có hạn này:"
SCOPE = "Đối tượng, phạm vi: {scope}"
PLANS_MENTIONING = "{n} kế hoạch có nội dung này:"

UNKNOWN_PLACE = "Chưa có kế hoạch của {place} trong hệ thống. Các kế hoạch đang có: {plans}."
UNKNOWN_AGENCY = "{scope} không giao nhiệm vụ cho {unit}."
NEAREST_UNITS = "Các đơn vị gần nhất có trong kế hoạch: {units}."
PLACE_MERGED_PROVINCE = (
    "{asked} nay gồm cả {own} cũ (hợp nhất tỉnh từ 01/07/2025, {source}): trả lời theo {plan}."
)
PLACE_MERGED_COMMUNE = (
    "{asked} được lập năm 2025 từ địa bàn của {own} cũ ({source}): trả lời theo {plan}."
)
PLACE_INSIDE = "{asked} thuộc {own}: trả lời theo {plan}."
PLACE_CONTAINS = "{own} thuộc {asked}: trả lời theo {plan}."
ALL_DEADLINES_HEAD = "Các hạn theo {scope} ({n} hạn):"
NO_SUCH_ITEM = "Câu trả lời trước không có mục thứ {n}. Bạn hỏi lại đầy đủ giúp tôi nhé."
_CAN_DO = (
    "Tôi trả lời về các kế hoạch bảo vệ trẻ em đã nạp: đơn vị nào làm gì, ai chủ trì, hạn báo "
    "cáo, chỉ tiêu, đường dây nóng. Ví dụ: “Phòng Y tế có nhiệm vụ gì?”, “hạn bc tiếp theo?”"
)
SMALL_TALK = {
    "hello": "Xin chào! " + _CAN_DO,
    "thanks": "Không có gì ạ! Cần gì cứ hỏi tôi nhé. " + _CAN_DO,
    "who": "Tôi là trợ lý kế hoạch bảo vệ trẻ em (trả lời tự động, theo đúng nội dung kế hoạch). "
    + _CAN_DO,
}

# --- parts of the answers' lines ------------------------------------------------------------
SECTION = "mục {section}"
PREAMBLE = "mở đầu"  # where a plan cites its legal bases, when it has no section number
BULLET = "• {text}"
MORE_TASKS = "  (và {n} nhiệm vụ khác)"
HIT_LINE = "• {plan}, mục {section}: {text}"
TARGET_LINE = "• {text} (mục {section})"
CONTACT_LINE = "• {name}: {number} (mục {section}) — {text}"
VIA = " (qua {via})"
PLAN_TITLE = "{plan}: {title}"
PLAN_NUMBER = "\nSố: {number}"
PLAN_DATE = "\nNgày ban hành: {date}"
PLAN_DATE_TEXT = "\nNgày: {date}"
PLAN_SIGNER = "\nNgười ký: {signer}"
PLAN_SIGNER_TITLE = " ({title})"
BASIS = "{number} — {title}"

# --- suggested questions (buttons) ------------------------------------------------------------
ASK_UNIT_TASKS = "{unit} có nhiệm vụ gì ({place})?"
ASK_WHO = "Ai {clause} ({place})?"

# --- places of today (knowledge.place_plans) ------------------------------------------------
MERGER_SOURCE = "Nghị quyết 202/2025/QH15"
COMMUNE_SOURCE = "theo dữ liệu đơn vị hành chính 2025 của gói vietnamadminunits"
MERGED_NOTE = "{asked} nay gồm cả {own} cũ (từ 01/07/2025, {source}): {plan}."
MERGED_COMMUNE_NOTE = "{asked} được lập năm 2025 từ địa bàn của {own} cũ ({source}): {plan}."
INSIDE_NOTE = "{asked} thuộc {own}: {plan}."

# --- units that took over another's tasks (knowledge.succession) ----------------------------
SUCCESSION_LINE = (
    "Từ {date}, nhiệm vụ về {scope} của {predecessor} do {successor} đảm nhận ({legal})."
)
MOVED_HEAD = ("{plan}: nhiệm vụ về {scope} của {predecessor} (mục {section}), nay do {successor}"
              " đảm nhận ({legal}):")
MOVED_MARK = "(chuyển giao) "
NOT_MOVED = ("Các nhiệm vụ khác của {predecessor} trong kế hoạch này ({n}) không thuộc phần chuyển"
             " sang {successor}.")

# --- a date rule in words (knowledge.deadlines.describe_rule) -------------------------------
RULE_AT = " trước {time}"
RULE_ONCE = "ngày {date}{at}"
RULE_YEARLY = "hằng năm, ngày {day:02d}/{month:02d}{at}"
RULE_MONTHLY = "hằng tháng, ngày {day:02d}{at}"
RULE_QUARTERLY = "hằng quý, ngày {day:02d} {which} quý{at}"
RULE_QUARTER_MONTHS = {1: "tháng đầu", 2: "tháng giữa", 3: "tháng cuối"}
RULE_DAILY = "hằng ngày{at}"
RULE_PERIOD_SINCE = "từ {date} "
RULE_PERIOD = "{since}đến {date} ({text})"
RULE_PERIOD_UNDATED = "trong thời gian: {text} (không ấn định ngày)"
RULE_RELATIVE = "{text} (tính từ sự kiện, không ấn định ngày cụ thể)"
RULE_NONE = "không ấn định ngày"
RULE_NONE_SAID = "không ấn định ngày ({text})"

# --- the calendar file (knowledge.calendar) ---------------------------------------------------
CALENDAR_NAME = "Hạn báo cáo kế hoạch bảo vệ trẻ em"
CALENDAR_SUMMARY = "Hạn: {title}"
CALENDAR_DESCRIPTION = "{who} gửi {recipient}{via}.\n{plan}, mục {section}: {text}"
CALENDAR_ALARM = "Còn 3 ngày: {title}"

# --- working days (knowledge.workdays) --------------------------------------------------------
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
DAY_OFF = "ngày nghỉ bù"
