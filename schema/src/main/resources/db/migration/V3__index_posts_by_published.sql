-- Listing posts by published state (keyset pagination on id) and counting published posts read
-- this index instead of scanning the table.
CREATE INDEX ix_posts_published_id ON posts (published, id);
