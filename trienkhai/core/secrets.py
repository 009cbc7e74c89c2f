"""Where the data lives and where the secret key comes from.

Production sets TRIENKHAI_SECRET_KEY. The embedded demo has no operator to set it, so a random
key is created once in the data directory (mode 0600) rather than shipping a known key in the code.
"""

import os
import secrets
from pathlib import Path


def data_dir() -> Path:
    path = Path(os.environ.get("TRIENKHAI_DATA_DIR", Path.cwd() / "trienkhai-data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_secret_key(directory: Path) -> str:
    key = os.environ.get("TRIENKHAI_SECRET_KEY")
    if key:
        return key
    key_file = directory / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()
