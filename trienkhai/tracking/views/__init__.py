"""Pages of tracking: `dashboard` (figures, ranking, trend, exports), `plans` (plans, tasks,
assignment), `tasks` (one assignment: reports, reviews, explanations), and `common` (what they
share, and "Việc của tôi")."""
