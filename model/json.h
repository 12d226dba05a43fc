/* model/json.h: cJSON with GLib's automatic cleanup, shared by every module. */
#ifndef CROSSIM_JSON_H
#define CROSSIM_JSON_H

#include <cjson/cJSON.h>
#include <glib.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(cJSON, cJSON_Delete)

#endif
