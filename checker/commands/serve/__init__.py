"""`shingikai serve`: the browser workbench's work, without the web framework or the pages.

workbench.py turns what the browser sends (proposal data, uploaded files) into the same models the
other commands return: a Report, field errors, an Agenda, a Diff. sessions.py keeps each browser's
state in memory, with an expiry and a per-session token against cross-site requests. The web app
(checker/web.py) wires them to HTTP and renders with checker/reporters/serve.
"""
