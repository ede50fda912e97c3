CREATE TABLE books (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title        VARCHAR(200) NOT NULL,
    author       VARCHAR(200) NOT NULL,
    is_available BOOLEAN      NOT NULL DEFAULT TRUE,
    added_at     DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
);
