/* sim/wfile.h: files that appear whole or not at all.
 *
 * Every output that is written in one piece (summary.json, timeline.html,
 * each CloudTrail .json.gz) goes through here.  The bytes go to an unnamed
 * file in the target's folder (O_TMPFILE), which is given its name only
 * when complete: a full disk, an error or a kill -9 at any point leaves the
 * old file or none, and never a temporary file.  Where the file system has
 * no O_TMPFILE, a named temporary is used and removed on every error. */
#ifndef CROSSIM_WFILE_H
#define CROSSIM_WFILE_H

#include <glib.h>
#include <stdbool.h>
#include <sys/uio.h>

/* Writes len bytes as path (replacing it).  false with *error (G_FILE_ERROR). */
bool wfile_write(const char *path, const void *data, gsize len, GError **error);
/* The same, gzip-compressed. */
bool wfile_write_gzip(const char *path, const void *data, gsize len, GError **error);

/* Appends whole lines, gathered from n pieces, to a file opened with
 * O_APPEND: on a failed or short write the file is cut back to the end of
 * the last whole line written, so a full disk leaves whole records only.
 * false with *error. */
bool wfile_append_lines(int fd, const char *path, const struct iovec *iov, int n, GError **error);

/* Removes path and, for a folder, everything below it; a symbolic link is
 * removed itself, never followed, so nothing outside path goes.  Errors are
 * ignored: what cannot be removed stays. */
void wfile_remove_tree(const char *path);

#endif
