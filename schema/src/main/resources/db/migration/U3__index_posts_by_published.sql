-- Undoes V3.
DROP INDEX ix_posts_published_id ON posts;
