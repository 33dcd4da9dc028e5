"""Write src/attrition/store/sqlite_ddl.py from the tables of attrition.store.schema (run after
changing a table; tests/test_store_sqlite.py fails until then).

    .venv/bin/python scripts/build_sqlite_ddl.py
"""

from __future__ import annotations

from pathlib import Path

from attrition.store import schema

OUT = Path(__file__).resolve().parent.parent / "src" / "attrition" / "store" / "sqlite_ddl.py"

if __name__ == "__main__":
    OUT.write_text(schema.sqlite_ddl_module(), encoding="utf-8")
    print(f"wrote {OUT}")
