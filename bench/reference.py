"""Our OB 2.0 verifier side by side with the reference validator, PyPI ``openbadges`` 1.1.2.

Run: .venv/bin/python bench/reference.py   (no network once its virtualenv exists; about a
minute)

The first run builds ``bench/.venv-openbadges`` with the working set of
``reference/open-badges.md`` §5.1 (``openbadges`` 1.1.2 does not import on Python 3.11 with its
own pins) plus ``responses``; later runs reuse it. Both verifiers then check every OB 2.0
assertion vector of ``tests/data/vectors/1edtech-validator/ob20`` (hosted JSON, signed JWS, baked
PNG, chosen by their MANIFEST kind) with every HTTP request answered from the same URL map
(:func:`url_map`): ours in this process through a ``fetch`` function, the reference in its own
virtualenv through ``responses`` (``bench/reference_driver.py``). It prints one table (verdicts
and times), the throughput of each over the corpus and their ratio (issue 3 target: ours at least
5x faster), then every disagreement with the reason recorded in :data:`REASONS`.
"""

from __future__ import annotations

import base64
import json
import re
import statistics
import subprocess
import sys
import textwrap
import time
import typing as t
import venv
from dataclasses import dataclass
from pathlib import Path

from wallet.badges import baking
from wallet.badges.verify import verify
from wallet.http import BadContentType
from wallet.http import Fetched
from wallet.http import HTTPStatusError

HERE = Path(__file__).parent
VECTORS = HERE.parent / "tests" / "data" / "vectors"
OB20 = "1edtech-validator/ob20/"
MANIFEST: dict[str, dict[str, t.Any]] = json.loads((VECTORS / "MANIFEST.json").read_text())["files"]

REFERENCE_VENV = HERE / ".venv-openbadges"
#: reference/open-badges.md §5.1: the release, then the three replacements it needs on 3.11.
REFERENCE_INSTALL = (
    ("openbadges==1.1.2",),
    ("pycryptodome==3.23.0", "python-jose==3.2.0", "-U", "pytz", "responses"),
)

#: Every vector's address book: the issuers' documents of the corpus live at example.org (the
#: 1EdTech validator's own tests serve ``assets/`` at these three prefixes, OB20Tests.java).
ASSET_PREFIXES = ("https://example.org/", "http://example.org/", "https://www.example.org/")
CONTENT_TYPES = {".json": "application/ld+json", ".png": "image/png", ".html": "text/html"}

#: The earner both verifiers compare the recipient with (the corpus hashes this address).
RECIPIENT = "nobody@example.org"
ROUNDS_OURS = 30
ROUNDS_REFERENCE = 3

#: What the 1EdTech Java validator's own tests expect of each vector (OB20Tests.java with
#: Samples.java, 1EdTech/digital-credentials-public-validator @ ed74e2a6). MANIFEST.json records
#: only the kind of an OB 2.0 vector, not its outcome; vectors the Java tests do not run show "-".
#: "valid (warn)" = valid with a warning asserted.
EXPECTED = {
    "basic-assertion.json": "valid",
    "simple-badge.png": "valid",
    "basic-assertion-invalid-context.json": "invalid",
    "basic-assertion-invalid-type.json": "invalid",
    "simple.jwt": "valid",
    "simple-not-revoked.jwt": "valid",
    "simple-revoked.jwt": "invalid",
    "basic-assertion-no-public-key.json": "valid",
    "basic-assertion-with-allowed-origins.json": "valid",
    "basic-assertion-with-allowed-origins-valid-starts-with.json": "valid",
    "basic-assertion-with-allowed-origins-invalid-starts-with.json": "invalid",
    "basic-assertion-with-allowed-origins-valid-multiple-starts-with.json": "valid",
    "basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json": "invalid",
    "basic-assertion-expired.json": "invalid",
    "basic-assertion-expired-before-issued.json": "invalid",
    "basic-assertion-in-future.json": "invalid",
    "basic-assertion-with-language.json": "valid",
    "warning-with-redirection.json": "valid (warn)",
    "warning-issuer-non-http.json": "valid (warn)",
}

#: Why the two verifiers disagree on a vector, or why ours differs from EXPECTED, found by reading
#: the case (a disagreement that is not here prints "unexplained").
REASONS: dict[str, str] = {
    "assertion-with-data-image.json": (
        "the Assertion's own `image` is a data: URI. The reference forbids data URIs on an"
        " Assertion image (validator-core rule; allowed on a BadgeClass) and so errors; ours does"
        " not validate the Assertion's image at all (the badge's picture is the BadgeClass's)."
        " A data-validation rule we do not apply, not a verification failure."
    ),
    "assertion-with-endorsements.json": (
        "reference bug (open-badges.md 5.3): endorsements in an Assertion raise"
        " NotImplementedError('TODO: handle complex node paths!'). Ours verifies the badge and"
        " ignores the endorsements (it neither checks nor shows them)."
    ),
    "assertion-with-extension-node-basic.json": (
        "offline artefact: the extension's JSON-LD context"
        " (w3id.org/openbadges/extensions/exampleExtension/context.json) is not in the vectors,"
        " so the reference's JSON-LD expansion fails on a 404. Ours does no JSON-LD on OB 2.0 and"
        " ignores extensions: the badge itself is valid."
    ),
    "assertion-with-extension-node-invalid.json": (
        "offline artefact as for extension-node-basic (missing extension context). The vector is"
        " also meant to fail its extension's own validation (validator-core's"
        " test_validate_extension_node_invalid; the node's schema:text is the number 1337):"
        " ours never validates extensions, so says valid."
    ),
    "assertion-with-multiple-extensions.json": (
        "offline artefact: two extension contexts (exampleExtension, applyLinkExtension) are not"
        " in the vectors, so the reference's JSON-LD expansion fails. Ours ignores extensions."
    ),
    "basic-assertion-with-allowed-origins-invalid-starts-with.json": (
        "corpus artefact known from open-badges.md 5.3: the issuer file declares the id of the"
        " valid issuer (http://example.org/issuer-with-allowed-origins); the reference re-fetches"
        " every node by its declared id and so checks the permissive issuer's policy. Ours"
        " checks the document it fetched (startsWith https://example.org/NOT) and refuses, as"
        " the Java validator expects."
    ),
    "basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json": (
        "same corpus artefact as invalid-starts-with: the issuer declares the valid issuer's id,"
        " the reference re-fetches that and passes; ours applies the two startsWith prefixes it"
        " was given and refuses, as the Java validator expects."
    ),
    "warning-issuer-non-http.json": (
        "the issuer's id is urn:uuid:..., so there is no default origin to compare the hosted"
        " assertion with. Ours says valid with a `scope` warning (cannot tell), as the Java"
        " validator expects; the reference fetches the urn and fails with InvalidSchema (bug,"
        " open-badges.md 5.3)."
    ),
}


@dataclass
class Case:
    """One vector: what each verifier is given and the documents its fetches find."""

    name: str
    path: Path
    data: bytes | str
    urls: dict[str, tuple[bytes, str]]


def corpus() -> list[Case]:
    """Return the OB 2.0 assertion vectors (hosted JSON, signed JWS, baked images) by MANIFEST."""
    cases = []
    for path, info in sorted(MANIFEST.items()):
        if not path.startswith(OB20) or path.startswith(OB20 + "assets/"):
            continue
        kind = info["kind"]
        signed = kind == "jws" and info.get("payloadShape") == "OB2 Assertion"
        baked = kind in ("png", "svg") and bool(info.get("bakedChunks"))
        if kind not in ("ob2 Assertion", "ob2 OtherAssertion") and not signed and not baked:
            continue  # BadgeClass/Issuer-only documents and annotated notes are not badges
        file = VECTORS / path
        data: bytes | str = file.read_bytes() if baked else file.read_text()
        name = path.removeprefix(OB20)
        cases.append(Case(name, file, data, url_map(data, hosted=not signed)))
    return cases


def url_map(data: bytes | str, *, hosted: bool) -> dict[str, tuple[bytes, str]]:
    """Return URL -> (body, content type) for everything verifying ``data`` may fetch.

    The corpus' assets at each of :data:`ASSET_PREFIXES` (also without their ``.json`` suffix, as
    the vectors link some that way), the JSON-LD contexts the reference loads, and, for a hosted
    assertion, the assertion itself at its own ``id`` (the issuer's copy is the vector).
    """
    urls: dict[str, tuple[bytes, str]] = {}
    contexts = VECTORS / "contexts"
    for url, file in json.loads((contexts / "index.json").read_text()).items():
        urls[url] = ((contexts / file).read_bytes(), "application/ld+json")
    for asset in sorted((VECTORS / OB20 / "assets").iterdir()):
        kind = CONTENT_TYPES.get(asset.suffix, "application/octet-stream")
        for prefix in ASSET_PREFIXES:
            urls[prefix + asset.name] = (asset.read_bytes(), kind)
            if asset.suffix == ".json":
                urls.setdefault(prefix + asset.stem, (asset.read_bytes(), kind))
    if hosted:
        text = baking.extract(data).text if isinstance(data, bytes) else data
        own = json.loads(text).get("id")
        if isinstance(own, str):
            urls[own] = (text.encode(), "application/ld+json")
    return urls


def serve(urls: dict[str, tuple[bytes, str]]) -> t.Callable[..., Fetched]:
    """Return a ``fetch`` for our verifier that answers like ``HttpClient.get`` from ``urls``."""

    def fetch(url: str, *, accept: t.Sequence[str], **_: object) -> Fetched:
        found = urls.get(url)
        if found is None:
            raise HTTPStatusError("The server answered with an error (404).", url=url, status=404)
        body, kind = found
        if accept and kind not in accept:
            raise BadContentType(f"Expected {' or '.join(accept)} but got {kind}.", url=url)
        return Fetched(url=url, status=200, content_type=kind, content=body)

    return fetch


def run_ours(cases: list[Case]) -> dict[str, tuple[str, str, list[float]]]:
    """Verify every case ``ROUNDS_OURS`` times; return name -> (status, failed checks, seconds)."""
    results: dict[str, tuple[str, str, list[float]]] = {}
    for case in cases:
        fetch = serve(case.urls)
        seconds = []
        report = verify(case.data, fetch=fetch, recipients=[RECIPIENT])
        for _ in range(ROUNDS_OURS):
            started = time.perf_counter()
            report = verify(case.data, fetch=fetch, recipients=[RECIPIENT])
            seconds.append(time.perf_counter() - started)
        failed = "; ".join(
            f"{c.name}: {c.message}" for c in report.checks if c.status not in ("pass", "skip")
        )
        results[case.name] = (report.status, failed, seconds)
    return results


def ensure_reference_venv() -> Path:
    """Build the reference's virtualenv once (about a minute); return its Python."""
    python = REFERENCE_VENV / "bin" / "python"
    marker = REFERENCE_VENV / ".installed"
    wanted = json.dumps(REFERENCE_INSTALL)
    if marker.exists() and marker.read_text() == wanted:
        return python
    print(
        f"building {REFERENCE_VENV.relative_to(HERE.parent)} (once); pip's dependency-conflict"
        " errors are expected (reference/open-badges.md 5.1) ...",
        file=sys.stderr,
    )
    venv.EnvBuilder(with_pip=True, clear=True).create(REFERENCE_VENV)
    for step in REFERENCE_INSTALL:
        # pip warns that openbadges pins older releases of these three: §5.1 says to ignore it.
        subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
            [str(python), "-m", "pip", "install", "--quiet", *step], check=True
        )
    marker.write_text(wanted)
    return python


def run_reference(cases: list[Case]) -> dict[str, dict[str, t.Any]]:
    """Verify every case with the reference in its virtualenv; return name -> its result."""
    python = ensure_reference_venv()
    job = {
        "rounds": ROUNDS_REFERENCE,
        "recipient": RECIPIENT,
        "cases": [
            {
                "name": case.name,
                "kind": "file" if isinstance(case.data, bytes) else "text",
                "input": str(case.path) if isinstance(case.data, bytes) else case.data,
                "urls": {
                    url: [base64.b64encode(body).decode(), kind]
                    for url, (body, kind) in case.urls.items()
                },
            }
            for case in cases
        ],
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [str(python), str(HERE / "reference_driver.py")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
    )
    return {result["name"]: result for result in json.loads(done.stdout)}


def _verdict(status: str) -> str:
    return "valid" if status.startswith("valid") else status


def main() -> None:
    """Run both verifiers over the corpus and print the comparison."""
    cases = corpus()
    ours = run_ours(cases)
    reference = run_reference(cases)

    header = ("vector", "expected", "ours", "reference", "agree?", "ours ms", "ref ms")
    rows = []
    disagreements = []
    for case in cases:
        status, _failed, ours_seconds = ours[case.name]
        theirs = reference[case.name]
        agree = status == theirs["verdict"]
        if not agree:
            disagreements.append(case.name)
        rows.append(
            (
                case.name,
                EXPECTED.get(case.name, "-"),
                status,
                theirs["verdict"],
                "yes" if agree else "NO",
                f"{statistics.median(ours_seconds) * 1000:.2f}",
                f"{statistics.median(theirs['seconds']) * 1000:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))

    ours_total = sum(sum(seconds) for _, _, seconds in ours.values())
    theirs_total = sum(sum(result["seconds"]) for result in reference.values())
    ours_rate = len(cases) * ROUNDS_OURS / ours_total
    theirs_rate = len(cases) * ROUNDS_REFERENCE / theirs_total
    matched = sum(
        1 for case in cases if _verdict(EXPECTED.get(case.name, "-")) == ours[case.name][0]
    )
    print()
    print(f"vectors: {len(cases)}; agree: {len(cases) - len(disagreements)}/{len(cases)}")
    print(f"ours matches the Java validator's expectation on {matched}/{len(EXPECTED)}")
    print(
        f"throughput over the corpus: ours {ours_rate:,.0f}/s ({ROUNDS_OURS} rounds), "
        f"reference {theirs_rate:,.1f}/s ({ROUNDS_REFERENCE} rounds)"
    )
    print(f"ratio: ours is {ours_rate / theirs_rate:,.0f}x faster (target: >= 5x)")
    agreed = len(cases) - len(disagreements)
    figures = {"ours_per_s": ours_rate, "reference_per_s": theirs_rate, "vectors": len(cases)}
    # One line for bench/run_all.py.
    print("BENCH-JSON " + json.dumps(figures | {"agree": agreed, "expected_matched": matched}))
    print()
    print("disagreements:" if disagreements else "disagreements: none")
    for name in disagreements:
        _explain(name, ours[name], reference[name])
    off = [
        name
        for name, expected in EXPECTED.items()
        if name not in disagreements and _verdict(expected) != ours[name][0]
    ]
    print()
    print("ours differs from the Java expectation (both verifiers agreeing):" if off else "")
    for name in off:
        _explain(name, ours[name], reference[name])


def _explain(name: str, ours: tuple[str, str, list[float]], theirs: dict[str, t.Any]) -> None:
    print(f"- {name}: ours {ours[0]}, reference {theirs['verdict']}")
    for line in textwrap.wrap(REASONS.get(name, "unexplained"), 96):
        print(f"    {line}")
    if ours[1]:
        print(f"  ours: {ours[1]}")
    if theirs["errors"]:
        # The reference puts a whole traceback into some messages: its first line is enough.
        first = [re.split(r"\\n|\n", error.strip())[0][:160] for error in theirs["errors"]]
        print(f"  reference: {'; '.join(first)}")


if __name__ == "__main__":
    main()
