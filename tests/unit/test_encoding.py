"""HCL values as `terraform fmt` writes them, and strings that can never turn into expressions."""

from idura_cognito.encoding import body, expression, string


def test_template_sequences_in_values_are_escaped():
    assert string("a ${var.x} %{ if } b") == '"a $${var.x} %%{ if } b"'
    assert string('quote " and \\ and \n') == '"quote \\" and \\\\ and \\n"'


def test_runs_of_single_line_attributes_are_aligned_and_multiline_values_break_the_run():
    text = body({"a": "1", "long_name": 2, "obj": {"k": "v", "longer": True}, "b": [1, 2], "cc": None}, 1)
    assert text.splitlines() == [
        '  a         = "1"',
        "  long_name = 2",
        "  obj = {",
        '    k      = "v"',
        "    longer = true",
        "  }",
        "  b  = [1, 2]",
        "  cc = null",
    ]


def test_lists_of_objects_and_odd_keys():
    assert expression([{"name": "MitID"}], 0) == '[\n  {\n    name = "MitID"\n  },\n]'
    assert body({"custom:ssn": "ssn"}, 0) == '"custom:ssn" = "ssn"'
