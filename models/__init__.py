"""Shipped classifier versions (package data: found with importlib.resources, not the source tree)."""
