from lantern.people import rules


def test_nhs_number_accepts_valid_check_digit() -> None:
    assert rules.nhs_number_problem("9434765919") is None


def test_nhs_number_rejects_wrong_check_digit() -> None:
    assert rules.nhs_number_problem("9434765918") == "NHS number fails the modulus-11 check"


def test_nhs_number_rejects_when_check_digit_would_be_ten() -> None:
    # 10-weighted sum of 000000001 is 2 -> 11 - 2 = 9; find a prefix whose check would be 10
    prefix = next(f"{n:09d}" for n in range(1000) if rules.with_check_digit(f"{n:09d}") is None)
    assert all(rules.nhs_number_problem(prefix + str(d)) for d in range(10))


def test_nhs_number_rejects_wrong_length() -> None:
    assert rules.nhs_number_problem("123") == "NHS number must be 10 digits"


def test_normalise_nhs_number_removes_spaces() -> None:
    assert rules.normalise_nhs_number("943 476 5919") == "9434765919"


def test_postcode_is_normalised() -> None:
    assert rules.normalise_postcode("ox14 3ab") == "OX14 3AB"
    assert rules.normalise_postcode("SW1A1AA") == "SW1A 1AA"


def test_postcode_invalid_is_none() -> None:
    assert rules.normalise_postcode("12345") is None


def test_pnc_id_format() -> None:
    assert rules.normalise_pnc_id(" 09/123456a ") == "09/123456A"
    assert rules.normalise_pnc_id("123456") is None
