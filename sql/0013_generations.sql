-- 0013_generations.sql - one generation counter per kind of credential
-- check. Every change that can affect a check adds one to its kinds' rows in
-- its own transaction; each host polls the rows and makes its workers
-- forget what they cached when one moves (revocation across hosts).
CREATE TABLE IF NOT EXISTS generations (
  kind VARCHAR(16) NOT NULL PRIMARY KEY,
  gen BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO generations (kind, gen) VALUES
  ('tokens', 0), ('people', 0), ('apps', 0), ('oauth', 0);
