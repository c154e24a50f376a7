"""The CLI layer, the command line's front door: `optout` (main), its argument types (arguments), one module
per subcommand (commands/), the report table it prints and the saved login it keeps (session_vault).

It may use every layer beneath it and the messaging front door (`optout install` writes the host's launcher);
`optout serve` and `optout publish` also start the rules service in server/. Nothing imports the CLI back.
"""
