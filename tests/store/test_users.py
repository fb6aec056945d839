"""Console users: entries hold only PBKDF2 hashes; the right password and only it signs in."""

import pytest

from store.users import (
    UserSpecError,
    authenticate,
    hash_password,
    parse_users,
    user_entry,
    verify_password,
)


def test_entry_holds_a_salted_hash_not_the_password():
    first, second = (
        user_entry("olga", "operator", "s3cret-pass"),
        user_entry("olga", "operator", "s3cret-pass"),
    )
    assert "s3cret-pass" not in first
    assert first != second  # a fresh salt each time
    assert first.startswith("olga:operator:pbkdf2_sha256.")


def test_right_password_signs_in_and_wrong_or_unknown_does_not():
    users = parse_users(
        ",".join(
            [user_entry("olga", "operator", "pw-olga-1"), user_entry("vic", "viewer", "pw-vic-1")]
        )
    )
    assert authenticate(users, "olga", "pw-olga-1").role == "operator"
    assert authenticate(users, "vic", "pw-vic-1").can_act is False
    assert authenticate(users, "olga", "pw-vic-1") is None
    assert authenticate(users, "mallory", "pw-olga-1") is None


def test_tampered_or_foreign_hashes_never_verify():
    stored = hash_password("pw", iterations=1000)
    assert verify_password("pw", stored)
    tampered = stored[:-2] + ("00" if stored[-2:] != "00" else "11")  # never the stored hash itself
    assert not verify_password("pw", tampered)
    assert not verify_password("pw", "md5.1.00.00")
    assert not verify_password("pw", "garbage")


@pytest.mark.parametrize(
    "spec",
    ["olga:operator", "olga:admin:pbkdf2_sha256.1.00.00", "olga:operator:plaintext"],
)
def test_unreadable_entries_are_errors(spec):
    with pytest.raises(UserSpecError):
        parse_users(spec)


def test_empty_spec_means_no_users():
    assert parse_users("") == {}
