import pytest

from rapport.core.config import SettingsError, load_settings


def test_defaults_are_an_embedded_sqlite_on_localhost(monkeypatch):
    for name in ("DATABASE_URL", "RAPPORT_HOST", "RAPPORT_PORT", "RAPPORT_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url == "sqlite:///./rapport.db"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    "name, value",
    [
        ("RAPPORT_PORT", "eighty"),
        ("RAPPORT_PORT", "70000"),
        ("DATABASE_URL", "mysql://x"),
        ("RAPPORT_LOG_LEVEL", "chatty"),
        ("RAPPORT_SECRET_KEY", "short"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert name in str(error.value)
    assert "\n" not in str(error.value)


def test_a_plain_postgresql_url_uses_the_shipped_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert load_settings().database_url == "postgresql+psycopg://u@h/db"


def test_the_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RAPPORT_SECRET_KEY", raising=False)
    first = load_settings().resolved_secret_key()
    assert len(first) >= 32
    assert load_settings().resolved_secret_key() == first
    assert (tmp_path / ".rapport-secret").stat().st_mode & 0o077 == 0
