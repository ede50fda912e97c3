-- Undoes V2.
DROP TABLE loans;
