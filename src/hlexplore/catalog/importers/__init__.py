"""Turning other people's lists into catalogs: one module per format they come in."""
