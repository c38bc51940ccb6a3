-- Not a migration: sqlx (and SchemaGate's sqlx engine) skip a file without "<version>_" in its
-- name. Run it by hand after a migration: every row should say true.
SELECT to_regclass('catalog.products') IS NOT NULL AS products,
       to_regclass('catalog.products_attributes') IS NOT NULL AS search_index,
       (SELECT count(*) = 4 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'catalog' AND t.typtype = 'e') AS enums;
