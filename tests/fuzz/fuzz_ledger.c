/* libFuzzer: the events ledger reader (lib/io/ledger.c) on CSV bytes:
 * Chinese/English headers, dates in three spellings, unknown events and
 * results, missing columns.  GDAL's CSV driver wants a .csv name, so the
 * bytes go to a file in a private /dev/shm folder. */
#include "fuzz_util.h"
#include "landguard/landguard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	lg_ctx *ctx = lg_ctx_create();
	lg_ledger *lg = NULL;
	if (!ctx)
		return 0;
	if (fuzz_file(data, size, "ledger.csv", path, sizeof path) == 0) {
		const char *src[] = {path};
		if (lg_ledger_read(ctx, src, 1, NULL, &lg) == LG_OK)
			lg_ledger_destroy(lg);
	}
	lg_ctx_destroy(ctx);
	return 0;
}
