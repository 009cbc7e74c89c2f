"""Several hosts in DATABASE_URL become libpq's host and port lists."""

import pytest

from trienkhai.core import dburl


def test_one_port_per_host():
    config = dburl.parse(
        "postgres://app:secret@10.0.0.1:6432,10.0.0.2:6433/trienkhai?target_session_attrs=read-write"
    )
    assert config["HOST"] == "10.0.0.1,10.0.0.2"
    assert config["PORT"] == "6432,6433"
    assert config["USER"] == "app" and config["PASSWORD"] == "secret"
    assert config["NAME"] == "trienkhai"
    assert config["OPTIONS"]["target_session_attrs"] == "read-write"


def test_a_missing_port_is_the_default():
    assert dburl.parse("postgres://db1:6432,db2/x")["PORT"] == "6432,5432"


def test_one_host_is_left_to_dj_database_url():
    config = dburl.parse("postgres://u@db:5433/x")
    assert (config["HOST"], config["PORT"]) == ("db", 5433)


def test_garbage_is_refused():
    with pytest.raises(ValueError, match="cannot read the host"):
        dburl.parse("postgres://u@db1:x,db2/x")
