"""Importing units from a CSV or XLSX file: `files` (reading and checking the file, the
templates), `actions` (applying its rows all or nothing, through the single creation's code) and
`jobs` (a large file imported by the background worker, with progress)."""
