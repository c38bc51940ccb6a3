-- The catalog's own schema, and the role the service connects as (created once per cluster).
CREATE SCHEMA IF NOT EXISTS catalog;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'catalog_service') THEN
        CREATE ROLE catalog_service NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA catalog TO catalog_service;
