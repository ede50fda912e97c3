-- The schema the migrations in db/migration/ make (version 2), read back from a
-- migrated database by sqlkit-codegen. Do not edit: change or add a migration, then build with
-- -Dsqlkit.schema.update=true and commit this file with it. Collations and auto-increment counters are
-- left out; foreign keys follow the tables.

CREATE TABLE books (
  id bigint NOT NULL AUTO_INCREMENT,
  title varchar(200) NOT NULL,
  author varchar(200) NOT NULL,
  is_available boolean NOT NULL DEFAULT 1,
  added_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE loans (
  id bigint NOT NULL AUTO_INCREMENT,
  book_id bigint NOT NULL,
  borrower varchar(200) NOT NULL,
  loaned_at datetime(6) NOT NULL,
  returned_at datetime(6) NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
CREATE INDEX loans_book ON loans (book_id);

ALTER TABLE loans ADD CONSTRAINT loans_book
  FOREIGN KEY (book_id) REFERENCES books (id);
