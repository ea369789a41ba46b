-- 0003_roles_column.sql - console roles as a SET column of users, so that
-- authenticating a session or a token reads one row instead of running a
-- subquery over user_roles on every request
ALTER TABLE users ADD COLUMN IF NOT EXISTS
  roles SET('SUPER_ADMINISTRATOR', 'USER_PROVISIONING', 'AUDITOR') NOT NULL DEFAULT ''
  AFTER enabled;
UPDATE users u SET u.roles = (SELECT GROUP_CONCAT(r.role) FROM user_roles r WHERE r.user_id = u.id)
  WHERE EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id);
DROP TABLE IF EXISTS user_roles;
