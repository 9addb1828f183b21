"""The pages no journey happens to pass through, each checked at a phone's width with axe:
confirmations, the issuer's revoke, domain, team and API pages, and the API's documentation."""

from __future__ import annotations

import typing as t
import uuid

from tests.e2e.browser import assert_page_is_usable
from tests.factories import PASSWORD
from tests.factories import link_in_last_mail
from tests.factories import make_award
from tests.factories import make_user
from wallet.backpack.models import Collection
from wallet.config import config_for_tests
from wallet.db import Database
from wallet.issuer_api import service as api_service
from wallet.issuers import awarding
from wallet.issuers import members
from wallet.issuers import service as issuers

if t.TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

    from wallet.config import Config


def test_the_remaining_pages_fit_a_phone_and_pass_axe(
    page: Page, live_server: str, e2e_database_url: str, tmp_path: Path, base_config: Config
) -> None:
    email = f"owner-{uuid.uuid4().hex[:8]}@example.org"
    keys = config_for_tests(tmp_path).data_keys
    database = Database(e2e_database_url)
    with database.session() as session:
        owner = make_user(session, email=email, display_name="Olga")
        award = make_award(session, owner, visibility="public", achievement_name="Welding")
        collection = Collection(user_id=owner.id, name="Portfolio", visibility="link")
        session.add(collection)
        issuer = issuers.create_issuer(
            session,
            owner.id,
            name="Dock School",
            url="https://dock.example",
            email="d@dock.example",
            description="",
            data_keys=keys,
        )
        achievement = issuers.create_achievement(
            session, owner.id, issuer.id, {"name": "Knots", "description": "d", "criteria": "c"}
        )
        issued = awarding.award(
            session,
            owner.id,
            issuer.id,
            achievement.id,
            email="someone@example.org",
            base_url=live_server,
            data_keys=keys,
        )
        by_phone = awarding.award(
            session,
            owner.id,
            issuer.id,
            achievement.id,
            phone="+15550100200",
            base_url=live_server,
            data_keys=keys,
        )
        claim = awarding.claim_url(base_config.secret_key, live_server, by_phone)
        assert claim is not None
        members.invite(
            session, owner.id, issuer.id, email=email, role="admin", base_url=live_server
        )
        api_service.create_client(
            session, owner.id, issuer.id, name="Registrar", scopes=["awards:write"]
        )
        ids = (award.id, collection.id, issuer.id, issued.public_id, owner.id)
        session.commit()
        join = link_in_last_mail(session, email, "/issuers/join/")
    database.dispose()
    award_id, collection_id, issuer_id, issued_id, owner_id = ids

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()

    page.goto(f"{live_server}/wallet/awards/{award_id}")
    page.get_by_role("button", name="Make private").click()
    assert page.get_by_text("will stop working at once").is_visible()
    assert_page_is_usable(page)

    for path, words in (
        (f"/wallet/collections/{collection_id}/delete", "Delete the collection"),
        (f"/issuers/{issuer_id}/awards/{issued_id}/revoke", "Revoke"),
        (f"/issuers/{issuer_id}/domain", "Verify your domain"),
        (f"/issuers/{issuer_id}/members/{owner_id}/remove", "Leave Dock School?"),
        (f"/issuers/{issuer_id}/clients", "Registrar"),
        ("/api/v1/docs", "awards"),
        (join, "Join Dock School"),
        (claim.removeprefix(live_server), "Dock School awarded you “Knots”"),
    ):
        response = page.goto(f"{live_server}{path}")
        assert response is not None
        assert response.status == 200, path
        assert page.get_by_text(words).first.is_visible(), path
        assert_page_is_usable(page)
