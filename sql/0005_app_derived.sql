-- 0005_app_derived.sql - what an application's sheet derives from its
-- fields: the suite of applications stored with a project and no suite
-- (an application belongs to its project's suite).
-- (MariaDB commits DDL at once: every statement may be re-run after a failure.)
UPDATE apps a JOIN projects p ON p.id = a.project_id
  SET a.suite_id = p.suite_id, a.version = a.version + 1, a.updated_at = UTC_TIMESTAMP()
  WHERE a.suite_id IS NULL;
