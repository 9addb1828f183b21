"""LinkedIn and social sign-in are configured from the environment, each only with a client id."""

from __future__ import annotations

import datetime as dt
import typing as t

from wallet.config import Config
from wallet.config import LinkedInSettings

if t.TYPE_CHECKING:
    from pathlib import Path


def test_nothing_is_offered_without_client_ids(tmp_path: Path) -> None:
    config = Config.from_env({"WALLET_INSTANCE_PATH": str(tmp_path)})
    assert not config.linkedin.enabled
    assert config.social_providers == ()


def test_each_provider_is_offered_when_its_client_id_is_set(tmp_path: Path) -> None:
    config = Config.from_env(
        {
            "WALLET_INSTANCE_PATH": str(tmp_path),
            "LINKEDIN_CLIENT_ID": "li",
            "LINKEDIN_CLIENT_SECRET": "li-secret",
            "GITHUB_CLIENT_ID": "gh",
            "GITHUB_CLIENT_SECRET": "gh-secret",
        }
    )
    assert config.linkedin.enabled
    assert config.linkedin.client_secret == "li-secret"
    assert config.linkedin.auth_base == "https://www.linkedin.com"
    assert [(p.backend, p.key, p.secret) for p in config.social_providers] == [
        ("linkedin-openidconnect", "li", "li-secret"),
        ("github", "gh", "gh-secret"),
    ]


def test_the_linkedin_api_version_is_one_linkedin_still_serves() -> None:
    # LinkedIn supports each monthly version for about a year, then answers 426: move it on.
    version = dt.datetime.strptime(LinkedInSettings.api_version, "%Y%m").replace(tzinfo=dt.UTC)
    assert dt.datetime.now(dt.UTC) - version < dt.timedelta(days=330)
