"""Pages of the reports app: `requests` (the list, a new request, a request's progress) and
`report` (a unit's report: draft, review, consolidation, issue); `documents` (the downloads)."""
