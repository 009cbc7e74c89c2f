"""PostgreSQL's own tools (pg_dump, pg_restore) run against the configured database."""

import os
import shutil

from django.db import connection


def pg_env() -> dict:
    """libpq's environment for the database Django uses (never a password on a command line)."""
    cfg = connection.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if cfg.get(key):
            env[var] = str(cfg[key])
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = cfg["PASSWORD"]
    env["PGDATABASE"] = cfg["NAME"]
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise FileNotFoundError(f"{name} is not installed (Debian: postgresql-client)")
    return path
