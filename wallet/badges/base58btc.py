"""Base58 (the Bitcoin alphabet) encoding, fast enough to write a proof value per award. Pure.

The ``base58`` package converts one digit per big-integer division: 88 divisions of a 512-bit
number for an Ed25519 signature, about a sixth of a batch award's signing time. Here the number
is cut into chunks of ten digits (58**10 fits in 64 bits), and each chunk into pairs of digits
read from a table: the same text, in half the time. Decoding, rare, stays with ``base58``.
"""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#: Every pair of digits, by value (0 to 58**2 - 1).
_PAIRS = tuple(high + low for high in ALPHABET for low in ALPHABET)
_CHUNK = 58**10


def encode(data: bytes) -> str:
    """Return ``data`` in base58 (each leading zero byte a ``1``, as Bitcoin writes it)."""
    number = int.from_bytes(data, "big")
    pairs: list[str] = []
    while number:
        number, chunk = divmod(number, _CHUNK)
        for _ in range(5):
            chunk, pair = divmod(chunk, 3364)
            pairs.append(_PAIRS[pair])
    pairs.reverse()
    digits = "".join(pairs).lstrip("1")
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + digits
