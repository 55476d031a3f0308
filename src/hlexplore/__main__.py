"""Entry point: parse the command line, then answer a question or open the explorer."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from hlexplore.cli.parser import UsageError, build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help and --version: argparse has already printed them
        return stop.code if isinstance(stop.code, int) else 2
    except UsageError as error:  # said as argparse says it; with --json, as JSON on stdout too
        sys.stderr.write(error.usage + error.message + "\n")
        if "--json" in (sys.argv[1:] if argv is None else argv):
            import json

            sys.stdout.write(
                json.dumps({"error": {"code": "usage", "message": error.message}}, indent=2) + "\n"
            )
        return 2
    try:
        if args.command is None:
            from hlexplore.launch import launch

            return launch(args)
        from hlexplore.cli.commands import Output, run

        return run(args, Output(as_json=getattr(args, "json", False), command=args.command))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`hlexplore stats | head`); say nothing more.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
