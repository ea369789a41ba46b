/* xml_body.h - an XML request body read into the tree a JSON body gives:
 * the inverse of render_xml (render/render.h) */
#ifndef OST_XML_BODY_H
#define OST_XML_BODY_H

#include <stddef.h>
#include <jansson.h>
#include "core/err.h"

/* Elements nested deeper than this are refused: a body's fields and the
 * objects they hold (valid/fields.h bounds those) stay far below. */
#define XML_BODY_DEPTH_MAX 128

/* xml_body_parse - the N bytes of BODY, an XML document, as the JSON object
 * *OUT (new reference) that the same fields sent as JSON give. The mapping
 * is render_xml's, read back: the document element (any name) is the
 * object; a child element is a member named by the element, or by the key
 * attribute of an <entry key="...">; type="array" makes the <item>
 * children a list; type="number" (a JSON number's digits), "boolean"
 * (true or false), "null" (empty) and "object" (members, or none) type the
 * value; without a type an element with child elements is an object and
 * any other a string, its text kept as is (the document element is an
 * object unless its type says otherwise: <app/> is {}). Whitespace between child elements, comments and
 * processing instructions are ignored; CDATA is text.
 *
 * Parsed by libxml2 without network access and without entities: any
 * DOCTYPE is refused before its declarations are read, as are elements
 * nested deeper than XML_BODY_DEPTH_MAX, namespaces, other attributes, a
 * key given twice, mixed text and elements, and a value that does not
 * match its type. OST_ERR_MALFORMED with *WHY (a static sentence for the
 * client) on any refusal, OST_ERR_NOMEM when memory runs out; *OUT is then
 * NULL. The caller bounds N. */
enum ost_err xml_body_parse(const char *body, size_t n, json_t **out, const char **why)
    OST_MUST_CHECK;

#endif
