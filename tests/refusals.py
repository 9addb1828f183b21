"""The property every parser of untrusted input must have: it answers, or refuses with a reason."""

from __future__ import annotations

import typing as t

from wallet.errors import Invalid


def answers_or_refuses(call: t.Callable[..., object], *args: object) -> None:
    """Call ``call``; only a ``wallet.errors.Invalid`` carrying a message may come out."""
    refusal: Invalid | None = None
    try:
        call(*args)
    except Invalid as error:
        refusal = error
    assert refusal is None or refusal.message
