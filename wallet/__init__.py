"""The wallet: an earner-facing digital-credential wallet and sharing backend."""

from __future__ import annotations

from wallet.app import create_app

__all__ = ["create_app"]
