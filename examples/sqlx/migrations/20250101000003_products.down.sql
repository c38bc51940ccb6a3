DROP TABLE catalog.products;
DROP FUNCTION catalog.touch_updated_at();
