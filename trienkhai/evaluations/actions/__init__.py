"""Every write of the annual classification: `periods` (a period and its rules) and `ratings`
(opening the evaluations, self-rating, review, decision, notice and return). Import from the
module that holds the action.
"""
