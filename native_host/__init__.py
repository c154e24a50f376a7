"""Optout's native side: the rules, the engine that applies them, the native messaging host and the CLI.

Its folders are its layers, each importing only the ones beneath it: rules/, engine/, history/, then the two
front doors, messaging/ and cli/. The modules at this level are the facts they all share (statuses, exit codes,
error words, paths, version, extension ids, loopback addresses).
"""
