/* migrate.h - applying the numbered migrations of sql/ (used by ostiumctl) */
#ifndef OST_MIGRATE_H
#define OST_MIGRATE_H

#include <stddef.h>
#include "core/config.h"
#include "core/err.h"

/* store_migrate - apply, in order, every file NNNN_name.sql of SQL_DIR whose
 * number is not yet in schema_migrations, each with its version row in one
 * transaction (MariaDB commits DDL implicitly, so a migration should hold
 * one kind of change). Holds a database lock meanwhile, so two runs never
 * overlap. *APPLIED gets how many were applied; on failure ERRBUF says which
 * file and why. Running it again applies nothing. */
enum ost_err store_migrate(const struct config *cfg, const char *sql_dir, unsigned *applied,
    char *errbuf, size_t errsz) OST_MUST_CHECK;

/* store_schema_version - *VERSION gets the highest applied migration (0 when
 * none) through the worker's connection. */
enum ost_err store_schema_version(long long *version) OST_MUST_CHECK;

#endif
