-- 0002_registry.sql - suites and projects, companies and memberships, applications,
-- their installations, users, server variables, and the audit log
CREATE TABLE IF NOT EXISTS suites (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  description VARCHAR(1000) NOT NULL DEFAULT '',
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY suites_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS projects (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  suite_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(100) NOT NULL,
  description VARCHAR(1000) NOT NULL DEFAULT '',
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY projects_name (suite_id, name),
  CONSTRAINT projects_suite FOREIGN KEY (suite_id) REFERENCES suites (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS companies (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  slug VARCHAR(64) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY companies_slug (slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A membership's id is what outside systems call a user workspace id.
CREATE TABLE IF NOT EXISTS memberships (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  company_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY memberships_pair (company_id, user_id),
  CONSTRAINT memberships_company FOREIGN KEY (company_id) REFERENCES companies (id) ON DELETE CASCADE,
  CONSTRAINT memberships_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The identity sheet of an application. List-valued and object-valued fields
-- are JSON text, validated by Ostium before they are written.
CREATE TABLE IF NOT EXISTS apps (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  description VARCHAR(1000) NOT NULL DEFAULT '',
  icon_url VARCHAR(2048) NULL,
  app_group_id VARCHAR(64) NULL,
  suite_id BIGINT UNSIGNED NULL,
  project_id BIGINT UNSIGNED NULL,
  events_url VARCHAR(2048) NULL,
  allowed_ips TEXT NOT NULL DEFAULT '[]',
  permissions TEXT NOT NULL DEFAULT '[]',
  capabilities TEXT NOT NULL DEFAULT '{"read":[],"write":[]}',
  display TEXT NOT NULL DEFAULT '{}',
  domain VARCHAR(255) NULL,
  allowed_origins TEXT NOT NULL DEFAULT '[]',
  redirect_uris TEXT NOT NULL DEFAULT '[]',
  authenticator ENUM('user_credentials', 'authorization_code', 'authorization_code_pkce')
    NOT NULL DEFAULT 'authorization_code_pkce',
  access_token_ttl INT UNSIGNED NOT NULL DEFAULT 3600,
  refresh_token_ttl INT UNSIGNED NOT NULL DEFAULT 2592000,
  public_key_current TEXT NULL,
  public_key_previous TEXT NULL,
  certificate TEXT NULL,
  properties TEXT NOT NULL DEFAULT '{}',
  public_id CHAR(26) NOT NULL,
  key_hash BINARY(32) NOT NULL,
  previous_key_hash BINARY(32) NULL,
  previous_key_expires_at DATETIME NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY apps_public_id (public_id),
  UNIQUE KEY apps_group (app_group_id),
  KEY apps_name (name),
  CONSTRAINT apps_suite FOREIGN KEY (suite_id) REFERENCES suites (id),
  CONSTRAINT apps_project FOREIGN KEY (project_id) REFERENCES projects (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS app_installs (
  company_id BIGINT UNSIGNED NOT NULL,
  app_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (app_id, company_id),
  KEY app_installs_company (company_id),
  CONSTRAINT app_installs_company FOREIGN KEY (company_id) REFERENCES companies (id) ON DELETE CASCADE,
  CONSTRAINT app_installs_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- People attached to an application; an application with users cannot be deleted.
CREATE TABLE IF NOT EXISTS app_users (
  app_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  enabled TINYINT(1) NOT NULL DEFAULT 1,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (app_id, user_id),
  KEY app_users_user (user_id),
  CONSTRAINT app_users_app FOREIGN KEY (app_id) REFERENCES apps (id),
  CONSTRAINT app_users_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Server variables: declared by the application, filled by an administrator.
-- A secret value is kept only as AES-256-GCM ciphertext with its key id.
CREATE TABLE IF NOT EXISTS app_server_vars (
  app_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(64) NOT NULL COLLATE utf8mb4_bin,
  description VARCHAR(1000) NOT NULL DEFAULT '',
  is_secret TINYINT(1) NOT NULL DEFAULT 0,
  is_required TINYINT(1) NOT NULL DEFAULT 0,
  value TEXT NULL,
  value_enc VARBINARY(8192) NULL,
  key_id INT UNSIGNED NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (app_id, name),
  CONSTRAINT app_server_vars_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every change made through the console or the API, written in the same
-- transaction as the change. Never a secret value.
CREATE TABLE IF NOT EXISTS audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  actor_type ENUM('admin', 'app', 'system') NOT NULL,
  actor_id BIGINT UNSIGNED NULL,
  actor VARCHAR(254) NOT NULL DEFAULT '',
  action VARCHAR(64) NOT NULL,
  object_type VARCHAR(32) NOT NULL,
  object_id VARCHAR(64) NOT NULL DEFAULT '',
  address VARCHAR(45) NOT NULL DEFAULT '',
  request_id CHAR(32) NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}',
  KEY audit_object (object_type, object_id),
  KEY audit_actor (actor_type, actor_id),
  KEY audit_action (action)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
