-- Relations: a user may belong to an org, a post may have an author. Both optional, so that the
-- rows of the replaced systems (which had no such links) stay valid. Deleting an org or a user
-- detaches its members or posts rather than deleting them.

ALTER TABLE users
    ADD COLUMN org_id BIGINT NULL,
    ADD INDEX ix_users_org_id (org_id),
    ADD CONSTRAINT fk_users_org FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE SET NULL;

ALTER TABLE posts
    ADD COLUMN author_id BIGINT NULL,
    ADD INDEX ix_posts_author_id (author_id),
    ADD CONSTRAINT fk_posts_author FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL;
