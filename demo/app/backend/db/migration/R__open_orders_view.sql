CREATE OR REPLACE VIEW open_orders AS SELECT id, item FROM orders WHERE status = 'new';
