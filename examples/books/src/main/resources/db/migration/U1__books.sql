-- Undoes V1.
DROP TABLE books;
