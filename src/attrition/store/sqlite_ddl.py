"""The SQLite schema as plain DDL. GENERATED from attrition/store/schema.py by
`scripts/build_sqlite_ddl.py`: do not edit (tests/test_store_sqlite.py fails when
the two differ)."""

# ruff: noqa: E501

TABLES: dict[str, str] = {
    "articles": (
        "CREATE TABLE articles (\n"
        "\tid INTEGER NOT NULL, \n"
        "\taddress TEXT NOT NULL, \n"
        "\toutlet TEXT, \n"
        "\ttitle TEXT, \n"
        "\tpublished VARCHAR(32), \n"
        "\tfetched VARCHAR(32), \n"
        "\tlanguage VARCHAR(8), \n"
        "\tentry_hash VARCHAR(64) NOT NULL, \n"
        "\tcontent_hash VARCHAR(64), \n"
        "\tversion INTEGER, \n"
        "\tstatus VARCHAR(10) NOT NULL, \n"
        "\tclaimed_by VARCHAR(80), \n"
        "\tclaimed_at VARCHAR(32), \n"
        "\tattempts INTEGER NOT NULL, \n"
        "\tretry_at VARCHAR(32), \n"
        "\terror TEXT, \n"
        "\tfeed TEXT, \n"
        "\tbody TEXT, \n"
        "\tfound VARCHAR(32) NOT NULL, \n"
        "\tchecked_at VARCHAR(32), \n"
        "\tPRIMARY KEY (id), \n"
        "\tCONSTRAINT uq_article_content UNIQUE (address, content_hash)\n"
        ")"
    ),
    "confirmed_counts": (
        "CREATE TABLE confirmed_counts (\n"
        "\tsource VARCHAR(40) NOT NULL, \n"
        "\tcountry VARCHAR(40) NOT NULL, \n"
        "\ttype VARCHAR(200) NOT NULL, \n"
        "\tday VARCHAR(10) NOT NULL, \n"
        "\trevision INTEGER NOT NULL, \n"
        "\tdestroyed INTEGER NOT NULL, \n"
        "\tdamaged INTEGER NOT NULL, \n"
        "\tabandoned INTEGER NOT NULL, \n"
        "\tcaptured INTEGER NOT NULL, \n"
        "\ttotal INTEGER NOT NULL, \n"
        "\tseen_at VARCHAR(32) NOT NULL, \n"
        "\tinput TEXT, \n"
        "\tPRIMARY KEY (source, country, type, day, revision)\n"
        ")"
    ),
    "confirmed_items": (
        "CREATE TABLE confirmed_items (\n"
        "\tsource VARCHAR(40) NOT NULL, \n"
        "\tid VARCHAR(200) NOT NULL, \n"
        "\tcountry VARCHAR(40) NOT NULL, \n"
        "\ttype VARCHAR(200), \n"
        "\tmodel TEXT NOT NULL, \n"
        "\tstatus VARCHAR(20) NOT NULL, \n"
        "\tday VARCHAR(10), \n"
        "\taddress TEXT, \n"
        "\tlocation TEXT, \n"
        "\tunit TEXT, \n"
        "\ttags TEXT, \n"
        "\tseen_at VARCHAR(32) NOT NULL, \n"
        "\tPRIMARY KEY (source, id)\n"
        ")"
    ),
    "corrections": (
        "CREATE TABLE corrections (\n"
        "\tsource VARCHAR(40) NOT NULL, \n"
        "\treport_date VARCHAR(10) NOT NULL, \n"
        "\tcategory VARCHAR(40) NOT NULL, \n"
        "\tvalue BIGINT NOT NULL, \n"
        "\tPRIMARY KEY (source, report_date, category)\n"
        ")"
    ),
    "daybook": (
        "CREATE TABLE daybook (\n"
        "\tkind VARCHAR(10) NOT NULL, \n"
        "\tday VARCHAR(10) NOT NULL, \n"
        "\tbody TEXT NOT NULL, \n"
        "\tPRIMARY KEY (kind, day)\n"
        ")"
    ),
    "daybook_meta": (
        "CREATE TABLE daybook_meta (\n"
        "\t\"key\" VARCHAR(40) NOT NULL, \n"
        "\tvalue TEXT NOT NULL, \n"
        "\tPRIMARY KEY (\"key\")\n"
        ")"
    ),
    "feeds": (
        "CREATE TABLE feeds (\n"
        "\taddress TEXT NOT NULL, \n"
        "\toutlet TEXT, \n"
        "\tetag TEXT, \n"
        "\tlast_modified TEXT, \n"
        "\tpolled_at VARCHAR(32), \n"
        "\tnext_poll VARCHAR(32), \n"
        "\tinterval INTEGER NOT NULL, \n"
        "\tfailures INTEGER NOT NULL, \n"
        "\tlast_ok VARCHAR(32), \n"
        "\tlast_error TEXT, \n"
        "\tPRIMARY KEY (address)\n"
        ")"
    ),
    "ingests": (
        "CREATE TABLE ingests (\n"
        "\tid INTEGER NOT NULL, \n"
        "\tat VARCHAR(32) NOT NULL, \n"
        "\tinput TEXT NOT NULL, \n"
        "\tsource VARCHAR(40) NOT NULL, \n"
        "\tobservations INTEGER NOT NULL, \n"
        "\tnew INTEGER NOT NULL, \n"
        "\trevised INTEGER NOT NULL, \n"
        "\tPRIMARY KEY (id)\n"
        ")"
    ),
    "ledger": (
        "CREATE TABLE ledger (\n"
        "\treport_date VARCHAR(10) NOT NULL, \n"
        "\tcategory VARCHAR(40) NOT NULL, \n"
        "\tcovers VARCHAR(10) NOT NULL, \n"
        "\ttotal BIGINT NOT NULL, \n"
        "\tchange BIGINT, \n"
        "\tannounced_change BIGINT, \n"
        "\tqualifier VARCHAR(20), \n"
        "\tsources TEXT NOT NULL, \n"
        "\tdissent TEXT, \n"
        "\tmethod VARCHAR(20) NOT NULL, \n"
        "\taddress TEXT, \n"
        "\tPRIMARY KEY (report_date, category)\n"
        ")"
    ),
    "observations": (
        "CREATE TABLE observations (\n"
        "\tid INTEGER NOT NULL, \n"
        "\tsource VARCHAR(40) NOT NULL, \n"
        "\treport_date VARCHAR(10) NOT NULL, \n"
        "\tcovers VARCHAR(10) NOT NULL, \n"
        "\tcategory VARCHAR(40) NOT NULL, \n"
        "\ttotal BIGINT, \n"
        "\tannounced_change BIGINT, \n"
        "\tqualifier VARCHAR(20), \n"
        "\taddress TEXT, \n"
        "\trevision INTEGER NOT NULL, \n"
        "\tseen_at VARCHAR(32) NOT NULL, \n"
        "\tinput TEXT, \n"
        "\tpublished_at VARCHAR(32), \n"
        "\tPRIMARY KEY (id), \n"
        "\tCONSTRAINT uq_observation_revision UNIQUE (source, report_date, category, revision)\n"
        ")"
    ),
    "sources": (
        "CREATE TABLE sources (\n"
        "\tname VARCHAR(40) NOT NULL, \n"
        "\ttitle TEXT NOT NULL, \n"
        "\turl TEXT, \n"
        "\tlicence TEXT, \n"
        "\tattribution TEXT, \n"
        "\tredistributable BOOLEAN NOT NULL, \n"
        "\tPRIMARY KEY (name)\n"
        ")"
    ),
    "update_runs": (
        "CREATE TABLE update_runs (\n"
        "\tid INTEGER NOT NULL, \n"
        "\tat VARCHAR(32) NOT NULL, \n"
        "\tnew INTEGER NOT NULL, \n"
        "\trevised INTEGER NOT NULL, \n"
        "\tfailures TEXT NOT NULL, \n"
        "\tPRIMARY KEY (id)\n"
        ")"
    ),
    "claims": (
        "CREATE TABLE claims (\n"
        "\tid INTEGER NOT NULL, \n"
        "\tarticle_id INTEGER NOT NULL, \n"
        "\tposition INTEGER NOT NULL, \n"
        "\tsentence TEXT NOT NULL, \n"
        "\ttext TEXT NOT NULL, \n"
        "\tvalue BIGINT, \n"
        "\tcategory VARCHAR(40), \n"
        "\tmeasure VARCHAR(20), \n"
        "\tperiod_from VARCHAR(10), \n"
        "\tperiod_to VARCHAR(10), \n"
        "\tverdict VARCHAR(20) NOT NULL, \n"
        "\tactual BIGINT, \n"
        "\treading TEXT, \n"
        "\twhy TEXT, \n"
        "\tevidence TEXT, \n"
        "\trule_ids TEXT, \n"
        "\tledger_version VARCHAR(40) NOT NULL, \n"
        "\tjudged_at VARCHAR(32) NOT NULL, \n"
        "\tPRIMARY KEY (id), \n"
        "\tCONSTRAINT uq_claim_position UNIQUE (article_id, position), \n"
        "\tFOREIGN KEY(article_id) REFERENCES articles (id)\n"
        ")"
    ),
    "outbox": (
        "CREATE TABLE outbox (\n"
        "\tid INTEGER NOT NULL, \n"
        "\tclaim_id INTEGER NOT NULL, \n"
        "\tverdict VARCHAR(20) NOT NULL, \n"
        "\tchannel VARCHAR(500) NOT NULL, \n"
        "\tbody TEXT NOT NULL, \n"
        "\tstatus VARCHAR(10) NOT NULL, \n"
        "\ttries INTEGER NOT NULL, \n"
        "\tfailures INTEGER NOT NULL, \n"
        "\tcreated VARCHAR(32) NOT NULL, \n"
        "\tnext_try VARCHAR(32) NOT NULL, \n"
        "\tlease_until VARCHAR(32), \n"
        "\tsender VARCHAR(80), \n"
        "\tsent_at VARCHAR(32), \n"
        "\tlast_error TEXT, \n"
        "\tPRIMARY KEY (id), \n"
        "\tCONSTRAINT uq_outbox_alert UNIQUE (claim_id, verdict, channel), \n"
        "\tFOREIGN KEY(claim_id) REFERENCES claims (id)\n"
        ")"
    ),
    "verdict_changes": (
        "CREATE TABLE verdict_changes (\n"
        "\tid INTEGER NOT NULL, \n"
        "\tclaim_id INTEGER NOT NULL, \n"
        "\told_verdict VARCHAR(20) NOT NULL, \n"
        "\told_actual BIGINT, \n"
        "\tnew_verdict VARCHAR(20) NOT NULL, \n"
        "\tnew_actual BIGINT, \n"
        "\tledger_version VARCHAR(40) NOT NULL, \n"
        "\tat VARCHAR(32) NOT NULL, \n"
        "\treason VARCHAR(20) NOT NULL, \n"
        "\tPRIMARY KEY (id), \n"
        "\tFOREIGN KEY(claim_id) REFERENCES claims (id)\n"
        ")"
    ),
}

INDEXES: dict[str, tuple[str, str]] = {
    "ix_articles_entry": ("articles", (
        "CREATE INDEX ix_articles_entry ON articles (address, entry_hash)"
    )),
    "ix_articles_status": ("articles", (
        "CREATE INDEX ix_articles_status ON articles (status, id)"
    )),
    "ix_ledger_category": ("ledger", (
        "CREATE INDEX ix_ledger_category ON ledger (category, report_date)"
    )),
    "ix_outbox_due": ("outbox", (
        "CREATE INDEX ix_outbox_due ON outbox (status, next_try)"
    )),
    "ix_verdict_changes_claim": ("verdict_changes", (
        "CREATE INDEX ix_verdict_changes_claim ON verdict_changes (claim_id)"
    )),
    "ix_observations_later": ("observations", (
        "CREATE INDEX IF NOT EXISTS ix_observations_later ON observations (report_date) WHERE revision > 1 OR published_at IS NOT NULL"
    )),
}
