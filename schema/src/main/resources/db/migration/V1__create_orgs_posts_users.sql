-- The tables of the three systems this toolkit replaces.
--
-- Portability rules for every migration in this folder: the SQL must run unchanged on MySQL 8.0+
-- (and Vitess/PlanetScale) and on MariaDB 10.11+. So: no JSON or UUID column types, no explicit
-- collations, no RETURNING, no expression defaults other than CURRENT_TIMESTAMP, no UNSIGNED (ids
-- stay java.lang.Long in the generated code). Character set utf8mb4 so that any Unicode text,
-- emoji included, round-trips.
--
-- Timestamps are DATETIME(6) set by the database; sessions opened by the dal run in UTC, so the
-- stored values are UTC. (TIMESTAMP would end in 2038.)

CREATE TABLE orgs (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    name        VARCHAR(255)  NOT NULL,
    description TEXT          NOT NULL,
    url         VARCHAR(2048) NULL,
    created_at  DATETIME(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    CONSTRAINT uq_orgs_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE posts (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    title      VARCHAR(255) NOT NULL,
    body       TEXT         NOT NULL,
    published  BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- 320 characters: the longest address RFC 5321 allows (64 local + @ + 255 domain).
CREATE TABLE users (
    id         BIGINT               NOT NULL AUTO_INCREMENT,
    created_at DATETIME(6)          NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    email      VARCHAR(320)         NOT NULL,
    name       VARCHAR(255)         NULL,
    role       ENUM ('USER', 'ADMIN') NOT NULL DEFAULT 'USER',
    PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
