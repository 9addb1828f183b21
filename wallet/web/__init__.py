"""The web edge: everything that touches Flask's request globals lives in this package or views."""
