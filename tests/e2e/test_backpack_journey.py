"""An earner on a phone adds badges (files and a link), reads their checks, and re-checks one."""

from __future__ import annotations

import io
import json
import typing as t
import uuid
import zipfile
from pathlib import Path

from tests.e2e.browser import assert_page_is_usable
from tests.e2e.conftest import VIEWPORT
from tests.factories import PASSWORD
from tests.factories import make_award
from tests.factories import make_user
from tests.factories import signed_badge
from tests.issuer_site import IssuerSite
from tests.issuer_site import hosted_ob2
from wallet.badges import baking
from wallet.db import Database

if t.TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import Page

PNG = Path(__file__).parent.parent / "data/vectors/ob2/openbadges-bakery/public_domain_heart.png"


def test_add_badges_see_their_checks_and_recheck_a_revoked_one(
    page: Page, live_server: str, e2e_database_url: str, site: str
) -> None:
    email = f"grace-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        make_user(session, email=email, display_name="Grace Hopper")
    database.dispose()
    files = [
        {
            "name": f"{name}.png",
            "mimeType": "image/png",
            "buffer": baking.bake_png(
                PNG.read_bytes(), json.dumps(signed_badge(email, name=name)), standard="ob3"
            ),
        }
        for name in ("Welding", "Painting")
    ]

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.get_by_role("link", name="Add a badge").click()
    page.get_by_label("Badge files").set_input_files(files)
    page.get_by_role("button", name="Check and add").click()
    assert page.get_by_text("2 of 2 badges added.").is_visible()
    assert page.get_by_role("link", name="Welding").is_visible()
    assert_page_is_usable(page)

    # The form stays below the results, ready for more.
    page.get_by_label("Or paste the badge or its link").fill(hosted_ob2(site, email=email))
    page.get_by_role("button", name="Check and add").click()
    assert page.get_by_role("heading", name="Robotics").is_visible()
    assert page.get_by_text("The issuer's own copy was fetched from its address.").is_visible()
    assert_page_is_usable(page)

    IssuerSite.gone.add("/a/1")
    page.get_by_role("button", name="Check again now").click()
    assert page.get_by_text("Checked again just now.").is_visible()
    assert page.get_by_text("Revoked by its issuer on").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("link", name="Back to your wallet").click()
    assert page.get_by_text("Revoked by its issuer on").is_visible()
    assert page.get_by_role("link", name="Painting").is_visible()
    assert_page_is_usable(page)


def test_accept_a_pending_badge_share_it_and_group_it(
    page: Page, browser: Browser, live_server: str, e2e_database_url: str
) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        user = make_user(session, email=email, display_name="Ada")
        make_award(
            session,
            user,
            achievement_name="Cloud Fundamentals",
            acceptance="pending",
            skills=["cloud technologies"],
        )
    database.dispose()

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    assert page.get_by_role("heading", name="Waiting for your answer").is_visible()
    assert_page_is_usable(page)
    page.get_by_role("button", name="Accept Cloud Fundamentals").click()
    assert page.get_by_text("The badge is in your wallet.").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("button", name="Make public").click()
    public_link = page.get_by_role("link", name="/a/").first.get_attribute("href")
    assert public_link
    stranger = browser.new_context(viewport=VIEWPORT).new_page()
    stranger.goto(f"{live_server}{public_link}")
    assert stranger.get_by_role("heading", name="Cloud Fundamentals").is_visible()
    assert_page_is_usable(stranger)

    page.get_by_role("link", name="Create a collection").click()
    page.get_by_label("Collection name").fill("Job applications")
    page.get_by_role("button", name="Create collection").click()
    page.get_by_label("Anyone with the link").check()
    page.get_by_role("button", name="Save").click()
    assert_page_is_usable(page)
    page.goto(f"{live_server}/wallet")
    page.get_by_role("link", name="Cloud Fundamentals").click()
    page.get_by_label("Add to a collection").select_option(label="Job applications")
    page.get_by_role("button", name="Add", exact=True).click()
    assert page.get_by_text("The badge was added to the collection.").is_visible()
    page.get_by_role("link", name="Job applications").click()
    collection_link = page.get_by_role("link", name="/c/").get_attribute("href")
    assert collection_link
    stranger.goto(collection_link)
    assert stranger.get_by_role("link", name="Cloud Fundamentals").is_visible()
    assert_page_is_usable(stranger)

    page.get_by_label("Private: only you").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Its link will stop working at once").is_visible()
    assert_page_is_usable(page)
    page.get_by_role("button", name="Make it private").click()
    stranger.goto(collection_link)
    assert stranger.get_by_text("not shared, or its link no longer works").is_visible()

    page.goto(f"{live_server}/wallet?skill=cloud+technologies")
    assert page.get_by_role("link", name="Cloud Fundamentals").is_visible()
    page.get_by_role("link", name="Cloud Fundamentals").click()
    page.get_by_role("link", name="Delete from my wallet").click()
    assert_page_is_usable(page)
    page.get_by_role("button", name="Delete it").click()
    assert page.get_by_text("The badge was deleted from your wallet.").is_visible()
    stranger.goto(f"{live_server}{public_link}")
    assert stranger.get_by_text("not shared, or no longer exists").is_visible()
    stranger.context.close()


def test_a_zip_of_badges_is_imported_in_the_background_with_progress_and_results(
    page: Page, live_server: str, e2e_database_url: str
) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        make_user(session, email=email, display_name="Ada Lovelace")
    database.dispose()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ("Knitting", "Weaving", "Dyeing"):
            badge = json.dumps(signed_badge(email, name=name))
            archive.writestr(
                f"{name}.png", baking.bake_png(PNG.read_bytes(), badge, standard="ob3")
            )
        archive.writestr("shopping list.txt", "eggs, wool")

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.get_by_role("link", name="Add a badge").click()
    page.get_by_label("Badge files").set_input_files(
        [{"name": "badges.zip", "mimeType": "application/zip", "buffer": buffer.getvalue()}]
    )
    page.get_by_role("button", name="Check and add").click()

    assert page.get_by_role("heading", name="Adding your badges").is_visible()
    assert page.get_by_role("progressbar").is_visible()
    assert_page_is_usable(page)
    # The page polls and reloads itself once the job has checked every file.
    page.get_by_text("4 of 4 files checked").wait_for(timeout=30_000)
    page.get_by_role("heading", name="All files are checked").wait_for()
    assert page.get_by_role("progressbar").get_attribute("value") == "4"
    for name in ("Knitting", "Weaving", "Dyeing"):
        assert page.get_by_role("link", name=name).is_visible()
    assert page.get_by_text("not added: something is wrong with it").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("link", name="Go to your wallet").click()
    assert page.get_by_role("link", name="Weaving").is_visible()
