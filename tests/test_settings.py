"""One settings table: defaults < TOML file < environment < overrides, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import ConfigError, InputError
from sitrep.settings import SETTINGS, Settings, parse_duration


def test_defaults_match_the_table() -> None:
    settings = Settings.load(env={})
    for setting in SETTINGS:
        assert getattr(settings, setting.name) == setting.default, setting.name


def test_every_setting_has_a_field_and_help() -> None:
    fields = set(Settings.__dataclass_fields__)
    assert {s.name for s in SETTINGS} == fields
    assert all(s.help.strip() for s in SETTINGS)


def test_precedence(tmp_path: Path) -> None:
    config = tmp_path / "sitrep.toml"
    config.write_text("[sitrep]\nport = 9001\nhost_delay = 2.5\nobey_robots = false\n")
    env = {"SITREP_PORT": "9002"}
    settings = Settings.load(config_file=config, env=env, host="0.0.0.0")
    assert settings.port == 9002  # environment beats the file
    assert settings.host_delay == 2.5
    assert settings.obey_robots is False
    assert settings.host == "0.0.0.0"  # overrides beat everything
    assert Settings.load(config_file=config, env=env, port=9003).port == 9003


def test_default_store_is_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.load(env={"SITREP_DATA_DIR": str(tmp_path)})
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'sitrep.db'}"
    assert Settings.load(env={"SITREP_DATABASE_URL": "sqlite:///x.db"}).resolved_database_url == (
        "sqlite:///x.db"
    )


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"SITREP_PORT": "eighty"}, "SITREP_PORT"),
        ({"SITREP_OBEY_ROBOTS": "perhaps"}, "obey_robots"),
        ({"SITREP_ALLOW_NETWORKS": "10.0.0.300"}, "allow_networks"),
        ({"SITREP_NEAR_DUPLICATE_THRESHOLD": "1.5"}, "near_duplicate_threshold"),
        ({"SITREP_MAX_BYTES": "0"}, "max_bytes"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError) as excinfo:
        Settings.load(env=env)
    assert excinfo.value.code == "E001"
    assert needle in excinfo.value.message


def test_bad_config_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("port = [")
    for path in (broken, tmp_path / "missing.toml"):
        with pytest.raises(ConfigError) as excinfo:
            Settings.load(config_file=path, env={})
        assert excinfo.value.code == "E002"
        assert str(path) in excinfo.value.message
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("colour = 'red'\n")
    with pytest.raises(ConfigError, match="colour"):
        Settings.load(config_file=unknown, env={})


def test_allowed_networks_parse() -> None:
    settings = Settings.load(env={}, allow_networks="127.0.0.1, 10.1.0.0/16")
    assert [str(n) for n in settings.allowed_networks] == ["127.0.0.1/32", "10.1.0.0/16"]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1.5m", 90)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "15 minutes", "-5m", "0s", "1w"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(InputError) as excinfo:
        parse_duration(text, what="--interval")
    assert excinfo.value.code == "E109"
    assert "--interval" in excinfo.value.message
