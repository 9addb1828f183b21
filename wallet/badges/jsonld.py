"""JSON-LD for Open Badges 3.0 and CLR 2.0: a static context loader, canonicalisation, safe mode.

Pure: contexts come only from ``wallet/badges/contexts/`` (never the network). Canonicalisation is
RDFC-1.0 (URDNA2015), passed explicitly because pyld's default is the older URGNA2012. pyld has no
"safe mode": without one, an undefined property is silently dropped and an undefined type becomes
a relative IRI, so the signed data would not cover what the earner sees. Documents that use terms
no context defines are therefore refused, found in the same single expansion that canonicalises.
"""

from __future__ import annotations

import copy
import functools
import json
import typing as t
from pathlib import Path

from pyld import jsonld

from wallet.errors import Invalid
from wallet.messages import N_
from wallet.messages import Message

CONTEXTS = Path(__file__).parent / "contexts"
_CANON = {"algorithm": "URDNA2015", "format": "application/n-quads"}


class ContextUnavailable(Invalid):
    """The document names a JSON-LD context we do not ship, so it cannot be checked here."""


class UndefinedTerms(Invalid):
    """The document uses terms that no context defines."""


@functools.cache
def _index() -> dict[str, str]:
    return t.cast("dict[str, str]", json.loads((CONTEXTS / "index.json").read_text()))


@functools.cache
def _context(name: str) -> dict[str, t.Any]:
    return t.cast("dict[str, t.Any]", json.loads((CONTEXTS / name).read_text()))


def known_contexts() -> set[str]:
    """Return the context URLs we can process."""
    return set(_index())


def load_document(url: str, options: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
    """Return a shipped context for ``url`` (pyld's document loader interface)."""
    name = _index().get(url)
    if name is None:
        raise ContextUnavailable(
            Message(
                N_("The credential uses a vocabulary we cannot read here (%(url)s)."), url=url[:100]
            )
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        # pyld rewrites relative URLs inside the context it is given: hand it a copy.
        "document": copy.deepcopy(_context(name)),
        # "static" lets pyld keep the resolved context between calls, which makes the next
        # credential fast.
        "tag": "static",
    }


def _cause(error: BaseException) -> Invalid:
    """Turn a pyld error into ours, keeping a missing context recognisable."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, Invalid):
            return seen
        seen = seen.__cause__ or seen.__context__
    return Invalid(N_("The credential is not valid JSON-LD, so its data cannot be read."))


def _is_absolute(iri: str) -> bool:
    scheme, colon, _ = iri.partition(":")
    return bool(colon) and scheme.isascii() and scheme[:1].isalpha()


def _relative_iris(expanded: t.Any) -> list[str]:
    """Return node ids and types that did not expand to an absolute IRI or a blank node."""
    found: list[str] = []
    stack = [expanded]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) and "@value" not in node:
            for key, value in node.items():
                if key in ("@type", "@id"):
                    iris = value if isinstance(value, list) else [value]
                    found.extend(
                        iri
                        for iri in iris
                        if isinstance(iri, str)
                        and not iri.startswith("_:")
                        and not _is_absolute(iri)
                    )
                else:
                    stack.append(value)
    return found


def expand(document: dict[str, t.Any]) -> list[t.Any]:
    """Expand ``document``, refusing unknown contexts and undefined terms."""
    dropped: list[str] = []

    def on_dropped(term: str | None) -> None:
        dropped.append(str(term))

    try:
        expanded: list[t.Any] = jsonld.expand(
            document,
            {"documentLoader": load_document, "base": None},
            on_property_dropped=on_dropped,
        )
    except (jsonld.JsonLdError, Invalid) as error:
        raise _cause(error) from error
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError) as error:
        raise Invalid(
            N_("The credential is not valid JSON-LD, so its data cannot be read.")
        ) from error
    undefined = sorted(set(dropped + _relative_iris(expanded)))
    if undefined:
        raise UndefinedTerms(
            Message(
                N_(
                    "The credential uses terms no vocabulary defines, so its signature cannot be "
                    "trusted to cover them: %(terms)s"
                ),
                terms=", ".join(undefined[:5]),
            )
        )
    return expanded


def canonize(document: dict[str, t.Any]) -> str:
    """Return the RDFC-1.0 canonical N-Quads of ``document`` (all of whose terms are defined)."""
    expanded = expand(document)
    try:
        return t.cast(
            "str", jsonld.normalize(expanded, {"documentLoader": load_document, **_CANON})
        )
    except jsonld.JsonLdError as error:
        raise _cause(error) from error
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError) as error:
        raise Invalid(
            N_("The credential is not valid JSON-LD, so its data cannot be read.")
        ) from error
