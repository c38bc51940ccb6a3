-- no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS products_attributes ON catalog.products USING gin (attributes);
