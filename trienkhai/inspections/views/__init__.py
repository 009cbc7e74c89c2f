"""Pages of inspections: `inspections` (lists, the record, its edit, programmes), `steps` (the
procedure and conclusions), `requests` (remediation requests and their follow-up)."""
