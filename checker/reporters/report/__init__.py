"""The report formats (see checker/reporters/__init__.py)."""
