"""Engagement at a phone's width: an admin adds a webhook endpoint, copies its secret, sends a
test event, rotates and removes it, reads the analytics; an earner chooses what an issuer sees."""

from __future__ import annotations

import typing as t
import uuid

from tests.e2e.browser import assert_page_is_usable
from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from wallet.config import config_for_tests
from wallet.db import Database
from wallet.db import utcnow
from wallet.engagement import feed
from wallet.events import outbox
from wallet.events.catalog import PathwayCompleted
from wallet.issuers import awarding
from wallet.issuers import service as issuers
from wallet.pathways.models import Pathway

if t.TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page


def _sign_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()


def test_an_admin_manages_webhooks_and_an_earner_chooses_what_issuers_see(
    page: Page, live_server: str, e2e_database_url: str, tmp_path: Path
) -> None:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    keys = config_for_tests(tmp_path).data_keys
    database = Database(e2e_database_url)
    with database.session() as session:
        owner = make_user(session, email=email, display_name="Olga")
        issuer = issuers.create_issuer(
            session,
            owner.id,
            name="Quay College",
            url="https://quay.example",
            email="q@quay.example",
            description="",
            data_keys=keys,
        )
        achievement = issuers.create_achievement(
            session, owner.id, issuer.id, {"name": "Sails", "description": "d", "criteria": "c"}
        )
        issued = awarding.award(
            session,
            owner.id,
            issuer.id,
            achievement.id,
            email=email,
            base_url=live_server,
            data_keys=keys,
        )
        # The admin also holds the award in their own wallet.
        make_award(
            session,
            owner,
            achievement_name="Sails",
            credential_id=f"{live_server}/ob/v3/credentials/{issued.public_id}",
        )
        # An earner completed one of its pathways (numbered here, as the relay would).
        pathway = Pathway(issuer_id=issuer.id, name="Rigging")
        session.add(pathway)
        session.flush()
        done = outbox.record(
            session, PathwayCompleted(pathway_id=pathway.id, issuer_id=pathway.issuer_id)
        )
        done.relayed_at = utcnow()
        session.flush()
        feed.append(session, [done], base_url=live_server, secret_key="e2e")
        issuer_id = issuer.id
        session.commit()
    database.dispose()

    _sign_in(page, live_server, email)
    page.goto(f"{live_server}/issuers/{issuer_id}")
    page.get_by_role("link", name="Webhooks").click()
    assert_page_is_usable(page)
    page.get_by_label("Endpoint URL").fill("https://hooks.quay.example/wallet")
    page.get_by_label("award.shared").check()
    page.get_by_role("button", name="Add the endpoint").click()
    assert page.get_by_text("whsec_").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("link", name="Open the endpoint and send a test event").click()
    page.get_by_role("button", name="Send a test event").click()
    assert page.get_by_text("A test event is on its way").is_visible()
    assert page.get_by_role("heading", name="webhook.test").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("link", name="New secret").click()
    assert_page_is_usable(page)
    page.get_by_role("button", name="Make a new secret").click()
    assert page.get_by_text("whsec_").is_visible()
    assert_page_is_usable(page)
    page.get_by_role("link", name="The endpoint").click()
    page.get_by_role("link", name="Remove").click()
    assert_page_is_usable(page)
    page.get_by_role("button", name="Remove the endpoint").click()
    assert page.get_by_text("The endpoint was removed.").is_visible()

    page.goto(f"{live_server}/issuers/{issuer_id}")
    page.get_by_role("link", name="Analytics").click()
    assert page.get_by_role("heading", name="Sails").is_visible()
    assert page.get_by_role("heading", name="Pathway: Rigging").is_visible()
    assert_page_is_usable(page)

    page.goto(f"{live_server}/settings")
    page.get_by_role("link", name="What issuers see").click()
    assert page.get_by_role("heading", name="Quay College").is_visible()
    assert_page_is_usable(page)
    page.get_by_role("button", name="Share my name and email").click()
    assert page.get_by_text("They see your name and email with your activity.").is_visible()
