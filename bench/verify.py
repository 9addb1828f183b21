"""Verification throughput on one core: prints a table of figures against the issue 3 targets.

Run: .venv/bin/python bench/verify.py   (no network, no database; about half a minute)
"""

from __future__ import annotations

import json
import time
import typing as t
import warnings
from pathlib import Path

from joserfc import jws
from joserfc.errors import SecurityWarning
from joserfc.jwk import OKPKey
from joserfc.jwk import RSAKey

from wallet.badges import baking
from wallet.badges import jsonld
from wallet.badges import keys
from wallet.badges import ob2
from wallet.badges import proofs
from wallet.badges import vcjwt

VECTORS = Path(__file__).parent.parent / "tests" / "data" / "vectors"


def rate(action: t.Callable[[], object], seconds: float = 3.0) -> float:
    """Return how many times per second ``action`` runs (after one warm-up call)."""
    action()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        action()
        count += 1
    return count / (time.perf_counter() - started)


def main() -> None:
    """Measure and print the table."""
    rows: list[tuple[str, str, str]] = []

    credential = json.loads(
        (VECTORS / "1edtech-validator/ob30/simple-did-key-method.json").read_text()
    )
    proof = proofs.proofs_of(credential)[0]
    key = keys.did_key_ed25519(str(proof["verificationMethod"]))
    document = {k: v for k, v in credential.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"} | {
        "@context": document["@context"]
    }
    canon = rate(lambda: (jsonld.canonize(document), jsonld.canonize(options)))
    rdfc = rate(lambda: proofs.verify_proof(credential, proof, key))
    rows.append(("canonicalisation alone (document + proof options)", f"{canon:,.0f}/s", "-"))
    rows.append(
        (
            "OB 3.0 eddsa-rdfc-2022 verify",
            f"{rdfc:,.0f}/s ({canon / rdfc:.2f}x canonicalisation)",
            "<= 1.25x",
        )
    )

    okp = OKPKey.generate_key("Ed25519")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SecurityWarning)
        token = jws.serialize_compact(
            {"alg": "EdDSA"}, json.dumps(document), okp, algorithms=["EdDSA"]
        )
    public = okp.as_dict(private=False)
    rows.append(
        (
            "OB 3.0 VC-JWT (EdDSA) verify",
            f"{rate(lambda: vcjwt.verify(token, public)):,.0f}/s",
            ">= 200/s",
        )
    )

    rsa = RSAKey.generate_key(2048)
    signed = jws.serialize_compact(
        {"alg": "RS256"}, json.dumps({"id": "urn:uuid:1", "badge": "b"}), rsa
    )
    pem = rsa.as_pem(private=False).decode()
    rows.append(
        (
            "OB 2.0 signed (RS256) verify",
            f"{rate(lambda: ob2.verify_signed_assertion(signed, pem)):,.0f}/s",
            "-",
        )
    )

    baked = (VECTORS / "1edtech-validator/ob30/simple-json.png").read_bytes()
    rows.append(("baked PNG extraction", f"{rate(lambda: baking.extract(baked)):,.0f}/s", "-"))

    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure'.ljust(width)}  {'figure':<40}  target")
    for name, figure, target in rows:
        print(f"{name.ljust(width)}  {figure:<40}  {target}")


if __name__ == "__main__":
    main()
