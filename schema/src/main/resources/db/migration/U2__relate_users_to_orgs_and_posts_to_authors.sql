-- Undoes V2: each foreign key first (its index cannot go while the key needs it), then the index
-- and the column. One change per statement, so a failure names exactly what was left done.
ALTER TABLE posts DROP FOREIGN KEY fk_posts_author;
DROP INDEX ix_posts_author_id ON posts;
ALTER TABLE posts DROP COLUMN author_id;

ALTER TABLE users DROP FOREIGN KEY fk_users_org;
DROP INDEX ix_users_org_id ON users;
ALTER TABLE users DROP COLUMN org_id;
