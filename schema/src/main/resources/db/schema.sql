-- The schema the migrations in db/migration/ make (version 4), read back from a
-- migrated database by sqlkit-codegen. Do not edit: change or add a migration, then build with
-- -Dsqlkit.schema.update=true and commit this file with it. Collations and auto-increment counters are
-- left out; foreign keys follow the tables.

CREATE TABLE idempotency_keys (
  key_digest binary(32) NOT NULL,
  request_digest binary(32) NOT NULL,
  `status` smallint NOT NULL,
  location varchar(2048) NULL,
  body mediumblob NOT NULL,
  created_at datetime(6) NOT NULL,
  expires_at datetime(6) NOT NULL,
  PRIMARY KEY (key_digest)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at);

CREATE TABLE orgs (
  id bigint NOT NULL AUTO_INCREMENT,
  name varchar(255) NOT NULL,
  description text NOT NULL,
  url varchar(2048) NULL,
  created_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  CONSTRAINT uq_orgs_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE posts (
  id bigint NOT NULL AUTO_INCREMENT,
  title varchar(255) NOT NULL,
  body text NOT NULL,
  published boolean NOT NULL DEFAULT 0,
  created_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  author_id bigint NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
CREATE INDEX ix_posts_author_id ON posts (author_id);
CREATE INDEX ix_posts_published_id ON posts (published, id);

CREATE TABLE users (
  id bigint NOT NULL AUTO_INCREMENT,
  created_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  email varchar(320) NOT NULL,
  name varchar(255) NULL,
  role enum('USER','ADMIN') NOT NULL DEFAULT 'USER',
  org_id bigint NULL,
  PRIMARY KEY (id),
  CONSTRAINT uq_users_email UNIQUE (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
CREATE INDEX ix_users_org_id ON users (org_id);

ALTER TABLE posts ADD CONSTRAINT fk_posts_author
  FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL;

ALTER TABLE users ADD CONSTRAINT fk_users_org
  FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE SET NULL;
