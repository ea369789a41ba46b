/* err.c - the table that maps each ost_err to its HTTP status and codes */
#include <stddef.h>

#include "core/err.h"

static const struct ost_err_info table[OST_ERR__COUNT] = {
	[OST_OK] = {200, "ok", NULL, "OK"},
	[OST_ERR_NOMEM] = {500, "server_error", "server_error", "Out of memory"},
	[OST_ERR_INVALID] = {400, "invalid_request", "invalid_request", "Invalid value"},
	[OST_ERR_MALFORMED] = {400, "malformed_request", "invalid_request", "The request could not be parsed"},
	[OST_ERR_TOO_LARGE] = {413, "payload_too_large", "invalid_request", "The request body is too large"},
	[OST_ERR_UNAUTHORIZED] = {401, "unauthorized", "invalid_client", "Authentication is required"},
	[OST_ERR_FORBIDDEN] = {403, "forbidden", "access_denied", "You are not allowed to do this"},
	[OST_ERR_CSRF] = {403, "csrf_failed", "invalid_request", "The form is stale or was not sent from Ostium; reload it and try again"},
	[OST_ERR_NOT_FOUND] = {404, "not_found", "invalid_request", "Not found"},
	[OST_ERR_METHOD] = {405, "method_not_allowed", "invalid_request", "Method not allowed"},
	[OST_ERR_NOT_ACCEPTABLE] = {406, "not_acceptable", "invalid_request", "No acceptable representation"},
	[OST_ERR_CONFLICT] = {409, "conflict", "invalid_request", "The change conflicts with the current state"},
	[OST_ERR_PRECONDITION] = {412, "precondition_failed", "invalid_request", "The resource has changed"},
	[OST_ERR_MEDIA_TYPE] = {415, "unsupported_media_type", "invalid_request", "Unsupported content type"},
	[OST_ERR_THROTTLED] = {429, "too_many_requests", "slow_down", "Too many attempts; try again later"},
	[OST_ERR_DB_UNAVAILABLE] = {503, "unavailable", "temporarily_unavailable", "The database is unavailable"},
	[OST_ERR_DB] = {500, "server_error", "server_error", "Database error"},
	[OST_ERR_CRYPTO] = {500, "server_error", "server_error", "Cryptographic error"},
	[OST_ERR_IO] = {500, "server_error", "server_error", "I/O error"},
	[OST_ERR_CONFIG] = {500, "server_error", "server_error", "Configuration error"},
	[OST_ERR_INTERNAL] = {500, "server_error", "server_error", "Internal error"},
};

const struct ost_err_info *
ost_err_info(enum ost_err err)
{
	if ((unsigned)err >= OST_ERR__COUNT)
		err = OST_ERR_INTERNAL;
	return &table[err];
}

const char *
ost_strerror(enum ost_err err)
{
	return ost_err_info(err)->message;
}
