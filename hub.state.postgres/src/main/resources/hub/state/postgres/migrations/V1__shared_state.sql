-- Version 1 of the hub's shared state. Applied in one transaction, recorded in hub_schema_version.

-- Custom catalog entries, one row per model version, as the seed's models table: unique on name and version, the
-- descriptor as JSONB.
CREATE TABLE hub_models (
    name        text        NOT NULL,
    version     text        NOT NULL,
    family      text        NOT NULL,
    descriptor  jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hub_models_name_version UNIQUE (name, version)
);

-- Every other kind of shared document (aliases, pins, API keys, live hubs): a key and a JSONB document.
CREATE TABLE hub_documents (
    kind        text        NOT NULL,
    key         text        NOT NULL,
    doc         jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, key)
);

-- Append-only records (downloads, alias history).
CREATE TABLE hub_records (
    id          bigserial   PRIMARY KEY,
    kind        text        NOT NULL,
    key         text        NOT NULL,
    doc         jsonb       NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hub_records_kind_key ON hub_records (kind, key, id);
