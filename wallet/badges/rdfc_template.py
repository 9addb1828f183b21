"""RDFC-1.0 canonical N-Quads of many documents that differ only in a few plain values.

Expanding JSON-LD dominates the cost of ``jsonld.canonize`` (about 10 ms a credential). An issuer's
batch signs thousands of credentials that share their whole shape and differ only in a few values
(the credential's id, the recipient's salt and hash, the status index, the dates). A
``CanonicalTemplate`` canonicalises the shape once, with a unique placeholder in place of each such
value, using the library (pyld); for each document it then puts the values in and redoes only the
last step of RDFC-1.0, the labelling of blank nodes:

- each blank node's first-degree hash (RDFC-1.0 §4.6): SHA-256 of the sorted quads that mention it,
  itself written ``_:a`` and every other blank node ``_:z``;
- when every hash is unique (§4.4 step 5), labels ``_:c14n0``, ``_:c14n1``... are issued in hash
  order, and the canonical form is the relabelled quads sorted in code point order.

When two blank nodes share a hash the full algorithm's n-degree step would be needed; ``canonical``
then hands the quads to the library's own URDNA2015 instead. Values are refused unless they need no
escaping in N-Quads, so a value can never change the shape. Pure: no I/O.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import typing as t

from pyld import jsonld as pyld
from pyld import nquads

from wallet.badges import jsonld

#: A value that needs no escaping in an IRI or a plain literal of N-Quads.
_SAFE_VALUE = re.compile(r'[^\x00-\x20<>"{}|^`\\]*\Z')
_MARK = "\x00"


class UnsafeValue(ValueError):
    """A value would need escaping, so it cannot be put into the template."""


class _Line(t.NamedTuple):
    #: The quad's text split around its blank nodes: ``len(texts) == len(blanks) + 1``.
    texts: tuple[str, ...]
    #: Index of each blank node the quad mentions, in order.
    blanks: tuple[int, ...]
    #: The placeholders that occur in the quad's text.
    variable: tuple[str, ...]


class CanonicalTemplate:
    """The canonical form of ``document`` with placeholders, ready to be filled many times."""

    def __init__(self, document: dict[str, t.Any], placeholders: t.Iterable[str]) -> None:
        self.placeholders = tuple(placeholders)
        canonical = jsonld.canonize(document)
        #: Whether the shape can be templated at all (a literal holding a NUL byte cannot, nor
        #: one the library writes but cannot read back, such as a line separator).
        self.usable = _MARK not in canonical
        try:
            dataset = nquads.parse_nquads(canonical)
        except nquads.ParserError:
            self.usable, dataset = False, {}
        labels: dict[str, int] = {}
        lines: list[_Line] = []
        for graph, triples in dataset.items():
            if graph != "@default":
                # Credentials have no named graphs; such a shape is left to the library.
                self.usable = False
                continue
            for triple in triples:
                quad = dict(triple)
                order: list[int] = []
                for position in ("subject", "object"):
                    term = quad[position]
                    if term["type"] == "blank node":
                        order.append(labels.setdefault(term["value"], len(labels)))
                        quad[position] = {**term, "value": _MARK}
                text = nquads.serialize_nquad(quad)
                texts = tuple(text.split(_MARK))
                if len(texts) != len(order) + 1:
                    self.usable = False
                variable = tuple(p for p in self.placeholders if p in text)
                lines.append(_Line(texts, tuple(order), variable))
        self._lines = lines
        self._blank_count = len(labels)
        self._mentions: list[list[int]] = [[] for _ in range(len(labels))]
        for number, line in enumerate(lines):
            for blank in set(line.blanks):
                self._mentions[blank].append(number)
        #: Quads with neither blank nodes nor placeholders: the same in every document.
        self._fixed = [line.texts[0] for line in lines if not line.blanks and not line.variable]
        self._changing = [n for n, line in enumerate(lines) if line.blanks or line.variable]
        self._variable = [n for n, line in enumerate(lines) if line.variable]
        #: First-degree hashes of blank nodes no placeholder touches (None: computed each time).
        self._hashes: list[str | None] = [
            None if any(lines[n].variable for n in mentions) else _hash(lines, blank, mentions)
            for blank, mentions in enumerate(self._mentions)
        ]
        # Filling is ``str.format_map``: each placeholder is the field ``p<n>``, each blank node
        # of a quad the field ``b<n>`` (its canonical label), so a document costs one call a quad.
        fields = {p: f"p{n}" for n, p in enumerate(self.placeholders)}
        #: The quads of each blank node whose hash changes, as written for that hash.
        self._hash_formats: list[list[str]] = [
            []
            if known is not None
            else [
                _pattern(lines[n], fields, _first_degree_labels(len(labels), blank))
                for n in mentions
            ]
            for blank, (known, mentions) in enumerate(
                zip(self._hashes, self._mentions, strict=True)
            )
        ]
        self._formats = [
            _pattern(lines[n], fields, [f"{{b{index}}}" for index in range(len(labels))])
            for n in self._changing
        ]
        self._fields = fields

    def canonical(self, values: dict[str, str]) -> str:
        """Return the RDFC-1.0 canonical N-Quads of the document with ``values`` put in.

        ``values`` maps each placeholder to its value; every value must need no escaping.
        """
        if not self.usable:
            raise UnsafeValue("this shape cannot be templated")
        for value in values.values():
            if not _SAFE_VALUE.match(value):
                raise UnsafeValue(value)
        named = {self._fields[placeholder]: value for placeholder, value in values.items()}
        hashes = [
            known
            if known is not None
            else hashlib.sha256(
                "".join(sorted([f.format_map(named) for f in self._hash_formats[blank]])).encode()
            ).hexdigest()
            for blank, known in enumerate(self._hashes)
        ]
        if len(set(hashes)) != len(hashes):
            lines = list(self._lines)
            for n in self._variable:
                lines[n] = _fill(lines[n], values)
            return _library_canonical(lines)
        order = sorted(range(self._blank_count), key=hashes.__getitem__)
        for number, blank in enumerate(order):
            named[f"b{blank}"] = f"_:c14n{number}"
        changing = [f.format_map(named) for f in self._formats]
        return "".join(sorted(self._fixed + changing))


def _first_degree_labels(count: int, blank: int) -> list[str]:
    """Return how each blank node is written in the first-degree hash of ``blank``."""
    return ["_:a" if index == blank else "_:z" for index in range(count)]


def _pattern(line: _Line, fields: dict[str, str], labels: list[str]) -> str:
    """Return ``line`` as a format string: placeholders become their fields, each blank node
    its entry of ``labels`` (a field, or a fixed label that needs no escaping)."""
    parts = [_escape(line.texts[0], fields)]
    for index, text in zip(line.blanks, line.texts[1:], strict=True):
        parts.append(labels[index])
        parts.append(_escape(text, fields))
    return "".join(parts)


def _escape(text: str, fields: dict[str, str]) -> str:
    """Return ``text`` as format-string text: its braces doubled, each placeholder its field."""
    pieces = _placeholders(tuple(fields)).split(text) if fields else [text]
    # split() with a group puts the placeholders it found at the odd positions.
    return "".join(
        "{" + fields[piece] + "}" if odd else piece.replace("{", "{{").replace("}", "}}")
        for odd, piece in zip(itertools.cycle((False, True)), pieces)
    )


@functools.lru_cache(maxsize=64)
def _placeholders(placeholders: tuple[str, ...]) -> re.Pattern[str]:
    """Return a pattern finding any of ``placeholders``, the longest first where they overlap."""
    ordered = sorted(placeholders, key=len, reverse=True)
    return re.compile("(" + "|".join(re.escape(p) for p in ordered) + ")")


def _hash(lines: list[_Line], blank: int, mentions: list[int]) -> str:
    """Return the first-degree hash of ``blank`` (RDFC-1.0 §4.6)."""
    quads = sorted(_write(lines[n], blank, "_:a", "_:z") for n in mentions)
    return hashlib.sha256("".join(quads).encode()).hexdigest()


def _fill(line: _Line, values: dict[str, str]) -> _Line:
    texts = []
    for text in line.texts:
        for placeholder in line.variable:
            text = text.replace(placeholder, values[placeholder])
        texts.append(text)
    return _Line(tuple(texts), line.blanks, ())


def _write(line: _Line, blank: int, own: str, other: str) -> str:
    if len(line.blanks) == 1:
        return line.texts[0] + own + line.texts[1]
    parts = [line.texts[0]]
    for index, text in zip(line.blanks, line.texts[1:], strict=True):
        parts.append(own if index == blank else other)
        parts.append(text)
    return "".join(parts)


def _join(line: _Line, names: list[str]) -> str:
    if not line.blanks:
        return line.texts[0]
    if len(line.blanks) == 1:
        return line.texts[0] + names[line.blanks[0]] + line.texts[1]
    parts = [line.texts[0]]
    for index, text in zip(line.blanks, line.texts[1:], strict=True):
        parts.append(names[index])
        parts.append(text)
    return "".join(parts)


def _library_canonical(lines: list[_Line]) -> str:
    """Canonicalise with the library: blank nodes named ``_:b<n>``, n-degree hashing included."""
    count = 1 + max((index for line in lines for index in line.blanks), default=-1)
    names = [f"_:b{n}" for n in range(count)]
    text = "".join(_join(line, names) for line in lines)
    return t.cast(
        "str",
        pyld.normalize(
            text,
            {
                "algorithm": "URDNA2015",
                "inputFormat": "application/n-quads",
                "format": "application/n-quads",
            },
        ),
    )
