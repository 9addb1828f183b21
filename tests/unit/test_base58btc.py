"""Our base58 encoder writes exactly what the ``base58`` package writes, for any bytes."""

from __future__ import annotations

import base58
from hypothesis import given
from hypothesis import strategies as st

from wallet.badges import base58btc


@given(st.binary(max_size=100))
def test_encoding_matches_the_reference_for_any_bytes(data: bytes) -> None:
    assert base58btc.encode(data) == base58.b58encode(data).decode()


@given(st.integers(0, 8), st.binary(max_size=70))
def test_leading_zero_bytes_become_ones(zeros: int, rest: bytes) -> None:
    data = b"\0" * zeros + rest
    encoded = base58btc.encode(data)
    assert encoded == base58.b58encode(data).decode()
    assert base58.b58decode(encoded) == data


def test_signature_sized_values_at_the_edges_of_a_chunk() -> None:
    for number in (0, 1, 57, 58, 3363, 3364, 58**10 - 1, 58**10, 58**10 + 1, 2**512 - 1):
        data = number.to_bytes(64, "big")
        assert base58btc.encode(data) == base58.b58encode(data).decode(), number
