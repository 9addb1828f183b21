"""Engagement back to issuers (issue 10): the public event feed, webhooks, consent, analytics."""
