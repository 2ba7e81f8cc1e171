"""The rules formats (see checker/reporters/__init__.py)."""
