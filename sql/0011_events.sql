-- 0011_events.sql - events to applications: each application's events
-- endpoint (its signing secret, sealed like the other secrets Ostium reads
-- back, and whether it keeps failing), the outbox that every change writes
-- its events to in its own transaction, and the attempts of each delivery.
-- (MariaDB commits DDL at once: every statement may be re-run after a failure.)

-- One row per application that has an events signing secret (made with the
-- application, or by a rotation for those registered before).
CREATE TABLE IF NOT EXISTS event_endpoints (
  app_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  secret_enc VARBINARY(128) NOT NULL,
  key_id INT UNSIGNED NOT NULL,
  previous_secret_enc VARBINARY(128) NULL,
  previous_key_id INT UNSIGNED NULL,
  previous_expires_at DATETIME NULL,
  failing_since DATETIME NULL,
  disabled_at DATETIME NULL,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  CONSTRAINT event_endpoints_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The outbox: written by the change that caused the event, delivered by
-- the dispatchers under expiring leases (lease_token NULL: not leased, or
-- its outcome recorded; a token left when the lease expired counts in
-- reclaims when the event is claimed again).
CREATE TABLE IF NOT EXISTS event_outbox (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  app_id BIGINT UNSIGNED NOT NULL,
  webhook_id CHAR(30) NOT NULL,
  type VARCHAR(64) NOT NULL,
  company_id BIGINT UNSIGNED NULL,
  company TEXT NULL,
  data MEDIUMTEXT NOT NULL,
  status ENUM('pending', 'succeeded', 'failed') NOT NULL DEFAULT 'pending',
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  retries_done INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3) NOT NULL DEFAULT UTC_TIMESTAMP(3),
  lease_token CHAR(32) NULL,
  lease_expires_at DATETIME(3) NULL,
  leased_by VARCHAR(100) NULL,
  reclaims INT UNSIGNED NOT NULL DEFAULT 0,
  last_status SMALLINT UNSIGNED NULL,
  last_error VARCHAR(200) NULL,
  created_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  delivered_at DATETIME NULL,
  UNIQUE KEY event_outbox_webhook (webhook_id),
  KEY event_outbox_pending (status, id),
  KEY event_outbox_due (status, next_attempt_at),
  KEY event_outbox_app (app_id, id),
  KEY event_outbox_app_lease (app_id, status, lease_expires_at),
  KEY event_outbox_created (created_at),
  CONSTRAINT event_outbox_app FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every delivery attempt: when, how long, what came back (the first bytes
-- of the answer), which dispatcher made it, and whether its lease had
-- expired before its outcome was recorded.
CREATE TABLE IF NOT EXISTS event_attempts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  at DATETIME(3) NOT NULL,
  duration_ms INT UNSIGNED NOT NULL,
  http_status SMALLINT UNSIGNED NULL,
  error VARCHAR(200) NULL,
  response VARCHAR(200) NULL,
  dispatcher VARCHAR(100) NOT NULL,
  lease_lost TINYINT(1) NOT NULL DEFAULT 0,
  KEY event_attempts_event (event_id, id),
  KEY event_attempts_at (at),
  CONSTRAINT event_attempts_event FOREIGN KEY (event_id) REFERENCES event_outbox (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
