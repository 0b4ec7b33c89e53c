"""The escrow's Secrets Manager name, its one-document value, and the secret checks."""

import re

import pytest

from idura_cognito.definitions.naming import escrow_name
from idura_cognito.escrow import EscrowContent, SecretInputError, check_secret, digest, document, parse

_ALLOWED = re.compile(r"^[A-Za-z0-9/_+=.@-]+$")


def test_safe_client_id_is_used_as_is():
    assert escrow_name("acme.idura.broker", "acme-web") == "idura-cognito/acme.idura.broker/acme-web"


def test_urn_client_id_becomes_a_readable_slug_with_a_hash():
    # Pinned: changing the mapping would orphan every escrow users already have.
    name = escrow_name("acme.idura.broker", "urn:idura:samples:aws:cognito")
    assert name == "idura-cognito/acme.idura.broker/urn-idura-samples-aws-cognito-46011608"
    assert _ALLOWED.match(name)


def test_distinct_client_ids_never_share_an_escrow():
    # Same slug after replacing the forbidden characters, different client ids.
    assert escrow_name("d.io", "urn:a:b") != escrow_name("d.io", "urn a b")
    assert escrow_name("d.io", "urn:a:b") != escrow_name("d.io", "urn-a-b")


def test_emulator_domain_port_is_made_name_safe():
    assert _ALLOWED.match(escrow_name("localhost:8443", "x"))


def test_one_trailing_newline_is_stripped():
    assert check_secret("abc\n") == "abc"
    assert check_secret("abc\r\n") == "abc"


@pytest.mark.parametrize("value", ["", "\n", "a b", "a\tb", "a\nb\n", "x" * 4097])
def test_unusable_secrets_are_refused_without_echoing_them(value):
    with pytest.raises(SecretInputError) as caught:
        check_secret(value)
    if value.strip():
        assert value.strip() not in str(caught.value)


def test_digest_is_short_and_stable():
    assert digest("s3cret") == digest("s3cret")
    assert len(digest("s3cret")) == 12
    assert "s3cret" not in digest("s3cret")


IDURA_LIKE = "q+/Z9kQ1c0Yc3bq2Zf8rX1yJkV7mN0pL4sT6uW8xA2E="  # 44 characters of standard base64, as Idura issues


def test_secret_and_its_idura_id_are_one_document():
    value = document(IDURA_LIKE, "sec_0123456789abcdef")
    assert parse(value) == EscrowContent(IDURA_LIKE, "sec_0123456789abcdef")
    assert document(IDURA_LIKE, None) == '{"client_secret": "' + IDURA_LIKE + '"}'


@pytest.mark.parametrize("legacy", [IDURA_LIKE, "plain-secret", '"quoted"', "123", "[1]", '{"other": 1}'])
def test_a_plain_string_from_before_reads_as_the_secret_with_an_unknown_id(legacy):
    assert parse(legacy) == EscrowContent(legacy, "")
