"""The wallet's mixed workload for locust; ``bench/load.py`` seeds the data and drives it.

Three kinds of visitor, weighted as a public wallet sees them:
- earners (signed in) open their backpack and their awards, look at their public award pages and
  share them;
- employers (anonymous) open earners' skill pages, profiles and public award pages;
- an issuer's system pushes batches of awards through the OAuth2 API and reads the event feed.

Earners start signed in when the population carries their session cookie (``bench/load.py``
signs them in before the clock starts). The seeded population comes from the JSON file named by
``WALLET_LOAD_DATA`` (written by ``bench/load.py``): earners (email, password, handle, award ids
and public ids), and the issuer's client id, secret and achievement id.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import typing as t
import uuid

from locust import HttpUser
from locust import between
from locust import task

#: How many awards one API batch carries.
BATCH = 10

_data: dict[str, t.Any] = {}
_earners = itertools.count()


def data() -> dict[str, t.Any]:
    """Return the seeded population (read once per process)."""
    if not _data:
        with open(os.environ["WALLET_LOAD_DATA"]) as file:
            _data.update(json.load(file))
    return _data


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


class Earner(HttpUser):
    """A signed-in earner browsing their backpack and sharing their awards."""

    weight = 5
    wait_time = between(1, 3)

    def on_start(self) -> None:
        earners = data()["earners"]
        self.earner = earners[next(_earners) % len(earners)]
        if self.earner.get("session"):
            # Signed in by bench/load.py before the clock started.
            self.client.cookies.set("wallet_session", self.earner["session"])
            return
        form = self.client.get("/sign-in", name="/sign-in")
        self.client.post(
            "/sign-in",
            data={
                "csrf_token": _csrf(form.text),
                "email": self.earner["email"],
                "password": self.earner["password"],
            },
            name="/sign-in [POST]",
        )

    def _public_id(self) -> str:
        return str(random.choice(self.earner["public_ids"]))

    @task(4)
    def backpack(self) -> None:
        self.client.get("/wallet", name="/wallet")

    @task(2)
    def award(self) -> None:
        award_id = random.choice(self.earner["award_ids"])
        self.client.get(f"/wallet/awards/{award_id}", name="/wallet/awards/<id>")

    @task(2)
    def public_page(self) -> None:
        self.client.get(f"/a/{self._public_id()}", name="/a/<public_id>")

    @task(1)
    def share(self) -> None:
        with self.client.get(
            f"/a/{self._public_id()}/share/linkedin",
            name="/a/<public_id>/share/linkedin",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"expected a redirect to LinkedIn, got {response.status_code}")


class Employer(HttpUser):
    """An anonymous employer checking earners' verified skills and awards."""

    weight = 4
    wait_time = between(1, 3)

    def _earner(self) -> dict[str, t.Any]:
        return t.cast(dict[str, t.Any], random.choice(data()["earners"]))

    @task(3)
    def skills(self) -> None:
        self.client.get(f"/@{self._earner()['handle']}/skills", name="/@<handle>/skills")

    @task(1)
    def skills_json(self) -> None:
        self.client.get(f"/@{self._earner()['handle']}/skills.json", name="/@<handle>/skills.json")

    @task(1)
    def profile(self) -> None:
        self.client.get(f"/@{self._earner()['handle']}", name="/@<handle>")

    @task(2)
    def public_page(self) -> None:
        public_id = random.choice(self._earner()["public_ids"])
        self.client.get(f"/a/{public_id}", name="/a/<public_id>")


class Issuer(HttpUser):
    """An issuer's system: batches of awards through the API, and the event feed."""

    #: Two systems pushing, whatever the number of users; earners and employers share the rest.
    fixed_count = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        issuer = data()["issuer"]
        response = self.client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(issuer["client_id"], issuer["client_secret"]),
            name="/oauth/token",
        )
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        self.achievement = issuer["achievement_id"]
        self.cursor = 0

    @task(1)
    def batch(self) -> None:
        items = [
            {
                "achievement_id": self.achievement,
                "recipient": {"email": f"load-{uuid.uuid4().hex[:12]}@example.org"},
            }
            for _ in range(BATCH)
        ]
        self.client.post(
            "/api/v1/awards/batch",
            json={"items": items},
            headers=self.headers | {"Idempotency-Key": uuid.uuid4().hex},
            name=f"/api/v1/awards/batch ({BATCH})",
        )

    @task(3)
    def feed(self) -> None:
        response = self.client.get(
            f"/api/v1/events?after={self.cursor}&limit=100",
            headers=self.headers,
            name="/api/v1/events",
        )
        if response.ok:
            self.cursor = int(response.json().get("next_cursor") or self.cursor)
