CREATE TABLE catalog.products (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku         text NOT NULL UNIQUE,
    name        text NOT NULL,
    status      catalog.product_status NOT NULL DEFAULT 'draft',
    price       numeric(12, 2) NOT NULL CHECK (price >= 0),
    currency    catalog.currency NOT NULL DEFAULT 'EUR',
    attributes  jsonb NOT NULL DEFAULT '{}',
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Keeps updated_at current on every change, whoever writes the row.
CREATE FUNCTION catalog.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER products_touch BEFORE UPDATE ON catalog.products
    FOR EACH ROW EXECUTE FUNCTION catalog.touch_updated_at();

GRANT SELECT, INSERT, UPDATE ON catalog.products TO catalog_service;
