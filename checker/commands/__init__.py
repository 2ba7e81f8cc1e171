"""One module or package per verb of the CLI. Each takes paths and options and returns a model
(a Report, LintRun, Agenda, Diff...); none imports typer or a reporter, and none prints.
Files are found by files.py and loaded by its one load-and-collect-errors loop.
"""
