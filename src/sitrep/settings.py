"""One settings table: name, type, default, help.

Precedence: defaults < config file (TOML) < environment (``SITREP_<NAME>``) < explicit
overrides (CLI flags). docs/configuration.md is generated from :data:`SETTINGS`.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from sitrep.errors import ConfigError, InputError

__all__ = ["SETTINGS", "Setting", "Settings", "parse_duration"]

APP = "sitrep"
PROJECT_URL = "https://github.com/sitrep-project/sitrep"


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str

    @property
    def env(self) -> str:
        return f"SITREP_{self.name.upper()}"


def _default_data_dir() -> str:
    return platformdirs.user_data_dir(APP, appauthor=False)


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", str, "", "Folder for sitrep's own files. Empty: the user data dir."),
    Setting(
        "database_url",
        str,
        "",
        "SQLAlchemy URL of the store, e.g. sqlite:////path/sitrep.db or "
        "postgresql+psycopg://user@host/db. Empty: sitrep.db in data_dir.",
    ),
    Setting("user_agent", str, f"sitrep/0.1 (+{PROJECT_URL})", "User-Agent sent with requests."),
    Setting("connect_timeout", float, 10.0, "Seconds to wait for a TCP/TLS connection."),
    Setting("read_timeout", float, 30.0, "Seconds to wait for the next bytes of a response."),
    Setting("total_timeout", float, 120.0, "Seconds one download may take in all."),
    Setting("max_bytes", int, 10_000_000, "Largest response or input file accepted, in bytes."),
    Setting("max_redirects", int, 5, "Redirects followed before giving up."),
    Setting("retries", int, 3, "Retries on 429, 5xx, timeouts and dropped connections."),
    Setting("backoff", float, 1.0, "First retry delay in seconds; doubles on each retry."),
    Setting("backoff_max", float, 60.0, "Longest retry delay, also caps Retry-After."),
    Setting("host_delay", float, 1.0, "Minimum seconds between two requests to one host."),
    Setting("obey_robots", bool, True, "Obey robots.txt (switch off only for your own sites)."),
    Setting(
        "allow_networks",
        str,
        "",
        "Comma-separated addresses/CIDRs that may be fetched although private or "
        "loopback (e.g. 127.0.0.1). By default such addresses are refused.",
    ),
    Setting(
        "near_duplicate_threshold",
        float,
        0.8,
        "Share of an article's word 5-shingles found in an earlier article (MinHash "
        "estimate) from which it counts as a near-duplicate (syndicated copy) of it.",
    ),
    Setting("min_words", int, 40, "Articles with fewer body words are skipped as too short."),
    Setting("feed_interval", str, "15m", "Default polling interval of a new feed."),
    Setting(
        "gazetteer_path",
        str,
        "",
        "Gazetteer index file that sitrep builds from GeoNames data and the places "
        "supplement. Empty: gazetteer.sqlite in data_dir.",
    ),
    Setting(
        "geonames_url",
        str,
        "https://download.geonames.org/export/dump/",
        "Where `sitrep gazetteer update` downloads GeoNames' full dumps from (a folder "
        "laid out like GeoNames' export/dump/: XX.zip, alternatenames/XX.zip, "
        "admin1CodesASCII.txt, admin2Codes.txt).",
    ),
    Setting(
        "geonames_max_bytes",
        int,
        2_000_000_000,
        "Largest GeoNames dump file downloaded, in bytes (allCountries.zip is ~400 MB).",
    ),
    Setting(
        "geonames_timeout",
        float,
        3600.0,
        "Seconds one GeoNames dump download may take in all (instead of total_timeout).",
    ),
    Setting("host", str, "127.0.0.1", "Address `sitrep serve` listens on."),
    Setting("port", int, 8000, "Port `sitrep serve` listens on."),
    Setting(
        "actor_files",
        str,
        "",
        "Comma-separated YAML files of extra actors, aliases and relations, merged over "
        "the bundled knowledge base.",
    ),
    Setting(
        "anonymous_read",
        bool,
        True,
        "Let visitors who are not logged in read pages and the API (as viewers). Off: "
        "everything but the login page needs an account.",
    ),
    Setting(
        "secure_cookies",
        str,
        "auto",
        "Mark session cookies Secure (sent over HTTPS only): on, off, or auto (on unless "
        "host is 127.0.0.1, ::1 or localhost and the request came over plain HTTP).",
    ),
    Setting("session_lifetime", str, "12h", "How long a login lasts, e.g. 30m, 12h, 7d."),
    Setting(
        "login_max_failures",
        int,
        5,
        "Failed logins for one name from one client address within login_window after "
        "which further attempts are refused until the window has passed.",
    ),
    Setting("login_window", str, "15m", "The period over which failed logins are counted."),
    Setting(
        "public_url",
        str,
        "",
        "The site's address as readers reach it (https://sitrep.example.org), for links in "
        "feeds and e-mails. Empty: http://host:port.",
    ),
    Setting("smtp_host", str, "", "Mail server that alerts are sent through. Empty: no mail."),
    Setting("smtp_port", int, 587, "Port of the mail server."),
    Setting(
        "smtp_tls",
        str,
        "starttls",
        "How the mail connection is secured: starttls, ssl (implicit TLS, port 465) or none.",
    ),
    Setting("smtp_user", str, "", "User name for the mail server. Empty: no login."),
    Setting("smtp_password", str, "", "Password for the mail server."),
    Setting("smtp_timeout", float, 30.0, "Seconds to wait for the mail server."),
    Setting("mail_from", str, "", "Sender address of alert e-mails, e.g. sitrep@example.org."),
    Setting("digest_hour", int, 7, "Hour of the day (UTC, 0-23) daily and weekly digests go out."),
    Setting(
        "alert_retry_max",
        str,
        "1h",
        "Longest wait between two attempts to send an alert that failed; the wait doubles "
        "from one minute up to this.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    data_dir: str = ""
    database_url: str = ""
    user_agent: str = _BY_NAME["user_agent"].default
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0
    backoff_max: float = 60.0
    host_delay: float = 1.0
    obey_robots: bool = True
    allow_networks: str = ""
    near_duplicate_threshold: float = 0.8
    min_words: int = 40
    feed_interval: str = "15m"
    gazetteer_path: str = ""
    geonames_url: str = _BY_NAME["geonames_url"].default
    geonames_max_bytes: int = 2_000_000_000
    geonames_timeout: float = 3600.0
    host: str = "127.0.0.1"
    port: int = 8000
    actor_files: str = ""
    anonymous_read: bool = True
    secure_cookies: str = "auto"
    session_lifetime: str = "12h"
    login_max_failures: int = 5
    login_window: str = "15m"
    public_url: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_tls: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 30.0
    mail_from: str = ""
    digest_hour: int = 7
    alert_retry_max: str = "1h"

    @classmethod
    def load(
        cls,
        config_file: str | Path | None = None,
        env: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> Settings:
        """Build settings from defaults, a TOML file, the environment and overrides."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        path = config_file or env.get("SITREP_CONFIG")
        if path:
            values.update(_read_config(Path(path)))
        for setting in SETTINGS:
            if setting.env in env:
                values[setting.name] = env[setting.env]
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(_BY_NAME)
        if unknown:
            raise ConfigError("E001", f"unknown setting(s): {', '.join(sorted(unknown))}")
        coerced = {name: _coerce(_BY_NAME[name], value) for name, value in values.items()}
        return cls(**coerced).validated()

    def validated(self) -> Settings:
        positive = ("connect_timeout", "read_timeout", "total_timeout", "max_bytes", "port")
        for name in (*positive, "geonames_max_bytes", "geonames_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError("E001", f"setting {name} must be positive")
        if not 0.0 < self.near_duplicate_threshold <= 1.0:
            raise ConfigError("E001", "setting near_duplicate_threshold must be in (0, 1]")
        self.allowed_networks  # noqa: B018 - parse now so a bad value fails at start-up
        parse_duration(self.feed_interval, what="setting feed_interval")
        for name in ("session_lifetime", "login_window"):
            parse_duration(getattr(self, name), what=f"setting {name}")
        if self.login_max_failures < 1:
            raise ConfigError("E001", "setting login_max_failures must be positive")
        if self.secure_cookies not in ("on", "off", "auto"):
            raise ConfigError("E001", "setting secure_cookies must be on, off or auto")
        self._validate_mail()
        return self

    def _validate_mail(self) -> None:
        if self.smtp_tls not in ("none", "starttls", "ssl"):
            raise ConfigError("E001", "setting smtp_tls must be none, starttls or ssl")
        if not 0 <= self.digest_hour <= 23:
            raise ConfigError("E001", "setting digest_hour must be an hour from 0 to 23")
        if self.smtp_timeout <= 0:
            raise ConfigError("E001", "setting smtp_timeout must be positive")
        if self.public_url and not re.match(r"^https?://[^/\s]+", self.public_url):
            raise ConfigError("E001", "setting public_url must be an http(s) URL")
        parse_duration(self.alert_retry_max, what="setting alert_retry_max")

    @property
    def site_url(self) -> str:
        """The base of links in feeds and e-mails, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes).validated()

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir or _default_data_dir())

    @property
    def actor_paths(self) -> tuple[str, ...]:
        """The user's actor files, in the order ``actor_files`` lists them."""
        return tuple(p for p in (part.strip() for part in self.actor_files.split(",")) if p)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_path / 'sitrep.db'}"

    @property
    def allowed_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        nets = []
        for part in filter(None, (p.strip() for p in self.allow_networks.split(","))):
            try:
                nets.append(ipaddress.ip_network(part, strict=False))
            except ValueError as exc:
                raise ConfigError(
                    "E001", f"setting allow_networks: {part!r} is not an address or CIDR"
                ) from exc
        return tuple(nets)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError("E002", f"cannot read config file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("E002", f"config file {path} is not valid TOML: {exc}") from exc
    section = data.get("sitrep", data)
    return dict(section)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _coerce(setting: Setting, value: Any) -> Any:
    try:
        if setting.type is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise ValueError(value)
        return setting.type(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            "E001",
            f"setting {setting.name} ({setting.env}): {value!r} is not a valid "
            f"{setting.type.__name__}",
        ) from exc


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str, what: str = "duration") -> int:
    """Parse '90', '90s', '15m', '2h', '1d' into whole seconds (at least 1)."""
    match = _DURATION.match(text or "")
    if not match:
        raise InputError(
            "E109", f"{what}: {text!r} is not a duration", "use e.g. 30s, 15m, 2h or 1d"
        )
    seconds = int(float(match.group(1)) * _UNIT[match.group(2)])
    if seconds < 1:
        raise InputError("E109", f"{what}: {text!r} is shorter than one second")
    return seconds
