"""Exit codes of `shingikai`, defined once (the CLI, the lint summary and the signal handlers use them).

0 report produced (lint: nothing at or above --fail-on), 1 lint findings (or a stale generated
file under --check), 2 invalid input, 3 broken rules or internal error; 128 + N for a run ended
by signal N, as shells report it.
"""
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 128 + 2    # SIGINT, Ctrl-C
EXIT_HANGUP = 128 + 1         # SIGHUP
EXIT_TERMINATED = 128 + 15    # SIGTERM
EXIT_BROKEN_PIPE = 128 + 13   # SIGPIPE: the reader went away (`| head`)
STOPPED = (EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_HANGUP)  # runs that end with 中断しました
