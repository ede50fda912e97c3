-- Undoes V1: drops the three tables (nothing refers to them yet at version 1).
DROP TABLE users;
DROP TABLE posts;
DROP TABLE orgs;
