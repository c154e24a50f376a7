"""Developer commands that keep generated files in step with their sources."""
