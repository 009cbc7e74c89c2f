"""Every write to tracking: plans, tasks, fan-out, progress reports, reviews, explanations.

Each action checks the actor's role, runs in one transaction and writes the change log. The
code lives in files named for what they hold; this module is the one place callers import from.

Roles: plans, tasks and assignment — coordinator of the plan's unit; reports and answers —
reporter of the assigned unit; review and explanation requests — coordinator of the assigning
unit (`Assignment.assigned_by`).
"""

from trienkhai.tracking.actions_assign import assign, extend_occurrences
from trienkhai.tracking.actions_common import StaleEdit, frozen
from trienkhai.tracking.actions_plans import (
    add_task,
    default_horizon,
    register_plan,
    update_task,
)
from trienkhai.tracking.actions_reports import (
    answer_explanation,
    report_progress,
    request_explanation,
    review_report,
)

__all__ = [
    "StaleEdit",
    "add_task",
    "answer_explanation",
    "assign",
    "default_horizon",
    "extend_occurrences",
    "frozen",
    "register_plan",
    "report_progress",
    "request_explanation",
    "review_report",
    "update_task",
]
