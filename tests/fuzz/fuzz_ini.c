/* libFuzzer: map/style INI files (lib/render/ini.c through inih, then
 * lg_map_load_ini's interpretation: layers, styles, paths, page). */
#include "fuzz_util.h"
#include "landguard/landguard.h"
#include "render/render_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	lg_ctx *ctx = lg_ctx_create();
	lg__ini *ini = NULL;
	int fd;
	if (!ctx)
		return 0;
	fd = fuzz_memfd(data, size, path, sizeof path);
	if (fd >= 0) {
		if (lg__ini_read(ctx, path, &ini) == LG_OK)
			lg__ini_destroy(ini);
		lg_map *m = lg_map_create(ctx);
		if (m) {
			(void)lg_map_load_ini(ctx, m, path);
			lg_map_destroy(ctx, m);
		}
		close(fd);
	}
	lg_ctx_destroy(ctx);
	return 0;
}
