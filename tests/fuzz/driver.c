/* tests/fuzz/driver.c: runs a fuzz target on files, without libFuzzer, so
 * that make check replays the regression corpus with gcc and the
 * sanitizers.  Each argument is a file (or a folder of files); prints TAP. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n;

static void one(const char *path)
{
    gchar *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL)) {
        printf("not ok %d - %s: cannot read\n", ++n, path);
        return;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)text, len);
    g_free(text);
    printf("ok %d - %s\n", ++n, path);
}

int main(int argc, char **argv)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    for (int i = 1; i < argc; i++) {
        GDir *d = g_dir_open(argv[i], 0, NULL);
        if (!d) {
            g_ptr_array_add(files, g_strdup(argv[i]));
            continue;
        }
        const char *name;
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        while ((name = g_dir_read_name(d)))
            g_ptr_array_add(names, g_build_filename(argv[i], name, NULL));
        g_dir_close(d);
        g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
        for (guint k = 0; k < names->len; k++)
            g_ptr_array_add(files, g_strdup(names->pdata[k]));
        g_ptr_array_unref(names);
    }
    printf("1..%u\n", files->len);
    for (guint i = 0; i < files->len; i++)
        one(files->pdata[i]);
    g_ptr_array_unref(files);
    return 0;
}
