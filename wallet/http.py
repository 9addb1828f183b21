"""The one outbound HTTP client: every fetch of an untrusted URL goes through here.

Guarantees (see docs/security.md, "Outbound requests"):

- only ``http``/``https`` URLs, no user-info, at most 2,048 characters, default ports only;
- the host is resolved once and refused when any address is private, loopback, link-local
  (cloud metadata), CGNAT, multicast or reserved; the connection goes to the address that was
  checked (``requests-hardened`` pins it, keeping the Host header and TLS name);
- redirects are followed only when asked, at most ``max_redirects`` times, re-checking each hop;
- connect and read timeouts, plus a total deadline that a slow-drip server cannot stretch;
- bodies are streamed and cut off past ``max_bytes`` (counted after decompression);
- the response's content type must be one the caller accepts;
- no proxies or credentials from the environment.

Loopback addresses are allowed only by ``HttpSettings.allow_loopback``, which tests set and
``Config.from_env`` never does.
"""

from __future__ import annotations

import contextlib
import copy
import time
import typing as t
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urljoin
from urllib.parse import urlsplit

import requests
from requests_hardened import Config as HardenedConfig
from requests_hardened import HTTPSession
from requests_hardened.ip_filter import InvalidIPAddress
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from wallet.messages import N_
from wallet.messages import Message

#: Size caps by kind of document.
JSON_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_BYTES = 5 * 1024 * 1024
MAX_URL_LENGTH = 2048
_CHUNK = 64 * 1024
#: Bytes of an error response kept (for webhook delivery logs).
_ERROR_START = 512
_DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchError(Exception):
    """A fetch failed; ``message`` is for people, ``reason`` for code."""

    reason = "fetch_failed"

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        #: A ``Message``, so a verification report can show it in the earner's language.
        self.message = Message.of(message)
        self.url = url


def _too_large(max_bytes: int) -> Message:
    return Message(N_("The document is larger than %(size)s KB."), size=max_bytes // 1024)


class BlockedURL(FetchError):
    """The URL is not one we fetch: scheme, credentials, port, length or a private address."""

    reason = "blocked_url"


class TooLarge(FetchError):
    """The response is larger than the cap for this kind of document."""

    reason = "too_large"


class FetchTimeout(FetchError):
    """The server did not answer, or not completely, in time."""

    reason = "timeout"


class BadContentType(FetchError):
    """The response is not the kind of document asked for."""

    reason = "bad_content_type"


class TooManyRedirects(FetchError):
    """The server redirected more often than allowed (or at all, where none is allowed)."""

    reason = "too_many_redirects"


class ConnectionFailed(FetchError):
    """The host could not be resolved or reached."""

    reason = "connection_failed"


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    reason = "http_status"

    def __init__(self, message: str, *, url: str = "", status: int, content: bytes = b"") -> None:
        super().__init__(message, url=url)
        self.status = status
        #: The start of the error response's body (webhook delivery logs show it).
        self.content = content


@dataclass(frozen=True)
class HttpSettings:
    """Limits of outbound requests."""

    #: Allow loopback addresses and any port (tests only; never from the environment).
    allow_loopback: bool = False
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    #: Deadline for the whole exchange, redirects and body included.
    total_timeout: float = 15.0
    max_redirects: int = 3
    user_agent: str = "TheWallet/0.1 (+credential verification)"


@dataclass(frozen=True)
class Fetched:
    """A successful response, read in full."""

    url: str
    status: int
    content_type: str
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)


class HttpClient:
    """Fetches untrusted URLs within its settings' limits; thread-safe (a session per call)."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        self._hardened = HardenedConfig(
            ip_filter_enable=True,
            ip_filter_allow_loopback_ips=self.settings.allow_loopback,
            never_redirect=True,
            default_timeout=(self.settings.connect_timeout, self.settings.read_timeout),
            user_agent_override=self.settings.user_agent,
        )
        #: The session kept by ``kept_alive`` (None: a fresh session per request).
        self._session: requests.Session | None = None

    def get(
        self,
        url: str,
        *,
        accept: t.Sequence[str],
        max_bytes: int = JSON_MAX_BYTES,
        follow_redirects: bool = True,
        headers: t.Mapping[str, str] | None = None,
    ) -> Fetched:
        """Fetch ``url`` and return its body when it is one of the ``accept`` types."""
        request_headers = {"Accept": ", ".join(accept), **(headers or {})}
        return self._exchange(
            "GET",
            url,
            headers=request_headers,
            body=None,
            accept=accept,
            max_bytes=max_bytes,
            follow_redirects=follow_redirects,
        )

    def post(
        self,
        url: str,
        *,
        body: bytes,
        headers: t.Mapping[str, str],
        max_bytes: int = 64 * 1024,
    ) -> Fetched:
        """POST ``body`` to ``url``; a redirect is a failure (as webhooks require)."""
        return self._exchange(
            "POST",
            url,
            headers=dict(headers),
            body=body,
            accept=(),
            max_bytes=max_bytes,
            follow_redirects=False,
        )

    def put(
        self,
        url: str,
        *,
        body: bytes,
        headers: t.Mapping[str, str],
        max_bytes: int = 64 * 1024,
    ) -> Fetched:
        """PUT ``body`` to ``url`` (an upload); a redirect is a failure."""
        return self._exchange(
            "PUT",
            url,
            headers=dict(headers),
            body=body,
            accept=(),
            max_bytes=max_bytes,
            follow_redirects=False,
        )

    def check_url(self, url: str) -> None:
        """Raise ``BlockedURL`` unless ``url`` may be fetched (before any DNS lookup)."""
        if len(url) > MAX_URL_LENGTH:
            raise BlockedURL(N_("The address is too long."), url=url[:100])
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as error:
            raise BlockedURL(N_("The address is not a valid web address."), url=url) from error
        if parts.scheme not in _DEFAULT_PORTS:
            raise BlockedURL(N_("Only http and https addresses can be fetched."), url=url)
        if not parts.hostname:
            raise BlockedURL(N_("The address has no host name."), url=url)
        if parts.username is not None or parts.password is not None:
            raise BlockedURL(N_("Addresses with a user name or password are not fetched."), url=url)
        if port not in (None, _DEFAULT_PORTS[parts.scheme]) and not self.settings.allow_loopback:
            raise BlockedURL(
                N_("Only the standard web ports (80 and 443) can be fetched."), url=url
            )

    def _exchange(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        body: bytes | None,
        accept: t.Sequence[str],
        max_bytes: int,
        follow_redirects: bool,
    ) -> Fetched:
        deadline = time.monotonic() + self.settings.total_timeout
        headers = {"Accept-Encoding": "identity", **headers}
        if self._session is not None:
            return self._hops(
                self._session,
                method,
                url,
                headers,
                body,
                accept,
                max_bytes,
                follow_redirects,
                deadline,
            )
        with HTTPSession(self._hardened) as session:
            session.trust_env = False
            return self._hops(
                session, method, url, headers, body, accept, max_bytes, follow_redirects, deadline
            )

    @contextlib.contextmanager
    def kept_alive(self) -> t.Iterator[HttpClient]:
        """Yield a client that keeps its connections open across requests (one thread only).

        Every request still goes through every check; only the TCP/TLS connection to a host
        that was already checked is reused (webhook deliveries to one endpoint, in a row).
        """
        with HTTPSession(self._hardened) as session:
            session.trust_env = False
            bound = copy.copy(self)
            bound._session = session
            yield bound

    def _hops(
        self,
        session: requests.Session,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        accept: t.Sequence[str],
        max_bytes: int,
        follow_redirects: bool,
        deadline: float,
    ) -> Fetched:
        for _hop in range(self.settings.max_redirects + 1):
            self.check_url(url)
            response = self._send(session, method, url, headers, body)
            with response:
                if response.is_redirect:
                    if not follow_redirects:
                        raise TooManyRedirects(
                            N_("The server redirected the request, which is not allowed here."),
                            url=url,
                        )
                    url = urljoin(url, response.headers.get("Location", ""))
                    continue
                return self._read(response, url, accept, max_bytes, deadline)
        raise TooManyRedirects(N_("The server redirected too many times."), url=url)

    def _send(
        self,
        session: requests.Session,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
    ) -> requests.Response:
        try:
            return session.request(
                method, url, headers=headers, data=body, stream=True, allow_redirects=False
            )
        except InvalidIPAddress as error:
            raise BlockedURL(
                N_("The address points into a private network, which is never fetched."), url=url
            ) from error
        except requests.Timeout as error:
            raise FetchTimeout(N_("The server did not answer in time."), url=url) from error
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema) as error:
            raise BlockedURL(N_("The address is not a valid web address."), url=url) from error
        except (requests.ConnectionError, requests.RequestException) as error:
            raise ConnectionFailed(N_("The server could not be reached."), url=url) from error

    def _read(
        self,
        response: requests.Response,
        url: str,
        accept: t.Sequence[str],
        max_bytes: int,
        deadline: float,
    ) -> Fetched:
        if response.status_code >= 400:
            try:
                start = response.raw.read(_ERROR_START, decode_content=True) or b""
            except (OSError, Urllib3Error, requests.RequestException):
                start = b""
            raise HTTPStatusError(
                Message(
                    N_("The server answered with an error (%(status)s)."),
                    status=response.status_code,
                ),
                url=url,
                status=response.status_code,
                content=start,
            )
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if accept and content_type not in {kind.lower() for kind in accept}:
            expected = " or ".join(accept)
            raise BadContentType(
                Message(
                    N_("Expected %(expected)s but the server sent %(sent)s."),
                    expected=expected,
                    sent=content_type,
                )
                if content_type
                else Message(
                    N_("Expected %(expected)s but the server sent no content type."),
                    expected=expected,
                ),
                url=url,
            )
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(_too_large(max_bytes), url=url)
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise FetchTimeout(
                        N_("The server took too long to send the document."), url=url
                    )
                # read1 returns as soon as some bytes arrive, so the deadline is checked often.
                chunk = response.raw.read1(_CHUNK, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(_too_large(max_bytes), url=url)
                chunks.append(chunk)
        except (requests.Timeout, TimeoutError, Urllib3Timeout) as error:
            raise FetchTimeout(
                N_("The server took too long to send the document."), url=url
            ) from error
        except (OSError, Urllib3Error) as error:
            raise ConnectionFailed(N_("The connection broke while reading."), url=url) from error
        return Fetched(
            url=url,
            status=response.status_code,
            content_type=content_type,
            content=b"".join(chunks),
            headers=dict(response.headers),
        )
