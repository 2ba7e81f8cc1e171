"""The agenda formats (see checker/reporters/__init__.py)."""
