"""Query numbers: random, well-formed, and the check symbol catches typos."""

from hypothesis import given
from hypothesis import strategies as st

from hall.cases import querynumbers as qn
from hall.cases.validators import (
    PROVINCE_CODES,
    is_resident_id,
    is_uscc,
    resident_id_check,
    uscc_check,
)

numbers = st.builds(lambda _: qn.generate(), st.integers())


@given(numbers)
def test_generated_numbers_are_valid_and_plain(number):
    assert len(number) == 14
    assert set(number) <= set(qn.ALPHABET)
    assert qn.is_valid(number)


@given(numbers, st.integers(min_value=0, max_value=13), st.sampled_from(qn.ALPHABET))
def test_every_single_symbol_error_is_caught(number, position, symbol):
    if number[position] == symbol:
        return
    typo = number[:position] + symbol + number[position + 1 :]
    assert not qn.is_valid(typo)


@given(numbers, st.integers(min_value=0, max_value=12))
def test_every_adjacent_swap_is_caught(number, position):
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    assert not qn.is_valid(swapped)


@given(numbers)
def test_reading_is_tolerant_of_case_dashes_and_lookalikes(number):
    shown = qn.display(number)
    assert qn.normalise(shown.lower()) == number
    tricky = number.replace("0", "O").replace("1", "l")
    assert qn.normalise(tricky) == number


def test_numbers_do_not_repeat():
    seen = {qn.generate() for _ in range(5000)}
    assert len(seen) == 5000


def test_malformed_input_is_invalid():
    for raw in ["", "ABC", "Z" * 14, "0" * 13 + "U", "<script>", "' OR 1=1", "😀" * 14]:
        assert not qn.is_valid(qn.normalise(raw))


@given(
    st.builds(
        lambda province, rest: f"{province}{rest:04d}",
        st.sampled_from(sorted(PROVINCE_CODES)),
        st.integers(min_value=0, max_value=9999),
    ),
    st.dates(
        min_value=__import__("datetime").date(1920, 1, 1),
        max_value=__import__("datetime").date(2020, 12, 31),
    ),
    st.integers(min_value=0, max_value=999),
)
def test_resident_id_check_digit(region, born, seq):
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    number = first17 + resident_id_check(first17)
    assert is_resident_id(number)
    for wrong in "0123456789X":
        if wrong != number[-1]:
            assert not is_resident_id(first17 + wrong)


def test_known_resident_ids():
    assert is_resident_id("11010519491231002X")
    assert not is_resident_id("110105194912310021")
    assert not is_resident_id("110105194913310028")  # month 13
    assert not is_resident_id("11010519491231002")


_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(st.text(alphabet=_USCC, min_size=17, max_size=17))
def test_uscc_check_character(first17):
    number = first17 + uscc_check(first17)
    assert is_uscc(number)
    for wrong in _USCC:
        if wrong != number[-1]:
            assert not is_uscc(first17 + wrong)


def test_known_uscc():
    assert is_uscc("91350100M000100Y43")
    assert not is_uscc("91350100M000100Y44")
    assert not is_uscc("91350100M000100YI3")  # I is not in the alphabet
