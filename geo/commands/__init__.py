"""Subcommands of `python -m geo`. Each module has add_arguments(parser) and run(args) -> int."""
