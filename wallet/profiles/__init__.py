"""Employer-facing pages: public profiles, verified skills, share links, directory, verify tool."""
