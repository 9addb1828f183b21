"""Run the reference verifier (PyPI ``openbadges`` 1.1.2) on cases read from standard input.

This file runs inside ``bench/.venv-openbadges`` (made by ``bench/reference.py``), never in the
wallet's virtualenv: it imports only the standard library, ``openbadges`` and ``responses``.

Input (JSON on stdin): ``{"rounds": R, "recipient": EMAIL, "cases": [{"name", "kind", "input",
"urls"}]}`` where ``kind`` is ``text`` (a JSON or JWS string) or ``file`` (the path of a baked
image), and ``urls`` maps every URL the case may fetch to ``[base64 body, content type]``; any
other URL answers 404, so nothing leaves the machine. Output (JSON on stdout): per case the
verdict (``valid``, ``invalid`` or ``crash``), the error messages and the seconds of each round.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import time
import traceback
import typing as t

import responses
from openbadges import verify


def _verify_once(case: dict[str, t.Any], recipient: str) -> tuple[dict[str, t.Any], float]:
    """Verify one case with every HTTP request answered from its URL map; time the verify call."""
    urls = {url: (base64.b64decode(body), kind) for url, (body, kind) in case["urls"].items()}

    def answer(request: t.Any) -> tuple[int, dict[str, str], bytes]:
        found = urls.get(request.url)
        if found is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        return 200, {"Content-Type": found[1]}, found[0]

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, re.compile(r".*"), callback=answer)
        started = time.perf_counter()
        try:
            if case["kind"] == "file":
                with open(case["input"], "rb") as image:
                    result = verify(image, {"email": recipient}, use_cache=False)
            else:
                result = verify(case["input"], {"email": recipient}, use_cache=False)
        except Exception as error:  # the reference's own crashes are a result to report
            seconds = time.perf_counter() - started
            last = traceback.extract_tb(error.__traceback__)[-1]
            crash = f"{type(error).__name__}: {error} (in {last.name})"
            return {"verdict": "crash", "errors": [crash], "warnings": []}, seconds
        seconds = time.perf_counter() - started
    report = result["report"]
    verdict = {
        "verdict": "valid" if report["valid"] else "invalid",
        "errors": [m["result"] for m in report["messages"] if m["messageLevel"] == "ERROR"],
        "warnings": [m["result"] for m in report["messages"] if m["messageLevel"] == "WARNING"],
    }
    return verdict, seconds


def main() -> None:
    """Read the cases, verify each ``rounds`` times, print the results."""
    job = json.load(sys.stdin)
    out = []
    for case in job["cases"]:
        seconds: list[float] = []
        result: dict[str, t.Any] = {}
        for _ in range(job["rounds"]):
            result, spent = _verify_once(case, job["recipient"])
            seconds.append(spent)
        out.append({"name": case["name"], **result, "seconds": seconds})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
