"""The `trienkhai` command: demo, serve, generate, refs, and Django's own management commands."""

import argparse
import os
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")
    import django

    django.setup()


def _prepare_database(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)


def default_workers() -> int:
    """One worker process per core (each runs Python on one core at a time), at least two."""
    return max(2, os.cpu_count() or 1)


def default_threads() -> int:
    """Threads per worker: they overlap the waits on the database, not the Python work."""
    return int(os.environ.get("TRIENKHAI_THREADS", "4"))


def _metrics_dir() -> None:
    """Prometheus's multiprocess mode for the server's workers: their request metrics are kept
    in files that any worker's /metrics sums. Set before Django (and prometheus_client) load;
    the files of an earlier run are removed, they describe processes that are gone."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    from trienkhai.core.secrets import data_dir

    folder = data_dir() / "metrics"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def _worker_gone(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _serve(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from trienkhai.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", default_threads())
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", os.environ.get("TRIENKHAI_ACCESS_LOG") or None)
            self.cfg.set("timeout", 120)
            self.cfg.set("child_exit", _worker_gone)

        def load(self):
            return application

    print(f"Triển khai: http://{host}:{port}/", flush=True)
    Server().run()


def cmd_demo(args) -> int:
    _metrics_dir()
    _setup_django()
    _prepare_database()
    from trienkhai.demo.loader import ensure_demo

    logins = ensure_demo(stdout=sys.stdout)
    print("\nTài khoản demo (tên đăng nhập / mật khẩu):")
    for username, password, description in logins:
        print(f"  {username:<14} {password:<18} {description}")
    if args.no_serve:
        return 0
    _serve(args.host, args.port, args.workers)
    return 0


def cmd_serve(args) -> int:
    _metrics_dir()
    _setup_django()
    _prepare_database()
    _serve(args.host, args.port, args.workers)
    return 0


def cmd_generate(args) -> int:
    _setup_django()
    _prepare_database()
    from trienkhai.core.actions import ActionError
    from trienkhai.demo.generate import generate

    try:
        generate(
            provinces=args.provinces,
            communes=args.communes,
            grassroots=args.grassroots,
            cells=args.cells,
            documents=args.documents,
            seed=args.seed,
            stdout=sys.stdout,
        )
    except ActionError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


def cmd_worker(args) -> int:
    _setup_django()
    from trienkhai.core.background.worker import run_worker

    ran = run_worker(once=args.once, poll=args.poll, limit=args.limit)
    if args.once:
        print(f"{ran} job(s) run", flush=True)
    return 0


def cmd_backup(args) -> int:
    _setup_django()
    from trienkhai.ops.backup import BackupError, make_backup

    try:
        record = make_backup(args.output)
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    size = sum(f["size"] for f in record["files"].values())
    print(
        f"{record['path']}: {record['engine']}, schema {record['schema_version']}, "
        f"{len(record['files'])} files, {size:,} bytes",
        flush=True,
    )
    return 0


def cmd_restore(args) -> int:
    _setup_django()
    from django.db import connection

    from trienkhai.ops.restore import RestoreRefused, restore_backup

    if not args.yes:
        where = connection.settings_dict["NAME"]
        answer = input(f"Replace every record and upload of {where} with {args.path}? [yes/no] ")
        if answer.strip().lower() not in ("yes", "y", "có", "co"):
            print("nothing changed", file=sys.stderr)
            return 1
    try:
        record = restore_backup(args.path)
    except RestoreRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(
        f"restored {args.path}: schema {record['schema_version']}, made {record['created_at']}",
        flush=True,
    )
    return 0


def cmd_refs(rest: list[str]) -> int:
    from trienkhai.ingest.refs_cli import main as refs_main

    return refs_main(rest)


def cmd_manage(rest: list[str]) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["trienkhai", *rest])
    return 0


# Commands that parse their own arguments: everything after the command name is theirs, in any
# order, `--help` included (argparse's REMAINDER refuses a leading option such as `--json`).
PASSTHROUGH = {"refs": cmd_refs, "manage": cmd_manage}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trienkhai", description="Triển khai")
    sub = parser.add_subparsers(dest="command", required=True)

    def server_opts(p):
        p.add_argument("--host", default=os.environ.get("TRIENKHAI_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("TRIENKHAI_PORT", "8000")))
        workers = os.environ.get("TRIENKHAI_WORKERS")
        p.add_argument(
            "--workers", type=int, default=int(workers) if workers else default_workers()
        )

    demo = sub.add_parser("demo", help="create the demo database if empty and serve it")
    server_opts(demo)
    demo.add_argument("--no-serve", action="store_true", help="prepare the demo, do not serve")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="serve an existing database")
    server_opts(serve)
    serve.set_defaults(func=cmd_serve)

    gen = sub.add_parser("generate", help="build a national-scale synthetic tree")
    gen.add_argument("--provinces", type=int, default=34)
    gen.add_argument("--communes", type=int, default=3300)
    gen.add_argument("--grassroots", type=int, default=55000)
    gen.add_argument("--cells", type=int, default=240000)
    gen.add_argument("--documents", type=int, default=0)
    gen.add_argument("--seed", type=int, default=1)
    gen.set_defaults(func=cmd_generate)

    worker = sub.add_parser("worker", help="run background jobs (reminders …) until stopped")
    worker.add_argument("--once", action="store_true", help="run what is due now, then exit")
    worker.add_argument(
        "--poll", type=float, default=5.0, help="database worker: seconds between queue checks"
    )
    worker.add_argument("--limit", type=int, default=100, help="jobs per pass")
    worker.set_defaults(func=cmd_worker)

    backup = sub.add_parser("backup", help="write the database and uploads to one archive")
    backup.add_argument("--output", help="archive path (default: DATA_DIR/backups/…tar)")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database and uploads with a backup")
    restore.add_argument("path", help="a backup archive made by `trienkhai backup`")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(func=cmd_restore)

    # Listed for `trienkhai --help`; `main` hands their arguments over before argparse runs.
    sub.add_parser("refs", help="print the document references found in text (FILE|- [--json])")
    sub.add_parser("manage", help="run a Django management command")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in PASSTHROUGH:
        return PASSTHROUGH[argv[0]](argv[1:]) or 0
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
