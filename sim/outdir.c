/* sim/outdir.c: refusing, or clearing, a folder that holds an earlier run
 * (see outdir.h). */
#include "sim/outdir.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

static const char *const FILES[] = { "summary.json", "timeline.html", "credentials", NULL };

static bool exists(const char *dir, const char *name)
{
    g_autofree char *p = g_build_filename(dir, name, NULL);
    return g_file_test(p, G_FILE_TEST_EXISTS);
}

/* Removes path's files ending in suffix, below it to any depth, then the
 * folders left empty (path included). */
static bool clear_tree(const char *path, const char *suffix, GError **error)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (!d)
        return true;
    const char *name;
    bool ok = true;
    while (ok && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(path, name, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
            ok = clear_tree(p, suffix, error);
        else if (g_str_has_suffix(name, suffix) && g_remove(p) != 0) {
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                        "cannot remove %s: %s", p, g_strerror(errno));
            ok = false;
        }
    }
    g_dir_close(d);
    g_rmdir(path);          /* only if now empty */
    return ok;
}

bool outdir_prepare(const char *dir, bool force, GError **error)
{
    GPtrArray *found = g_ptr_array_new();
    for (int i = 0; FILES[i]; i++)
        if (exists(dir, FILES[i]))
            g_ptr_array_add(found, (gpointer)FILES[i]);
    if (exists(dir, "trail"))
        g_ptr_array_add(found, "trail/");
    if (exists(dir, "AWSLogs"))
        g_ptr_array_add(found, "AWSLogs/");
    bool earlier = found->len > 0;
    if (earlier && !force) {
        g_ptr_array_add(found, NULL);
        g_autofree char *list = g_strjoinv(", ", (char **)found->pdata);
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                    "%s holds an earlier run (%s): give another --out, or --force to remove "
                    "crossim's outputs there first", dir, list);
        g_ptr_array_unref(found);
        return false;
    }
    g_ptr_array_unref(found);
    if (!earlier)
        return true;
    for (int i = 0; FILES[i]; i++) {
        g_autofree char *p = g_build_filename(dir, FILES[i], NULL);
        if (g_file_test(p, G_FILE_TEST_EXISTS) && g_remove(p) != 0) {
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                        "cannot remove %s: %s", p, g_strerror(errno));
            return false;
        }
    }
    g_autofree char *trail = g_build_filename(dir, "trail", NULL);
    g_autofree char *logs = g_build_filename(dir, "AWSLogs", NULL);
    return clear_tree(trail, ".jsonl", error) && clear_tree(logs, ".json.gz", error);
}

bool outdir_claim_file(const char *path, bool force, GError **error)
{
    GStatBuf st;
    if (g_stat(path, &st) != 0)
        return true;
    if (!S_ISREG(st.st_mode)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST, "%s exists and is not a file", path);
        return false;
    }
    if (!force) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                    "%s already exists (from an earlier run?); give --force to replace it", path);
        return false;
    }
    return true;
}
