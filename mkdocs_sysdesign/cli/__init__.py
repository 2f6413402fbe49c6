"""The ``mkdocs-sysdesign`` command line: ``new``, ``check``, ``export``, ``schema`` and
``sync``.

One module per job: :mod:`.runner` builds a project quietly and collects the plugin's
findings, :mod:`.check` reports them, :mod:`.export` writes the handbook as JSON,
:mod:`.schema` writes the front-matter schema, :mod:`.scaffold` writes new designs
and decision records and :mod:`.sync` writes the files a Zensical build needs. This
module holds the argument parser and :func:`main`.
``new`` and ``schema`` are generated from the step registry and statuses in force.

Exit codes: 0 success, 1 ``check`` found problems (or ``new`` would overwrite a file),
2 the command could not run (bad arguments, missing or invalid ``mkdocs.yml``, a build
that aborted).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from .check import cmd_check
from .export import cmd_export
from .output import os_error_message
from .runner import UsageError
from .scaffold import cmd_new
from .schema import cmd_schema
from .sync import cmd_sync


def _add_config_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "-f",
        "--config-file",
        metavar="FILE",
        help=f"the project's mkdocs.yml ({what})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="mkdocs-sysdesign",
        description="Work with six-step system designs kept in a MkDocs project.",
        epilog="Run 'mkdocs-sysdesign COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser(
        "new",
        help="write a new design from the six-step template",
        description=(
            "Write a design from the six-step template: front matter (status draft, today's "
            "dates), one H2 section per step with its prompts as comments and its checklist "
            "items as unchecked task items. Steps and items come from the project's "
            "configuration. An existing file is never overwritten."
        ),
    )
    new.add_argument("title", help='the title of the design or decision, such as "Rate Limiter"')
    new.add_argument(
        "--decision",
        action="store_true",
        help="write a numbered MADR-style decision record into the decisions folder "
        "(docs/decisions) instead of a design",
    )
    new.add_argument(
        "--dir",
        metavar="FOLDER",
        help="folder to write to (default: the configured designs folder, docs/designs)",
    )
    new.add_argument(
        "--owner",
        action="append",
        metavar="NAME",
        help="an owner of the design, or a decision maker (repeat for several)",
    )
    _add_config_option(new, "default: ./mkdocs.yml when present, else the default steps")
    new.set_defaults(run=cmd_new)

    check = commands.add_parser(
        "check",
        help="build into a temporary folder and report problems in designs and glossary",
        description=(
            "Run the same build as 'mkdocs build' (every plugin included) into a temporary "
            "folder that is deleted afterwards, and report each problem the sysdesign plugin "
            "found as FILE:LINE: LEVEL: MESSAGE."
        ),
        epilog=(
            "Exit codes: 0 no problems, 1 problems found, 2 the check could not run "
            "(bad arguments, missing or invalid mkdocs.yml, a build that stopped). "
            "With only DOCS_DIR, the defaults are: site_name from the folder's name, "
            "theme material, plugins [sysdesign]."
        ),
    )
    _add_config_option(check, "default: ./mkdocs.yml")
    check.add_argument(
        "docs_dir",
        nargs="?",
        metavar="DOCS_DIR",
        help="the docs folder; alone, it is built with default settings instead of mkdocs.yml",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or github (workflow annotations for GitHub Actions)",
    )
    check.add_argument(
        "--require-complete",
        action="store_true",
        help=(
            "also fail designs with a missing step, and approved or implemented designs "
            "with a partial step"
        ),
    )
    check.add_argument(
        "--explain",
        action="store_true",
        help=(
            "also say, for each design, which headings and structure (with line numbers) "
            "made each step"
        ),
    )
    check.set_defaults(run=cmd_check)

    export = commands.add_parser(
        "export",
        help="write the handbook's designs and terms as JSON",
        description=(
            'Build as \'check\' does and write {"version": 1, "designs": [...], "terms": [...]} '
            "with each design's steps, items, entities, routes and terms, and each term's "
            "referencing pages."
        ),
    )
    _add_config_option(export, "default: ./mkdocs.yml")
    export.add_argument(
        "docs_dir",
        nargs="?",
        metavar="DOCS_DIR",
        help="the docs folder; alone, it is built with default settings instead of mkdocs.yml",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    export.set_defaults(run=cmd_export)

    schema = commands.add_parser(
        "schema",
        help="write the JSON Schema of design and term front matter",
        description=(
            "Write a JSON Schema (draft 2020-12) for the front matter of designs and glossary "
            "terms, with the statuses, steps and items of the project's configuration."
        ),
    )
    _add_config_option(schema, "default: ./mkdocs.yml when present, else the defaults")
    schema.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    schema.set_defaults(run=cmd_schema)

    sync = commands.add_parser(
        "sync",
        help="write the glossary pages and assets a Zensical build needs into the docs folder",
        description=(
            "Zensical builds only what is in the docs folder. Write there what the plugin adds "
            "to a MkDocs build: the shipped glossary's term pages, the glossary index and the "
            "plugin's assets. Files already up to date are left alone."
        ),
        epilog="Exit codes: 0 in sync (or written), 1 --check found files out of date, 2 error.",
    )
    _add_config_option(sync, "default: ./mkdocs.yml, or ./zensical.toml")
    sync.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the files missing or out of date and exit 1 if any",
    )
    sync.set_defaults(run=cmd_sync)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    # Material, and ProperDocs through oprypin's plugins (literate-nav, gen-files,
    # section-index), print a notice about MkDocs 2 on every build; noise in a linter.
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ["DISABLE_MKDOCS_2_WARNING"] = "true"
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    # The one place where a command that cannot run becomes a message and exit code 2:
    # a bad argument, a file that cannot be read or written, a build that stopped.
    try:
        code: int = args.run(args)
    except UsageError as error:
        message = str(error)
    except OSError as error:
        message = os_error_message(error)
    except Exception as error:  # noqa: BLE001 - a traceback is no answer to a user
        detail = " ".join(str(error).split())
        message = f"the command stopped: {type(error).__name__}: {detail}"
    else:
        return code
    print(f"mkdocs-sysdesign {args.command}: error: {message}", file=sys.stderr)
    return 2
