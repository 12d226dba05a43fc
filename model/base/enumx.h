/* model/base/enumx.h: enums with name tables from one list, the way libuv
 * builds its errors from UV_ERRNO_MAP:
 *
 *   #define COLOR_MAP(X) X(COLOR_RED, "red") X(COLOR_BLUE, "blue")
 *   typedef enum color { COLOR_MAP(ENUMX_ID) } color;
 *   static const char *const color_names[] = { COLOR_MAP(ENUMX_NAME) };
 *
 * The names are what reaches output (AWS's own spelling); the code compares
 * the enum values. */
#ifndef CROSSIM_ENUMX_H
#define CROSSIM_ENUMX_H

#include <stddef.h>
#include <string.h>

#define ENUMX_ID(id, name) id,
#define ENUMX_NAME(id, name) [id] = name,

/* The value whose name is s in names[0..n), or -1. */
static inline int enumx_find(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (names[i] && strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

#endif
