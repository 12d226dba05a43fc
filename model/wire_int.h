/* model/wire_int.h: what wire.c and wire_xml.c share. */
#ifndef CROSSIM_WIRE_INT_H
#define CROSSIM_WIRE_INT_H

#include "model/wire.h"

const cJSON *wire_meta(const char *prefix);
const char  *wire_meta_str(const char *prefix, const char *key);
const cJSON *wire_shape(const char *prefix, const char *name);
const char  *wire_type(const cJSON *shape);
/* A string member of a model row or shape ("s", "ln", "out"...), or NULL. */
const char  *wire_str(const cJSON *node, const char *key);
cJSON       *wire_scalar(const cJSON *shape, const char *text);
char        *wire_unescape(const char *s, gssize n, bool plus_is_space);
GPtrArray   *wire_pairs(const char *text, gsize len, bool plus_is_space);
int          wire_error_status(const char *prefix, const char *code);
/* A payload member's value as the body: a blob's base64 decoded, text as is. */
void         wire_payload_text(const char *prefix, const cJSON *shape, const char *payload,
                               const char *value, GString *body);

/* query and ec2: Action=... from the form body (or the query string). */
bool wire_decode_form(const char *prefix, const sigv4_request *r, wire_call *c,
                      const char **code, char **message);
void wire_answer_xml(const char *prefix, const char *op, const cJSON *row,
                     const cJSON *output, const char *request_id, wire_reply *out);
void wire_error_xml(const char *prefix, const char *proto, const char *code,
                    const char *message, const char *request_id, wire_reply *out);

/* rest-xml (S3): the path with a virtual-hosted bucket ("b.localhost",
 * "b.s3.us-west-2.amazonaws.com") put first, as path style has it (new). */
char  *wire_s3_path(const sigv4_request *r);
/* An aws-chunked body (Content-Encoding: aws-chunked) decoded into *out
 * (new) and *len; *out NULL when the body is not chunked.  false when the
 * chunks are malformed. */
bool   wire_unchunk(const sigv4_request *r, char **out, gsize *len);
/* An XML document as the shape's JSON (NULL when it is not XML). */
cJSON *wire_xml_parse(const char *prefix, const char *shape, const char *text, gsize len);
void   wire_answer_rest_xml(const char *prefix, const char *op, const cJSON *row,
                            const cJSON *output, wire_reply *out);

#endif
