"""python -m scripts.console_user prints an entry that signs in with the prompted password."""

import io

from scripts import console_user
from store.users import authenticate, parse_users


def test_prints_an_entry_for_the_prompted_password(monkeypatch, capsys):
    monkeypatch.setattr(console_user.getpass, "getpass", lambda prompt: "long enough pw")
    assert console_user.main(["olga", "operator"]) == 0
    entry = capsys.readouterr().out.strip()
    assert authenticate(parse_users(entry), "olga", "long enough pw").role == "operator"


def test_refuses_a_short_password(monkeypatch, capsys):
    monkeypatch.setattr(console_user.getpass, "getpass", lambda prompt: "short")
    assert console_user.main(["olga", "viewer"]) == 1
    assert capsys.readouterr().out == ""


def test_reads_the_password_from_stdin_for_scripts(monkeypatch, capsys):
    monkeypatch.setattr(console_user.sys, "stdin", io.StringIO("generated-secret-1\n"))
    assert console_user.main(["demo", "operator", "--stdin"]) == 0
    entry = capsys.readouterr().out.strip()
    assert authenticate(parse_users(entry), "demo", "generated-secret-1") is not None
