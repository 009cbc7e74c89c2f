"""``trienkhai refs [FILE|-] [--json]``: list the document references in a UTF-8 text."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trienkhai.ingest.refs import find_refs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="trienkhai refs",
        description="Tìm các văn bản được dẫn (số và ký hiệu) trong một văn bản tiếng Việt.",
    )
    parser.add_argument("file", nargs="?", default="-", help="tệp UTF-8; - hoặc bỏ trống: stdin")
    parser.add_argument("--json", action="store_true", help="in một mảng JSON")
    args = parser.parse_args(argv)
    try:
        text = _read(args.file)
    except FileNotFoundError:
        print(f"trienkhai refs: không tìm thấy tệp {args.file}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"trienkhai refs: không đọc được tệp {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:
        print(f"trienkhai refs: tệp {args.file} không phải UTF-8: {exc.reason}", file=sys.stderr)
        return 2
    refs = find_refs(text)
    if args.json:
        print(json.dumps([r.to_json() for r in refs], ensure_ascii=False, indent=2))
        return 0
    for ref in refs:
        date = ref.date.isoformat() if ref.date else "-"
        # One line per reference: line breaks and tabs inside a reference print as spaces.
        shown = " ".join(ref.text.split())
        print(f"{ref.start}-{ref.end}\t{shown}\t{ref.symbol}\t{date}")
    return 0


def _read(name: str) -> str:
    """The whole input, decoded strictly so that offsets count the file's own characters."""
    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    return data.decode("utf-8")


if __name__ == "__main__":
    sys.exit(main())
