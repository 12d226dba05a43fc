/* sim/jsonpos.h: JSON documents that remember where each value was written.
 *
 * cJSON parses the tree; a second, light pass over the same text walks the
 * tree in step and records the line and column of every value and of every
 * object member's key, so that a scenario or policy error can name the file,
 * the line, the column and the JSON path. */
#ifndef CROSSIM_JSONPOS_H
#define CROSSIM_JSONPOS_H

#include <cjson/cJSON.h>
#include <glib.h>

typedef struct jdoc jdoc;

/* Reads and parses the file.  On failure returns NULL with *error set to
 * "PATH:LINE:COL: message" (G_IO_ERROR for unreadable files, G_MARKUP_ERROR
 * for bad JSON). */
jdoc        *jdoc_load(const char *path, GError **error);
/* Parses text (len bytes) as if read from path. */
jdoc        *jdoc_parse(const char *path, const char *text, gsize len, GError **error);
void         jdoc_free(jdoc *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(jdoc, jdoc_free)

cJSON       *jdoc_root(const jdoc *d);        /* borrowed; owned by the doc */
const char  *jdoc_file(const jdoc *d);
/* Where node's value starts (1-based); 0/0 for a node not from this text. */
void         jdoc_pos(const jdoc *d, const cJSON *node, int *line, int *col);
/* Where node's key starts, for an object member; else its value position. */
void         jdoc_key_pos(const jdoc *d, const cJSON *node, int *line, int *col);
/* Formats "FILE:LINE:COL: PATH: message" at node's value (or key when at_key). */
char        *jdoc_where(const jdoc *d, const cJSON *node, gboolean at_key,
                        const char *json_path, const char *message);

/* s with every control character (C0, DEL, C1) written as \n, \t, \r or
 * \u00XX: a message that quotes a key or value stays one line and sends
 * nothing a terminal would act on.  A new string. */
char        *jdoc_printable(const char *s);

#endif
