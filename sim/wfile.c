/* sim/wfile.c: whole-file writes and whole-line appends. */
#include "sim/wfile.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static bool fail(GError **error, int err, const char *what, const char *path)
{
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "cannot %s %s: %s", what, path,
                g_strerror(err));
    return false;
}

static bool write_all(int fd, const char *p, gsize len, gsize *done)
{
    *done = 0;
    while (*done < len) {
        ssize_t n = write(fd, p + *done, len - *done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0) {
            errno = ENOSPC;
            return false;
        }
        *done += (gsize)n;
    }
    return true;
}

/* Through a named temporary, for file systems without O_TMPFILE. */
static bool via_named(const char *path, const void *data, gsize len, GError **error)
{
    g_autofree char *tmp = g_strdup_printf("%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(error, errno, "create", tmp);
    gsize done;
    bool ok = write_all(fd, data, len, &done);
    int err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        unlink(tmp);
        return fail(error, err, "write", path);
    }
    return true;
}

bool wfile_write(const char *path, const void *data, gsize len, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL))
        return via_named(path, data, len, error);
    if (fd < 0)
        return fail(error, errno, "create a file in", dir);
    gsize done;
    if (!write_all(fd, data, len, &done)) {
        int err = errno;
        close(fd);                        /* the unnamed file goes with it */
        return fail(error, err, "write", path);
    }
    /* linkat cannot replace: the old file goes first.  A kill between the
     * two leaves no file, never a partial one. */
    g_autofree char *proc = g_strdup_printf("/proc/self/fd/%d", fd);
    if (unlink(path) != 0 && errno != ENOENT) {
        int err = errno;
        close(fd);
        return fail(error, err, "replace", path);
    }
    if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) != 0) {
        int err = errno;
        close(fd);
        return fail(error, err, "name", path);
    }
    if (close(fd) != 0)
        return fail(error, errno, "close", path);
    return true;
}

bool wfile_write_gzip(const char *path, const void *data, gsize len, GError **error)
{
    g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
    GByteArray *out = g_byte_array_sized_new((guint)(len / 4 + 64));
    const guint8 *in = data;
    gsize left = len;
    guint8 buf[64 * 1024];
    GConverterResult r;
    do {
        gsize read = 0, wrote = 0;
        r = g_converter_convert(G_CONVERTER(z), in, left, buf, sizeof buf,
                                G_CONVERTER_INPUT_AT_END, &read, &wrote, error);
        if (r == G_CONVERTER_ERROR) {
            g_byte_array_unref(out);
            return false;
        }
        in += read;
        left -= read;
        g_byte_array_append(out, buf, (guint)wrote);
    } while (r != G_CONVERTER_FINISHED);
    bool ok = wfile_write(path, out->data, out->len, error);
    g_byte_array_unref(out);
    return ok;
}

bool wfile_append_lines(int fd, const char *path, const struct iovec *iov, int n, GError **error)
{
    gsize total = 0, done = 0;
    for (int i = 0; i < n; i++)
        total += iov[i].iov_len;
    int at = 0;
    gsize off = 0;                       /* into iov[at] */
    int err = 0;
    while (done < total) {
        struct iovec part[IOV_MAX];
        int k = 0;
        for (int i = at; i < n && k < IOV_MAX; i++, k++) {
            part[k].iov_base = (char *)iov[i].iov_base + (i == at ? off : 0);
            part[k].iov_len = iov[i].iov_len - (i == at ? off : 0);
        }
        ssize_t w = writev(fd, part, k);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            err = w < 0 ? errno : ENOSPC;
            break;
        }
        done += (gsize)w;
        for (gsize left = (gsize)w; left > 0;) {
            gsize here = iov[at].iov_len - off;
            if (left < here) {
                off += left;
                left = 0;
            } else {
                left -= here;
                at++;
                off = 0;
            }
        }
    }
    if (done == total)
        return true;
    /* Keep what ends in a newline; cut the torn rest.  The file was
     * appended to, so it began done bytes before its end now. */
    off_t end = lseek(fd, 0, SEEK_END);
    gsize keep = 0, seen = 0;
    for (int i = 0; i < n && seen < done; i++) {
        const char *p = iov[i].iov_base;
        gsize here = MIN(iov[i].iov_len, done - seen);
        for (gsize j = 0; j < here; j++)
            if (p[j] == '\n')
                keep = seen + j + 1;
        seen += here;
    }
    if (end >= 0 && ftruncate(fd, end - (off_t)done + (off_t)keep) != 0)
        err = errno;
    return fail(error, err, "write", path);
}

void wfile_remove_tree(const char *path)
{
    GStatBuf st;
    if (g_lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        GDir *d = g_dir_open(path, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(path, name, NULL);
            wfile_remove_tree(p);
        }
        if (d)
            g_dir_close(d);
        g_rmdir(path);
    } else {
        g_remove(path);
    }
}
