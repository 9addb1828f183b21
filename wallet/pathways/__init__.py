"""Pathways issuers define, earners' progress along them, and recommended next steps."""
