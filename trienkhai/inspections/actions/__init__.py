"""Every write of the inspections app (views, API and demo call these, nothing else saves), one
module per concern: `programmes`, `inspections` (the record, its team and inspected units, the
outline and self-reports), `steps` (planned → … → closed), `conclusions` (findings, requests,
recommendations), `remediation` (a request's action plan, reports, evaluation and closing), and
`common` (who may inspect, stored files). Import from the module that holds the action.
"""
