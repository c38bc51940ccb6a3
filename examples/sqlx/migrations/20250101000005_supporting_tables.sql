CREATE TABLE catalog.stock (
    product_id  bigint PRIMARY KEY REFERENCES catalog.products (id) ON DELETE CASCADE,
    unit        catalog.unit NOT NULL DEFAULT 'piece',
    quantity    integer NOT NULL DEFAULT 0 CHECK (quantity >= 0)
);

CREATE TABLE catalog.listings (
    product_id  bigint NOT NULL REFERENCES catalog.products (id) ON DELETE CASCADE,
    channel     catalog.channel NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    PRIMARY KEY (product_id, channel)
);

-- Only the listings the storefront reads.
CREATE INDEX listings_active ON catalog.listings (channel) WHERE active;

GRANT SELECT, INSERT, UPDATE, DELETE ON catalog.stock, catalog.listings TO catalog_service;
