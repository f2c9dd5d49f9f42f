/* libFuzzer: the 界址点坐标 TXT reader (lib/io/jzd.c), the header reader,
 * and the writer on whatever the reader accepts. */
#include "fuzz_util.h"
#include "landguard/landguard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], out[256];
	lg_ctx *ctx = lg_ctx_create();
	lg_layer *l = NULL;
	lg_jzd_header *h = NULL;
	lg_read_opts o = {0};
	int fd;
	if (!ctx)
		return 0;
	fd = fuzz_memfd(data, size, path, sizeof path);
	if (fd >= 0) {
		(void)lg_jzd_sniff(path);
		if (lg_jzd_header_read(ctx, path, &o, &h) == LG_OK)
			(void)lg_jzd_header_get(h, "坐标系");
		lg_jzd_header_destroy(h);
		if (lg_jzd_read(ctx, path, &o, &l) == LG_OK) {
			snprintf(out, sizeof out, "%s/out.txt", fuzz_dir());
			(void)lg_jzd_write(ctx, l, out, NULL);
		}
		lg_layer_destroy(ctx, l);
		close(fd);
	}
	lg_ctx_destroy(ctx);
	return 0;
}
