/* page_fit.h - pages that fit in an answer: cut by size as well as by
 * count, and a row too large for a page on its own shortened */
#ifndef OST_HTTP_PAGE_FIT_H
#define OST_HTTP_PAGE_FIT_H

#include <jansson.h>
#include "core/err.h"
#include "render/render.h"

/* What one page's rows may take as the answer writes them: half of what an
 * answer may be (http/dispatch.c), the rest left for what surrounds them. */
#define PAGE_BYTES_MAX (4 * 1024 * 1024)
/* The bytes of text a value cut short keeps, before its "…". */
#define PAGE_SHORT_KEEP 1024
/* What the markup of one row of a console table may add to its text. */
#define PAGE_ROW_MARKUP 1024

/* What a page shows of ROW (a new reference, NULL when memory runs out):
 * the console's table row made of it, for instance. */
typedef json_t *(*page_shown)(const json_t *row);

/* page_fit - how many of the first LIMIT of ROWS one page holds, into *FIT:
 * as many as fit in PAGE_BYTES_MAX once FORMAT writes what each shows
 * (SHOWN(row); NULL: the row itself), and always the first, so that a
 * page never stands still. When the first row alone is larger and SHORTEN
 * names one of its members (an object or a list), that member's largest
 * values are cut short (their text, a string's own or any other value's
 * JSON, to PAGE_SHORT_KEEP bytes and "…") until the row fits, its last
 * values then left out if it still does not, and the row's member MARK set
 * to true. OST_ERR_NOMEM when memory runs out. */
enum ost_err page_fit(enum render_format format, json_t *rows, unsigned limit,
    page_shown shown, const char *shorten, const char *mark, unsigned *fit) OST_MUST_CHECK;

#endif
