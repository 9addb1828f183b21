"""The side-effect pipeline: events recorded in the outbox, relayed to Dramatiq, run by workers.

Every domain may import ``events.outbox`` and ``events.catalog``; this package imports no domain.
"""
