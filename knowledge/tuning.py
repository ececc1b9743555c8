"""Every threshold and weight of the answering engine, in one place.

Scores are in [0, 100] (:mod:`knowledge.search`): the share of a question's weight an entry holds.
Changing one of these changes answers: run the question sets (tests/test_question_sets.py).
"""

from __future__ import annotations

# Search (knowledge/search.py): a pair of neighbouring words weighs this many single words; a
# search over more than 1/WIDE_SHARE of the plans is scored with numpy rather than entry by entry.
PAIR_WEIGHT = 2.0
WIDE_SHARE = 4

# A task must score at least this to be given as an answer at all; below CONFIDENT the answer
# comes with "Có phải bạn muốn hỏi…" suggestions.
THRESHOLD = 30.0
CONFIDENT = 50.0
# Other plans' answers are listed when they score this close to the best one (a ratio) …
CROSS_PLAN_RATIO = 0.8
# … and other units of the best plan when this close.
SAME_PLAN_RATIO = 0.9
# Intents whose topic words must be found in the plans (else: out of scope).
TOPICAL_INTENTS = frozenset({"deadline"})
# How much of a task an answer quotes, and how many plans a cross-plan answer details.
TASK_CHARS = 500
TASK_CHARS_MANY = 160
MAX_PLANS_LISTED = 5
# Units named in a question: mentions this close to the best one count (score points).
UNIT_MENTION_WINDOW = 15

# Deadline ranking (points added to a deadline's text score / 10).
DEADLINE_TEXT_DIVISOR = 4
DEADLINE_PERIOD_MATCH = 40  # the period asked ("6 tháng") — and minus this for another period
DEADLINE_PLAN_SUBMISSION = 30  # "gửi kế hoạch": a plan to submit, not a report
DEADLINE_REPORT = 15  # a report rather than another kind of deadline
DEADLINE_UNIT_SUBMITS = 25  # the unit asked about submits it …
DEADLINE_FEW_SUBMITTERS = 10  # … and is one of at most two submitters
DEADLINE_RECIPIENT_LEVEL = 20  # "gửi UBND thị xã": the recipient's level matches
DEADLINE_UNDATED = 5  # minus this for a deadline without a date
DEADLINE_NEXT_WINDOW = 5  # "next": deadlines this close to the best one count as the same kind
