ALTER TABLE orders ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'new';
INSERT INTO orders (id, item) VALUES (1, 'first order');
