"""merge: issuer invitations (0008) and API clients (0008a) were made side by side from 0007

Revision ID: 0008m
Revises: 0008, 0008a
Create Date: 2026-11-29 05:10:00.000000
"""

from __future__ import annotations


revision = "0008m"
down_revision = ("0008", "0008a")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
