"""JSON-LD for Open Badges 3.0 and CLR 2.0: a static context loader, canonicalisation, safe mode.

Pure: contexts come only from ``wallet/badges/contexts/`` (never the network). Canonicalisation is
RDFC-1.0 (URDNA2015), passed explicitly because pyld's default is the older URGNA2012. Documents
that use terms no context defines are refused: the issuer's software may have dropped them before
signing while ours would not, so the signature would be checked over different data.
"""

from __future__ import annotations

import functools
import json
import typing as t
from collections import Counter
from pathlib import Path

from pyld import jsonld

from wallet.errors import Invalid

CONTEXTS = Path(__file__).parent / "contexts"


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
        raise jsonld.JsonLdError(
            f"context {url} is not shipped",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": _context(name),
    }


def _require_known_contexts(document: dict[str, t.Any]) -> None:
    contexts = document.get("@context", [])
    for context in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(context, str) and context not in _index():
            raise ContextUnavailable(
                f"The credential uses a vocabulary we cannot read here ({context[:100]})."
            )


def canonize(document: dict[str, t.Any]) -> str:
    """Return the RDFC-1.0 canonical N-Quads of ``document``."""
    _require_known_contexts(document)
    try:
        return t.cast(
            "str",
            jsonld.normalize(
                document,
                {
                    "algorithm": "URDNA2015",
                    "format": "application/n-quads",
                    "documentLoader": load_document,
                },
            ),
        )
    except jsonld.JsonLdError as error:
        raise Invalid("The credential is not valid JSON-LD, so its data cannot be read.") from error


def _is_absolute(iri: str) -> bool:
    scheme, _, rest = iri.partition(":")
    return bool(scheme) and bool(rest) and scheme.replace("+", "").replace("-", "").isalnum()


def undefined_terms(document: dict[str, t.Any]) -> list[str]:
    """Return the properties and types in ``document`` that no context defines."""
    _require_known_contexts(document)
    try:
        expanded = jsonld.expand(document, {"documentLoader": load_document, "base": None})
    except jsonld.JsonLdError as error:
        raise Invalid("The credential is not valid JSON-LD, so its data cannot be read.") from error
    found: list[str] = []
    stack: list[t.Any] = [expanded]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@type":
                    types = value if isinstance(value, list) else [value]
                    found.extend(str(kind) for kind in types if not _is_absolute(str(kind)))
                elif not key.startswith("@") and not _is_absolute(key):
                    found.append(key)
                stack.append(value)
    # Terms that vanished during expansion (no context defines them and they are not IRIs).
    found.extend(_dropped_terms(document, expanded))
    return sorted(set(found))


def _leaves(node: t.Any) -> Counter[str]:
    """Count the scalar values in ``node`` (types and contexts aside), wherever they sit."""
    counted: Counter[str] = Counter()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key not in ("@context", "type", "@type"):
                    stack.append(value)
        else:
            counted[json.dumps(item)] += 1
    return counted


def _dropped_terms(document: dict[str, t.Any], expanded: t.Any) -> list[str]:
    """Name the values that vanish when the document goes through JSON-LD and back.

    pyld has no "safe mode"; this is its emulation: a value lost on the round trip belonged to a
    term no context defines, and the issuer's software may have signed without it.
    """
    try:
        compacted = jsonld.compact(
            expanded,
            {"@context": document.get("@context", [])},
            {"documentLoader": load_document},
        )
    except jsonld.JsonLdError:
        return []
    lost = _leaves(document) - _leaves(compacted)
    if not lost:
        return []
    return sorted(_keys_holding(document, set(lost)))


def _keys_holding(document: dict[str, t.Any], values: set[str]) -> set[str]:
    """Name the properties of ``document`` whose scalar values are among ``values``."""
    names: set[str] = set()
    stack: list[tuple[str, t.Any]] = [("", document)]
    while stack:
        key, item = stack.pop()
        if isinstance(item, list):
            stack.extend((key, child) for child in item)
        elif isinstance(item, dict):
            stack.extend((name, value) for name, value in item.items() if name != "@context")
        elif json.dumps(item) in values and key:
            names.add(key)
    return names


def check_terms(document: dict[str, t.Any]) -> None:
    """Raise ``UndefinedTerms`` unless every term in ``document`` is defined."""
    undefined = undefined_terms(document)
    if undefined:
        raise UndefinedTerms(
            "The credential uses terms no vocabulary defines, so its signature cannot be "
            "trusted to cover them: " + ", ".join(undefined[:5])
        )
