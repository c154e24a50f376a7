"""Optout's native side: the rules, the engine that applies them, the native messaging host and the CLI."""
