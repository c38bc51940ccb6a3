CREATE TYPE catalog.product_status AS ENUM ('draft', 'active', 'discontinued');
CREATE TYPE catalog.currency AS ENUM ('EUR', 'USD', 'GBP', 'CHF', 'JPY');
CREATE TYPE catalog.unit AS ENUM ('piece', 'kg', 'litre', 'metre');
CREATE TYPE catalog.channel AS ENUM ('web', 'store', 'partner');
