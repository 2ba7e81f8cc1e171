"""The lint formats (see checker/reporters/__init__.py)."""
