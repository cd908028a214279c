from lantern.access import security


def test_password_hash_is_argon2_and_verifies() -> None:
    hashed = security.hash_password("a-long-pass-phrase-1")
    assert hashed.startswith("$argon2id$")
    assert security.password_matches(hashed, "a-long-pass-phrase-1")
    assert not security.password_matches(hashed, "another-pass-phrase-1")


def test_password_policy() -> None:
    assert security.password_problem("short1") is not None
    assert security.password_problem("onlylettersherex") is not None
    assert security.password_problem("letters-and-1-digit") is None


def test_token_round_trip_and_tamper() -> None:
    signer = security.TokenSigner("k" * 40, max_age_seconds=60)
    token = signer.issue("user-1")
    assert signer.user_id(token) == "user-1"
    assert signer.user_id(token + "x") is None
    assert security.TokenSigner("j" * 40, 60).user_id(token) is None
