"""One module per `optout` subcommand; each defines `register(subparsers)` and sets `run` on its parser."""
