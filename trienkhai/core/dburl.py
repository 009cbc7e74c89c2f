"""DATABASE_URL with several PostgreSQL hosts, for failover: libpq tries them in order and, with
`target_session_attrs=read-write`, keeps the one that accepts writes (the current primary).

dj-database-url takes "postgres://u@h1,h2:5432/db" (one port for all) but not one port per host
("h1:6001,h2:6002"), which a pair of poolers on one machine needs. This reads such a URL as
libpq's own lists: HOST "h1,h2" and PORT "6001,6002".
"""

import re
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

_HOST_PORT = re.compile(r"^(?P<host>[^:,\[\]]+)(?::(?P<port>\d+))?$")


def parse(url: str, **kwargs) -> dict:
    parts = urlsplit(url)
    userinfo, _at, hostlist = parts.netloc.rpartition("@")
    if "," not in hostlist:
        return dj_database_url.parse(url, **kwargs)
    hosts, ports = [], []
    for item in hostlist.split(","):
        match = _HOST_PORT.match(item)
        if match is None:
            raise ValueError(f"DATABASE_URL: cannot read the host {item!r}")
        hosts.append(match["host"])
        ports.append(match["port"] or "5432")
    single = urlunsplit(parts._replace(netloc=f"{userinfo}@{hosts[0]}" if userinfo else hosts[0]))
    config = dj_database_url.parse(single, **kwargs)
    config["HOST"] = ",".join(hosts)
    config["PORT"] = ",".join(ports)
    return config
