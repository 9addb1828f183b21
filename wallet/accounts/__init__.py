"""Earners: accounts, their verified email addresses, sign-in and settings."""
