"""The diff formats (see checker/reporters/__init__.py)."""
