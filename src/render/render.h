/* render.h - turning a result tree (jansson) into JSON, XML or HTML */
#ifndef OST_RENDER_H
#define OST_RENDER_H

#include <jansson.h>
#include "core/buf.h"
#include "core/err.h"

enum render_format {
	RENDER_JSON = 1 << 0,
	RENDER_XML = 1 << 1,
	RENDER_HTML = 1 << 2,
};

/* render_json - TREE as compact UTF-8 JSON appended to OUT. */
enum ost_err render_json(const json_t *tree, struct buf *out) OST_MUST_CHECK;

/* render_json_size - *N := the bytes render_json writes for TREE.
 * OST_ERR_INVALID when jansson refuses the tree. */
enum ost_err render_json_size(const json_t *tree, size_t *n) OST_MUST_CHECK;

/* render_xml - TREE as an XML document appended to OUT (libxml2 writer, so
 * every value is escaped). The document element is <response>; an object
 * becomes one child element per key (a key that is not an XML name becomes
 * <entry key="...">), an empty one carries type="object"; an array becomes
 * <item> children of its element with type="array"; numbers, booleans and
 * null carry type="number", "boolean", "null"; strings carry no type.
 * http/xml_body.c reads this mapping back (request bodies). */
enum ost_err render_xml(const json_t *tree, struct buf *out) OST_MUST_CHECK;

/* render_xml_size - *N := the bytes render_xml writes for TREE, counted
 * without keeping them. Errors as render_xml. */
enum ost_err render_xml_size(const json_t *tree, size_t *n) OST_MUST_CHECK;

/* A set of HTML templates parsed once per worker. */
struct render_templates;

/* render_html_load - parse every *.html file in DIR with libxml2's HTML parser.
 * DIR must hold layout.html (the page frame). On error *ERRMSG (static or
 * NULL) says which file failed. */
enum ost_err render_html_load(const char *dir, struct render_templates **out,
    const char **errmsg) OST_MUST_CHECK;

/* render_html_free - release what render_html_load made. */
void render_html_free(struct render_templates *t);

/* render_html - bind TREE into the page template NAME (file NAME.html) set
 * inside layout.html, and append "<!DOCTYPE html>" plus the serialised page to
 * OUT. BASE_PATH ("" or "/prefix", never a trailing slash) is prefixed to
 * every data-link-* URL. OST_ERR_NOT_FOUND when there is no such template.
 *
 * layout.html holds one element with data-slot="content": its children are
 * replaced by the children of the page file's <body>.
 *
 * Binding attributes (all removed from the output):
 *   data-text="PATH"        the element's content becomes the value as text
 *   data-if="PATH"          the element is kept only when the value is truthy
 *   data-unless="PATH"      the element is kept only when it is falsy
 *   data-each="PATH"        the element is repeated for each item of the array
 *                           at PATH, with the item as the current scope
 *   data-attr-NAME="PATH"   attribute NAME gets the value (removed when null
 *                           or false; NAME="NAME" when true)
 *   data-link-NAME="/a/{PATH}/b"  attribute NAME gets BASE_PATH + the text,
 *                           each {PATH} replaced by the value, percent-encoded
 * PATH is dotted ("user.email"); "." is the current scope. A path is looked
 * up in the current scope first, then in each enclosing scope, then the root.
 * Truthy: not missing, not null, not false, not 0, not "", not an empty array
 * or object. Scalars render as text: strings as is, integers and reals in
 * decimal, true/false as "true"/"false", null as "". */
enum ost_err render_html(const struct render_templates *t, const char *name,
    const json_t *tree, const char *base_path, struct buf *out) OST_MUST_CHECK;

/* render_html_text_size - at most how many bytes the scalars of TREE (every
 * string, number and boolean, at any depth) take once bound into a page as
 * text or attribute values and escaped: the most a template adds for them,
 * whatever its markup. */
size_t render_html_text_size(const json_t *tree);

#endif
