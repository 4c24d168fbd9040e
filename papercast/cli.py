"""The `papercast` command. Errors are one line on stderr; tracebacks only with --verbose."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from papercast.config import load_settings
from papercast.errors import PapercastError
from papercast.lock import run_lock
from papercast.settings import Settings

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_CLI_PROMPT": "false",
}


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def name_list(text: str) -> list[str]:
    """`a,b` -> ["a", "b"]; the option may also be repeated."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected one or more names separated by commas")
    return names


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return int(text)


def runner_spec(text: str) -> str:
    """`default` (threads), `processes` (a process per core), `dask` (a local cluster) or
    `dask://HOST:PORT` (an existing Dask scheduler)."""
    host, _, port = text.removeprefix("dask://").rpartition(":")
    if text in ("default", "processes", "dask") or (text.startswith("dask://") and host and port.isdigit()):
        return text
    raise argparse.ArgumentTypeError(f"expected default, processes, dask or dask://HOST:PORT, not {text!r}")


def add_command(commands, name: str, text: str, config: bool = True) -> argparse.ArgumentParser:
    command = commands.add_parser(name, help=text, description=text)
    if config:
        command.add_argument("--config", required=True, type=Path, help="path to papercast.toml")
    command.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS)
    return command


def add_run(commands) -> None:
    run = add_command(commands, "run", "run the weekly flow once through Prefect")
    run.add_argument("--as-of", type=parse_date, help="the run's date (default: today)")
    run.add_argument("--json", action="store_true", help="print the run report as JSON on stdout")
    run.add_argument("--send", action="store_true", help="send through SMTP (default: dry run to the outbox)")
    run.add_argument(
        "--profiles",
        type=name_list,
        action="extend",
        metavar="ID[,ID...]",
        help="only these profiles (default: all); readers' other profiles wait for the next run",
    )
    run.add_argument(
        "--readers",
        type=name_list,
        action="extend",
        metavar="EMAIL[,EMAIL...]",
        help="only these readers (default: all)",
    )
    run.add_argument(
        "--runner",
        type=runner_spec,
        default="default",
        help="task runner for the write batches: default (threads), processes, dask (local cluster) "
        "or dask://HOST:PORT",
    )
    run.add_argument("--batch-size", type=positive_int, metavar="N", help="readers per write task (default 1000)")


def port_number(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not {text!r}")
    return int(text)


def add_reader_commands(commands) -> None:
    """`web` (the reader-facing app), `readers` (subscriptions), and the app's options on `serve`."""
    web = add_command(commands, "web", "serve the public archive and the readers' signed links until Ctrl-C")
    web.add_argument("--host", help="address to listen on (default: [web] host, 127.0.0.1)")
    web.add_argument("--port", type=port_number, help="port to listen on (default: [web] port, 8080)")
    readers = add_command(
        commands,
        "readers",
        "list readers with their channels, votes and subscription;"
        " unsubscribe or resubscribe one, or print their private feed's link",
    )
    change = readers.add_mutually_exclusive_group()
    change.add_argument("--unsubscribe", metavar="EMAIL", help="stop sending to this reader")
    change.add_argument("--resubscribe", metavar="EMAIL", help="send to this reader again")
    change.add_argument("--feed-link", metavar="EMAIL", help="print this reader's private feed URL (needs the secret)")
    change.add_argument(
        "--tune-link", metavar="EMAIL", help="print this reader's tune page URL for each of their profiles"
    )
    readers.add_argument("--json", action="store_true", help="print the readers as JSON")


def add_serve(commands) -> None:
    serve = add_command(
        commands,
        "serve",
        "run the weekly deployment on the [schedule] cron (and the fetch on [schedule] fetch) until Ctrl-C",
    )
    serve.add_argument(
        "--send", action="store_true", help="scheduled runs send through SMTP (default: [schedule] send; else dry runs)"
    )
    serve.add_argument("--web-host", help="the reader app's address (default: [web] host)")
    serve.add_argument("--web-port", type=port_number, help="the reader app's port (default: [web] port)")
    serve.add_argument("--no-web", action="store_true", help="do not run the reader app beside the schedule")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papercast", description="Personalized research-paper newsletters.")
    parser.add_argument("--verbose", "-v", action="store_true", help="show tracebacks and debug logs")
    commands = parser.add_subparsers(dest="command", required=True)
    add_run(commands)
    add_serve(commands)
    fetch = add_command(
        commands,
        "fetch",
        "fetch every source and classify the new papers once, through "
        "Prefect; nothing is sent (what [schedule] fetch runs)",
    )
    fetch.add_argument("--as-of", type=parse_date, help="the run's date (default: today)")
    fetch.add_argument("--json", action="store_true", help="print the fetch run's report as JSON on stdout")
    add_command(commands, "publish", "rebuild the public archive from the store")
    add_reader_commands(commands)
    preview = add_command(
        commands,
        "preview",
        "list the stored papers a profile would take, best first, "
        "then the nearest misses (no Prefect, nothing changes)",
    )
    preview.add_argument("--profile", required=True, metavar="ID", help="the profile's id")
    preview.add_argument(
        "--weeks",
        type=positive_int,
        default=4,
        metavar="N",
        help="papers first seen in the N weeks up to the latest stored paper (default 4)",
    )
    init = add_command(commands, "init", "write a starter config and example digests into a folder", config=False)
    init.add_argument("folder", type=Path, help="where to put papercast.toml (created if missing)")
    return parser


def prepare_prefect(settings: Settings) -> None:
    """Offline, quiet Prefect with its home beside the state file, unless the user chose otherwise."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    home = Path(os.environ.setdefault("PREFECT_HOME", str(settings.paths.state.parent / "prefect")))
    home.mkdir(parents=True, exist_ok=True)


def command_run(args: argparse.Namespace, settings: Settings) -> int:
    options = (str(settings.source_file), args.as_of, args.profiles, args.readers, args.send)

    def start(server):
        from papercast.flows.runners import run_weekly

        return run_weekly(*options, args.runner, args.batch_size, server=server)

    return through_prefect(args, settings, options, start)


def command_fetch(args: argparse.Namespace, settings: Settings) -> int:
    options = (str(settings.source_file), args.as_of)

    def start(server):
        from papercast.flows.runners import run_fetch

        return run_fetch(*options, server=server)

    return through_prefect(args, settings, options, start)


def through_prefect(args: argparse.Namespace, settings: Settings, options: tuple, start) -> int:
    """Run a flow once: checks first (one line when wrong), Prefect's server booting meanwhile; print the
    report or its summary, and exit with the report's code (0 done, 3 partly done)."""
    from papercast.flows.server import EarlyServer
    from papercast.preflight import preflight, prepare_run
    from papercast.report import report_json
    from papercast.summary import summary_lines

    started = time.perf_counter()
    prepare_run(*options)  # a missing password or an unknown name: one line before anything starts
    prepare_prefect(settings)
    with EarlyServer() as server, preflight(*options):  # the server boots while the lock and state are checked
        from papercast.flows.runners import hide_prefect_tracebacks

        if not args.verbose:
            hide_prefect_tracebacks()
        report = start(server)
    total = round(time.perf_counter() - started, 3)
    report = replace(report, timings={**report.timings, "total_with_prefect": total})
    print(report_json(report) if args.json else "\n".join(summary_lines(report)))
    return report.exit_code


def command_publish(args: argparse.Namespace, settings: Settings) -> int:
    from papercast.newsletter.render import make_environment
    from papercast.site.publish import publish_archive
    from papercast.store import Store

    with run_lock(settings.paths.state, settings.limits.lock_wait_seconds), Store.of(settings) as store:
        published = publish_archive(
            store.classification, settings, make_environment()
        )  # never beside a run writing the archive
    print(f"published {len(published.pages)} pages and {len(published.feeds)} feeds under {settings.paths.archive}")
    return 0


def command_serve(args: argparse.Namespace, settings: Settings) -> int:
    from papercast.preflight import prepare_run
    from papercast.serving import serving_lines

    send = args.send or settings.schedule.send
    prepare_run(str(settings.source_file), send=send)  # sending without its password: one line, now, not at 07:00
    app = reader_app(args, settings)  # a missing link secret or a taken port: one line before anything starts
    prepare_prefect(settings)
    for line in serving_lines(settings, send, dt.datetime.now(dt.UTC), temporary=not prefect_api_set()):
        print(f"papercast: {line}", file=sys.stderr)
    from papercast.flows.deploy import serve_schedules

    with app:
        serve_schedules(settings, send)
    return 0


def prefect_api_set() -> bool:
    from papercast.flows.server import configured_elsewhere

    return configured_elsewhere()


def reader_app(args: argparse.Namespace, settings: Settings):
    """The reader app in a thread beside `serve`, unless --no-web."""
    if args.no_web:
        return contextlib.nullcontext()
    from papercast.web.server import AppServer

    server = AppServer(settings, os.environ, args.web_host or settings.web.host, args.web_port or settings.web.port)
    print(f"papercast: reader app on {server.url}", file=sys.stderr)
    return server


def command_web(args: argparse.Namespace, settings: Settings) -> int:
    from papercast.web.server import serve_foreground

    host, port = args.host or settings.web.host, settings.web.port if args.port is None else args.port
    public = settings.site.base_url or "no [site] base_url: messages carry no links to it"

    def ready(url: str) -> None:
        print(
            f"papercast: serving the archive and reader links on {url} (public URL: {public}); Ctrl-C stops",
            file=sys.stderr,
            flush=True,
        )

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how it is meant to stop
        serve_foreground(settings, os.environ, host, port, ready)
    return 0


def command_readers(args: argparse.Namespace, settings: Settings) -> int:
    from papercast.store import Store
    from papercast.web.readers import change_subscription, feed_address, listing, reader_rows, tune_addresses

    if args.feed_link:
        print(feed_address(settings, args.feed_link, os.environ))
        return 0
    if args.tune_link:
        print("\n".join(tune_addresses(settings, args.tune_link, os.environ)))
        return 0
    with Store.of(settings) as store:
        if args.unsubscribe or args.resubscribe:
            print(change_subscription(store, settings, args.unsubscribe or args.resubscribe, bool(args.resubscribe)))
            return 0
        rows = reader_rows(store, settings)
    print(json.dumps([row.as_dict() for row in rows], indent=2) if args.json else "\n".join(listing(rows)))
    return 0


def command_preview(args: argparse.Namespace, settings: Settings) -> int:
    from papercast.relevance.preview import preview, preview_lines
    from papercast.store import Store

    with Store.of(settings) as store:
        print("\n".join(preview_lines(preview(store, settings, args.profile, args.weeks))))
    return 0


def command_init(args: argparse.Namespace) -> int:
    from papercast.first_run import init_folder

    config = init_folder(args.folder.expanduser().resolve())
    print(f"wrote {config} and its example inbox; next: papercast run --config {config}")
    return 0


COMMANDS = {
    "run": command_run,
    "fetch": command_fetch,
    "serve": command_serve,
    "publish": command_publish,
    "preview": command_preview,
    "web": command_web,
    "readers": command_readers,
}


def main(argv: list[str] | None = None) -> int:
    try:
        return run_command(build_parser().parse_args(argv))
    except BrokenPipeError:  # `papercast ... | head`: the reader has gone, and that is fine
        quiet_stdout()
        return 0


def quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null, so the interpreter's final flush stays quiet."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def run_command(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "init":
            return command_init(args)
        return COMMANDS[args.command](args, load_settings(args.config))
    except BrokenPipeError:
        raise
    except PapercastError as exc:
        return fail(exc.one_line(), exc, args.verbose)
    except KeyboardInterrupt:
        return fail("interrupted", None, args.verbose)
    except Exception as exc:  # the last line of defence: one line, details with --verbose
        return fail(
            f"unexpected error: {type(exc).__name__}: {exc} (rerun with --verbose for details)", exc, args.verbose
        )


def fail(message: str, exc: BaseException | None, verbose: bool) -> int:
    if verbose and exc is not None:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    print(f"papercast: error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
