-- 0005_app_derived.sql - what an application's sheet derives from its
-- fields: what its domain holds, now that a domain may be a host name as
-- well as an origin; what its certificate field holds, now that it may be
-- an RSA public key as well as an X.509 certificate; and the suite of
-- applications stored with a project and no suite (an application belongs
-- to its project's suite).
-- (MariaDB commits DDL at once: every statement may be re-run after a failure.)
ALTER TABLE apps ADD COLUMN IF NOT EXISTS
  domain_kind ENUM('host', 'origin') NULL AFTER domain;
ALTER TABLE apps ADD COLUMN IF NOT EXISTS
  certificate_kind ENUM('certificate', 'public_key') NULL AFTER certificate;
-- until now only origins and X.509 certificates were accepted
UPDATE apps SET domain_kind = 'origin' WHERE domain IS NOT NULL AND domain_kind IS NULL;
UPDATE apps SET certificate_kind = 'certificate'
  WHERE certificate IS NOT NULL AND certificate_kind IS NULL;
UPDATE apps a JOIN projects p ON p.id = a.project_id
  SET a.suite_id = p.suite_id, a.version = a.version + 1, a.updated_at = UTC_TIMESTAMP()
  WHERE a.suite_id IS NULL;
