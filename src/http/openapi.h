/* openapi.h - the API description (OpenAPI 3.1), made from the route table
 * and the field tables it names */
#ifndef OST_HTTP_OPENAPI_H
#define OST_HTTP_OPENAPI_H

#include <jansson.h>
#include "core/config.h"

/* openapi_build - a new OpenAPI 3.1 document describing every route of the
 * route table under /api/ (and /healthz) that answers JSON, served from
 * CFG's base_url: parameters from the patterns, the pages and the
 * resources' filters; request bodies from the routes' field tables;
 * answers from their struct route_answer; refusals in the error shape.
 * NULL on no memory, or when two tables would give one schema name two
 * meanings (logged). The caller owns the result. */
json_t *openapi_build(const struct config *cfg);

/* openapi_document - the document for CFG, built at the first call and
 * kept for the life of the worker (built again when base_url changes).
 * Borrowed: json_incref it to keep it. NULL when it cannot be built. */
json_t *openapi_document(const struct config *cfg);

#endif
