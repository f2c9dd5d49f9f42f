/* libFuzzer: the CSV table reader of datasets/ and users' land-use tables
 * (lib/io/csv.c): quoting, line breaks in fields, BOM, GB18030 fallback. */
#include "fuzz_util.h"
#include "io/csv_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	lg_ctx *ctx = lg_ctx_create();
	lg__csv *c = NULL;
	int fd;
	if (!ctx)
		return 0;
	fd = fuzz_memfd(data, size, path, sizeof path);
	if (fd >= 0 && lg__csv_open(ctx, path, &c) == LG_OK) {
		size_t sum = 0;
		bool eof = false;
		(void)lg__csv_column(c, "code");
		for (size_t i = 0; i <= lg__csv_nfields(c); i++)
			sum += strlen(lg__csv_column_name(c, i));
		while (lg__csv_next(c, &eof) == LG_OK && !eof) {
			for (size_t i = 0; i <= lg__csv_nfields(c); i++)
				sum += strlen(lg__csv_field(c, i));
			sum += (size_t)lg__csv_line(c);
			if (lg__csv_nfields(c) > 2)
				(void)lg__csv_error(c, 2, "x %zu", sum);
		}
	}
	lg__csv_close(c);
	if (fd >= 0)
		close(fd);
	lg_ctx_destroy(ctx);
	return 0;
}
