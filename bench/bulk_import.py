"""Bulk import of a zip of signed badges, end to end but in one process: prints seconds taken.

Run: .venv/bin/python -m bench.bulk_import [COUNT]   (default 200; a throwaway SQLite database
and embedded Redis; badges are signed by did:key issuers, so nothing is fetched; about 10 s)

It times the request's part (unpacking the zip and storing the batch) and the job's part (each
file verified and kept in its own transaction), the job running in the foreground as a worker
thread would.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from tests.factories import make_user
from tests.factories import signed_badge
from wallet import migrate
from wallet.backpack import bulk_import
from wallet.badges import baking
from wallet.config import config_for_tests
from wallet.runtime import Runtime

PNG = (
    Path(__file__).parent.parent
    / "tests/data/vectors/ob2/openbadges-bakery/public_domain_heart.png"
).read_bytes()


def main(count: int) -> None:
    """Import ``count`` badges (half baked PNGs, half JSON) from one zip and print the times."""
    with tempfile.TemporaryDirectory() as folder:
        runtime = Runtime.build(config_for_tests(Path(folder)))
        migrate.upgrade(runtime.db)
        with runtime.db.session() as session:
            user = make_user(session)
            email, user_id = user.emails[0].email, user.id
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for n in range(count):
                badge = json.dumps(signed_badge(email, name=f"Badge {n}"))
                if n % 2:
                    archive.writestr(f"badge-{n}.json", badge)
                else:
                    archive.writestr(f"badge-{n}.png", baking.bake_png(PNG, badge, standard="ob3"))
        data = buffer.getvalue()
        with runtime.db.session() as session:
            started = time.perf_counter()
            batch = bulk_import.start_batch(session, user_id, [("badges.zip", data)])
            stored = time.perf_counter() - started
            started = time.perf_counter()
            bulk_import.run_batch(session, batch.id, fetch=runtime.fetcher().get)
            imported = time.perf_counter() - started
            progress = bulk_import.progress(session, batch)
        runtime.redis.close()
        runtime.db.dispose()
    print(f"zip of {count} badges, {len(data) / 1024:.0f} KB")
    print(f"request (unpack and store):   {stored:6.2f} s")
    each = imported / count * 1000
    print(f"job (verify and keep each):   {imported:6.2f} s  ({each:.0f} ms a badge)")
    print(f"outcomes: {progress.outcomes}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
