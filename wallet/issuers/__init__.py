"""Issuers: organisations, their members, achievements, and the awards they issue."""
