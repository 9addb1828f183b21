"""Password policy, hashing and mail-link tokens."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from itsdangerous import TimestampSigner
from itsdangerous import URLSafeTimedSerializer

from wallet.accounts import passwords
from wallet.accounts import tokens


@pytest.mark.parametrize("password", ["short", "123456789", "password12", "Qwertyuiop"])
def test_short_or_common_passwords_are_refused(password: str) -> None:
    assert passwords.password_problem(password) is not None


def test_the_email_address_itself_is_refused_as_a_password() -> None:
    assert passwords.password_problem("ada@example.org", email="ADA@example.org") is not None


def test_a_long_uncommon_password_is_accepted() -> None:
    assert passwords.password_problem("violet tractor umbrella 42") is None


def test_hashes_are_argon2id_and_check_only_the_right_password() -> None:
    digest = passwords.hash_password("violet tractor umbrella 42")
    assert digest.startswith("$argon2id$")
    assert passwords.check_password(digest, "violet tractor umbrella 42")
    assert not passwords.check_password(digest, "violet tractor umbrella 43")
    assert not passwords.check_password("not a hash", "anything")


def test_a_token_round_trips_for_its_purpose_only() -> None:
    token = tokens.make_token("secret", tokens.VERIFY_EMAIL, {"e": 1})
    assert tokens.read_token("secret", tokens.VERIFY_EMAIL, token, 60) == {"e": 1}
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_token("secret", tokens.RESET_PASSWORD, token, 60)
    with pytest.raises(tokens.TokenInvalid):
        tokens.read_token("another secret", tokens.VERIFY_EMAIL, token, 60)


class _TwoHoursAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 7200


def test_an_old_token_is_expired_not_invalid() -> None:
    old = URLSafeTimedSerializer("secret", salt=tokens.VERIFY_EMAIL, signer=_TwoHoursAgo).dumps(
        {"e": 1}
    )
    with pytest.raises(tokens.TokenExpired):
        tokens.read_token("secret", tokens.VERIFY_EMAIL, old, 3600)
    assert tokens.read_token("secret", tokens.VERIFY_EMAIL, old, 3 * 3600) == {"e": 1}


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_any_string_is_either_a_valid_token_or_refused(token: str) -> None:
    with pytest.raises((tokens.TokenInvalid, tokens.TokenExpired)):
        tokens.read_token("secret", tokens.VERIFY_EMAIL, token, 60)
