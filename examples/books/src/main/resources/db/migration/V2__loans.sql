CREATE TABLE loans (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    book_id     BIGINT       NOT NULL,
    borrower    VARCHAR(200) NOT NULL,
    loaned_at   DATETIME(6)  NOT NULL,
    returned_at DATETIME(6)  NULL,
    CONSTRAINT loans_book FOREIGN KEY (book_id) REFERENCES books (id)
);
