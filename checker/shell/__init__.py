"""The process boundary: signals, safe writing of output files, Japanese usage errors.
Used by the CLI (and by the worker pool, so no worker outlives the command)."""
