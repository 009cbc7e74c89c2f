"""Every write to tracking, one module per concern: `plans` (plans and tasks), `assign` (fan-out
to units and recurring occurrences), `reports` (progress reports, reviews, explanations), `common`
(the frozen-occurrence rule). Each action checks the actor's role, runs in one transaction and
writes the change log. Import from the module that holds the action.

Roles: plans, tasks and assignment — coordinator of the plan's unit; reports and answers —
reporter of the assigned unit; review and explanation requests — coordinator of the assigning
unit (`Assignment.assigned_by`).
"""
