"""scripts/check-commit-message.py, the commit-msg hook of .pre-commit-config.yaml: a subject of at most 72
characters and a blank line before the body, judged on the message as git keeps it. Run as git runs the hook:
the script on a message file, its exit code and its one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.paths import ROOT

SCRIPT = ROOT / "scripts" / "check-commit-message.py"
XDIST_SPREAD = True


def check(tmp_path, message: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(message, encoding="utf-8")
    return subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, timeout=30)


def refusal(tmp_path, message: str) -> str:
    result = check(tmp_path, message)
    assert result.returncode == 1 and result.stdout == "", result
    assert result.stderr.count("\n") == 1, result.stderr  # one line
    return result.stderr.strip()


@pytest.mark.parametrize(
    "message",
    [
        pytest.param("x" * 72 + "\n", id="72 characters"),
        pytest.param("ø" * 72 + "\n", id="72 characters of two bytes each"),
        pytest.param(
            "Subject\n\nThe body, with a line longer than the subject may be" + " long" * 20 + "\n", id="body"
        ),
        pytest.param("Subject\n\n\nBody after two blank lines\n", id="blank lines"),
        pytest.param("\nSubject after a blank line git strips\n\nBody\n", id="leading blank line"),
        pytest.param("Subject\n# Please enter the commit message" + " long" * 20 + "\n#\n", id="git's comments"),
        # `git commit -v`: the diff below the scissors is no part of the message
        pytest.param("Subject\n# " + "-" * 24 + " >8 " + "-" * 24 + "\ndiff --git a b\n+" + "y" * 99, id="-v"),
        pytest.param("fixup! " + "x" * 72 + "\n", id="fixup of a 72-character subject"),
        pytest.param("Subject   \n   \nBody\n", id="blank line of spaces"),
    ],
)
def test_a_good_message_passes(tmp_path, message):
    result = check(tmp_path, message)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_subject_over_72_characters_is_refused_naming_the_limit(tmp_path):
    assert refusal(tmp_path, "x" * 73 + "\n\nBody\n") == (
        "commit message: the subject is 73 characters, at most 72 are allowed: "
        "shorten it and put the detail in the body"
    )


def test_a_body_without_a_blank_line_after_the_subject_is_refused(tmp_path):
    expected = "commit message: line 2 must be blank: a one-line subject, a blank line, then the body"
    assert refusal(tmp_path, "Subject\nBody right below\n") == expected
    # git drops the comment line, so the body still follows the subject directly
    assert refusal(tmp_path, "Subject\n# a comment\nBody\n") == expected


def test_an_autosquash_prefix_does_not_hide_a_long_subject(tmp_path):
    assert "the subject is 73 characters" in refusal(tmp_path, "fixup! " + "x" * 73 + "\n")


def test_an_unreadable_message_file_is_a_usage_error_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "missing")], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2 and "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_pre_commit_installs_and_runs_it_at_the_commit_msg_stage():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert "commit-msg" in config["default_install_hook_types"]  # `pre-commit install` installs the git hook
    hooks = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    (hook,) = [hook for hook in hooks if hook["entry"].endswith("scripts/check-commit-message.py")]
    assert hook["stages"] == ["commit-msg"]
    # every other hook keeps to the stages it had: none of them judges the message file
    assert "commit-msg" not in config["default_stages"]
    assert all("commit-msg" not in h.get("stages", config["default_stages"]) for h in hooks if h is not hook)
