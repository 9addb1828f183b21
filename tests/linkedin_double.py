"""A local LinkedIn for tests: a real HTTP server that follows LinkedIn's documented contract.

It serves sign-in (``/oauth/v2/authorization``, ``/oauth/v2/accessToken``, the JWKS, and
``/v2/userinfo``), the Images API (``/rest/images?action=initializeUpload`` and the upload URL)
and the Posts API (``/rest/posts``), with LinkedIn's quirks: an ID token without ``nonce``, a
token endpoint that takes the client secret only in the body, ``LinkedIn-Version`` and
``X-Restli-Protocol-Version: 2.0.0`` required, 201 with ``x-restli-id``, 401 for an expired or
unknown token, 422 for a body it cannot accept. Everything it received is kept for assertions.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
import typing as t
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

#: One signing key for every double of the run (generating one takes a while).
_KEY = RSAKey.generate_key(2048, parameters={"kid": "double-key", "use": "sig", "alg": "RS256"})


@dataclass
class Received:
    """One request the double received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> t.Any:
        """Return the body as JSON."""
        return json.loads(self.body)


@dataclass
class LinkedInDouble:
    """The state of the local LinkedIn: members, codes, tokens, uploads, posts."""

    url: str = ""
    client_id: str = "wallet-test"
    client_secret: str = "double-secret"
    member: dict[str, t.Any] = field(
        default_factory=lambda: {
            "sub": "782bbtaQ",
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "email_verified": True,
        }
    )
    received: list[Received] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    posts: list[dict[str, t.Any]] = field(default_factory=list)
    #: A status the next ``/rest/posts`` answers with instead of posting (e.g. 422, 500).
    fail_next_post: int | None = None
    #: Claims to change in the ID tokens it signs (to test that a bad one is refused).
    id_token_changes: dict[str, t.Any] = field(default_factory=dict)

    def requests_to(self, path: str) -> list[Received]:
        """Return what was sent to ``path``."""
        return [r for r in self.received if r.path == path]

    def expire_tokens(self) -> None:
        """Make every token given so far unusable (LinkedIn answers 401 then)."""
        self.tokens.clear()

    def discovery(self) -> dict[str, t.Any]:
        """Return the OpenID Connect discovery document, as LinkedIn publishes it."""
        return {
            "issuer": f"{self.url}/oauth",
            "authorization_endpoint": f"{self.url}/oauth/v2/authorization",
            "token_endpoint": f"{self.url}/oauth/v2/accessToken",
            "userinfo_endpoint": f"{self.url}/v2/userinfo",
            "jwks_uri": f"{self.url}/oauth/openid/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email"],
            "claims_supported": ["iss", "aud", "iat", "exp", "sub", "name", "email"],
        }

    def __call__(self, environ: dict[str, t.Any], start_response: t.Any) -> t.Any:
        request = Request(environ)
        body = request.get_data()
        self.received.append(
            Received(
                method=request.method,
                path=request.path,
                query=dict(request.args),
                headers=dict(request.headers),
                body=body,
            )
        )
        response = self._route(request, body)
        return response(environ, start_response)

    def _route(self, request: Request, body: bytes) -> Response:
        path = request.path
        if path == "/oauth/v2/authorization":
            return self._authorize(request)
        if path == "/oauth/v2/accessToken" and request.method == "POST":
            return self._token(request)
        if path == "/oauth/.well-known/openid-configuration":
            return _json(self.discovery())
        if path == "/oauth/openid/jwks":
            return _json({"keys": [_KEY.as_dict(private=False)]})
        member = self._member(request)
        if member is None:
            return _json({"status": 401, "message": "Invalid access token"}, 401)
        if path == "/v2/userinfo":
            return _json(self.member)
        if path.startswith("/upload/") and request.method == "PUT":
            self.uploads[path.rsplit("/", 1)[1]] = body
            return Response(status=201)
        problem = self._rest_headers_problem(request)
        if problem:
            return _json({"status": 400, "message": problem}, 400)
        if path == "/rest/images" and request.args.get("action") == "initializeUpload":
            owner = json.loads(body)["initializeUploadRequest"]["owner"]
            if owner != f"urn:li:person:{member}":
                return _json({"status": 403, "message": "not the owner"}, 403)
            image = secrets.token_hex(6)
            return _json(
                {
                    "value": {
                        "uploadUrlExpiresAt": int(time.time() * 1000) + 3600_000,
                        "uploadUrl": f"{self.url}/upload/{image}",
                        "image": f"urn:li:image:{image}",
                    }
                }
            )
        if path == "/rest/posts" and request.method == "POST":
            return self._post(member, json.loads(body))
        return _json({"status": 404}, 404)

    def _authorize(self, request: Request) -> Response:
        """Sign the member in and allow at once: redirect back with a code and the state."""
        if request.args.get("client_id") != self.client_id:
            return Response("unknown client", status=400)
        code = secrets.token_urlsafe(12)
        self.codes[code] = request.args["redirect_uri"]
        query = {"code": code, "state": request.args.get("state", "")}
        return Response(
            status=302, headers={"Location": f"{request.args['redirect_uri']}?{urlencode(query)}"}
        )

    def _token(self, request: Request) -> Response:
        if "Authorization" in request.headers:  # LinkedIn: "basic auth is not supported"
            return _json({"error": "invalid_request"}, 400)
        form = request.form
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return _json({"error": "invalid_client"}, 401)
        if self.codes.pop(form.get("code", ""), None) != form.get("redirect_uri"):
            return _json({"error": "invalid_grant"}, 400)
        token = secrets.token_urlsafe(24)
        self.tokens[token] = self.member["sub"]
        now = int(time.time())
        claims = {
            "iss": f"{self.url}/oauth",
            "aud": self.client_id,
            "sub": self.member["sub"],
            "iat": now,
            "exp": now + 3600,
            "name": self.member["name"],
            # No "nonce": LinkedIn's ID tokens never carry one.
            **self.id_token_changes,
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "double-key"}, claims, _KEY)
        return _json(
            {
                "access_token": token,
                "expires_in": 5183999,
                "scope": "email,openid,profile,w_member_social",
                "token_type": "Bearer",
                "id_token": id_token,
            }
        )

    def _member(self, request: Request) -> str | None:
        auth = request.headers.get("Authorization", "")
        return self.tokens.get(auth.removeprefix("Bearer ")) if auth.startswith("Bearer ") else None

    @staticmethod
    def _rest_headers_problem(request: Request) -> str:
        if not request.headers.get("LinkedIn-Version", "").isdigit():
            return "LinkedIn-Version header missing"
        if request.headers.get("X-Restli-Protocol-Version") != "2.0.0":
            return "X-Restli-Protocol-Version 2.0.0 required"
        return ""

    def _post(self, member: str, post: dict[str, t.Any]) -> Response:
        if self.fail_next_post is not None:
            status, self.fail_next_post = self.fail_next_post, None
            return _json({"status": status, "message": "refused by the double"}, status)
        article = post.get("content", {}).get("article", {})
        image = str(article.get("thumbnail", "")).removeprefix("urn:li:image:")
        if (
            post.get("author") != f"urn:li:person:{member}"
            or not isinstance(post.get("commentary"), str)
            or post.get("lifecycleState") != "PUBLISHED"
            or not article.get("source")
            or not article.get("title")
            or image not in self.uploads
        ):
            return _json({"status": 422, "message": "unprocessable"}, 422)
        self.posts.append(post)
        urn = f"urn:li:share:{7000000000000000000 + len(self.posts)}"
        return Response(status=201, headers={"x-restli-id": urn})


def _json(data: t.Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


@contextlib.contextmanager
def serving() -> t.Iterator[LinkedInDouble]:
    """Run a LinkedIn double on a free loopback port."""
    double = LinkedInDouble()
    server = make_server("127.0.0.1", 0, double, threaded=True)
    double.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield double
    finally:
        server.shutdown()
        thread.join(timeout=5)
