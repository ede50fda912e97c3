-- Undoes V4: the stored replies go with the table.
DROP TABLE idempotency_keys;
