"""The organisation tree's vocabulary, below every app: the kinds of unit and where each may
stand (`kinds`), and the materialised path that makes a subtree one index range (`paths`).

Plain Python and model fields only, importing no app, so that both `accounts` (whose scope is a
set of subtrees) and `units` (which keeps the tree) can stand on it.
"""
