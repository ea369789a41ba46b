/* dispatch.h - one request end to end: parse, route, authenticate, handle, render, log */
#ifndef OST_DISPATCH_H
#define OST_DISPATCH_H

#include <fcgiapp.h>
#include "core/app.h"
#include "core/err.h"
#include "render/render.h"

/* dispatch_request - serve the FastCGI request FR with APP; never fails:
 * every problem becomes an answer in the error shape. Returns the bytes of
 * the request's body and of the answer's, together (a large request may
 * leave memory to give back). */
size_t dispatch_request(const struct app *app, FCGX_Request *fr);

/* dispatch_negotiate - the representation for a client sending ACCEPT
 * (NULL: none) and ?format=OVERRIDE (NULL: none), among FORMATS (RENDER_*
 * bits; when several are equally acceptable, HTML, then JSON, then XML).
 * OST_ERR_NOT_ACCEPTABLE when none will do. */
enum ost_err dispatch_negotiate(const char *accept, const char *override, unsigned formats,
    enum render_format *out) OST_MUST_CHECK;

#endif
