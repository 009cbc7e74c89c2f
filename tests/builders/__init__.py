"""Builders for tests and benchmarks, kept out of the product package: `factories` (a small tree
and users with grants, through the actions), `bulk` (many tracking rows written directly, for
known dates and national-scale benchmarks), `xlsx` (reading an export back)."""
