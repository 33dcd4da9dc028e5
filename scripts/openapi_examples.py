"""Write the examples /openapi.json and /docs show (src/attrition/web/examples.json): the
answers of `attrition.web.models.EXAMPLES`' requests over the bundled data, trimmed.

    python scripts/openapi_examples.py

Run it when a document's shape changes; tests/test_openapi.py fails until then.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path
from unittest import mock

from fastapi.testclient import TestClient

from attrition import service
from attrition.bootstrap import ensure_loaded
from attrition.web import models
from attrition.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    out = ROOT / "src" / "attrition" / "web" / "examples.json"
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/examples.db"
        ensure_loaded(db)
        now = datetime.fromisoformat(models.EXAMPLE_NOW)
        with mock.patch.object(service, "now", lambda: now), \
                TestClient(create_app(db), base_url=models.EXAMPLE_BASE) as client:
            doc = {name: {"request": request,
                          "answer": models.example_answer(client, name, ROOT)}
                   for name, request in models.EXAMPLES.items()}
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)} ({len(doc)} examples)")


if __name__ == "__main__":
    main()
