"""An issuer on a phone creates its organisation and a badge, awards it to someone without a
wallet; that person claims it from the mail, signs up, confirms, and accepts it."""

from __future__ import annotations

import typing as t
import uuid

from tests.e2e.browser import assert_page_is_usable
from tests.e2e.browser import link_in
from tests.e2e.browser import wait_for_mail
from tests.factories import PASSWORD
from tests.factories import make_user
from wallet.db import Database

if t.TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import Page

NEW_PASSWORD = "maple lantern orbit 73"


def test_an_issuer_awards_a_badge_that_a_newcomer_claims_and_accepts(
    page: Page,
    browser: Browser,
    live_server: str,
    e2e_database_url: str,
    smtp_server: tuple[str, int, t.Any],
) -> None:
    inbox = smtp_server[2]
    staff_email = f"staff-{uuid.uuid4().hex[:8]}@example.org"
    newcomer = f"newcomer-{uuid.uuid4().hex[:8]}@example.org"
    database = Database(e2e_database_url)
    with database.session() as session:
        make_user(session, email=staff_email, display_name="Grace")
    database.dispose()

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(staff_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.get_by_role("link", name="Issue badges").click()
    assert page.get_by_text("You are not part of an issuer yet").is_visible()
    assert_page_is_usable(page)
    page.get_by_label("Organisation name").fill("Harbour Trade School")
    page.get_by_label("Web site").fill("https://harbour.example")
    page.get_by_label("Contact email").fill("badges@harbour.example")
    page.get_by_role("button", name="Create organisation").click()
    assert page.get_by_role("heading", name="Harbour Trade School").is_visible()
    assert_page_is_usable(page)

    page.get_by_role("link", name="New achievement").click()
    page.get_by_label("Name", exact=True).fill("Rope Work")
    page.get_by_label("Type").select_option("Competency")
    page.get_by_label("Description").fill("Ties the **six** knots every deckhand needs.")
    page.get_by_label("How to earn it").fill("Tie each knot in front of an instructor.")
    page.get_by_label("Skills").fill("tie knots | ESCO | S1.2 | https://esco.example/knots")
    assert_page_is_usable(page)
    page.get_by_role("button", name="Create achievement").click()
    assert page.get_by_role("heading", name="Rope Work").is_visible()
    assert_page_is_usable(page)

    page.get_by_label("Earner's email").fill(newcomer)
    page.get_by_label("Earner's name").fill("Nell")
    page.get_by_role("button", name="Award", exact=True).click()
    assert page.get_by_text(f"Awarded to {newcomer}").is_visible()

    page.get_by_label("CSV file").set_input_files(
        {
            "name": "cohort.csv",
            "mimeType": "text/csv",
            "buffer": b"email,name\nlee@example.org,Lee\nnot an address,Max\n",
        }
    )
    page.get_by_role("button", name="Upload and award").click()
    assert page.get_by_role("heading", name="Awarding from cohort.csv").is_visible()
    for _ in range(30):  # the worker awards the rows; the page's script reloads when done
        if page.get_by_role("heading", name="Done").count():
            break
        page.wait_for_timeout(500)
    assert page.get_by_text("Awarded: 1. Not awarded: 1.").is_visible()
    assert_page_is_usable(page)
    page.go_back()

    claim = wait_for_mail(inbox, newcomer)
    assert "Harbour Trade School has awarded you the badge “Rope Work”" in claim
    person = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    person.goto(link_in(claim))
    person.get_by_label("Your name").fill("Nell")
    person.get_by_label("Email").fill(newcomer)
    person.get_by_label("Password").fill(NEW_PASSWORD)
    person.get_by_role("button", name="Create account").click()
    person.goto(link_in(wait_for_mail(inbox, newcomer)))
    person.get_by_role("button", name="Confirm my address").click()
    person.get_by_label("Email").fill(newcomer)
    person.get_by_label("Password").fill(NEW_PASSWORD)
    person.get_by_role("button", name="Sign in").last.click()
    # The worker delivers the award once the address is confirmed: the wallet shows it then.
    for _ in range(30):
        if person.get_by_role("heading", name="Waiting for your answer").count():
            break
        person.wait_for_timeout(500)
        person.reload()
    assert_page_is_usable(person)
    person.get_by_role("link", name="Rope Work").click()
    assert person.get_by_text("Harbour Trade School sent you this badge").is_visible()
    assert_page_is_usable(person)
    person.get_by_role("button", name="Accept", exact=True).click()
    assert person.get_by_text("The badge is in your wallet.").is_visible()
    assert person.get_by_text("matches: nothing was changed").is_visible()
    person.context.close()

    page.get_by_role("link", name="Harbour Trade School").click()
    page.get_by_role("link", name="Team").click()
    assert page.get_by_role("heading", name="Team").is_visible()
    assert_page_is_usable(page)
    page.go_back()
    page.get_by_role("link", name="Audit log").click()
    assert page.get_by_text("award.created").first.is_visible()
    assert_page_is_usable(page)

    # Correcting an award: replace asks first, expire signs a new expiry.
    page.go_back()
    page.get_by_role("link", name=f"Replace {newcomer}").first.click()
    assert page.get_by_label("Earner's email").input_value() == newcomer
    assert_page_is_usable(page)
    page.get_by_role("link", name="Keep it").click()
    page.get_by_role("link", name=f"Expire {newcomer}").first.click()
    assert_page_is_usable(page)
    page.get_by_role("button", name="Set the expiry").click()
    assert page.get_by_text("The award's expiry is set.").is_visible()
