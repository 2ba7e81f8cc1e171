"""The package version (read by the rule cache key and the SARIF driver)."""
__version__ = "0.1.0"
