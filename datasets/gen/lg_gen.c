/* landguard-gen: demo county and benchmark data for landguard.
 *
 *   landguard-gen demo  [--outline GEOJSON] [-o DIR] [--seed S] [--small-only]
 *   landguard-gen scale --plan N [--sites M] [--seed S] -o DIR
 *
 * Output is a pure function of the arguments: same seed and size, same
 * bytes (tests compare two runs with cmp). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#ifndef LG_GEN_OUTLINE
#define LG_GEN_OUTLINE "datasets/demo/xinjiang/county_outline.geojson"
#endif

typedef struct opt_doc {
	const char *name;
	int has_arg;
	int val;
	const char *arg, *help;
} opt_doc;

/* One table drives getopt_long and --help, so they cannot disagree. */
static const opt_doc OPTS[] = {
	{"outline", 1, 'O', "GEOJSON",
	 "demo: county outline, lon/lat (default: the committed 新绛县 outline)"},
	{"output", 1, 'o', "DIR", "output directory (created when missing)"},
	{"seed", 1, 's', "S", "seed of the random generator (default 20261001)"},
	{"plan", 1, 'p', "N", "scale: number of plan polygons (10000 .. 100000000)"},
	{"sites", 1, 'm', "M", "scale: number of register sites (default N/2000, at least 10)"},
	{"small-only", 0, 'S', NULL,
	 "demo: write only the committed small layers, not survey/plan"},
	{"quiet", 0, 'q', NULL, "no progress messages"},
	{"help", 0, 'h', NULL, "this help"},
	{NULL, 0, 0, NULL, NULL}};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: landguard-gen demo [--outline GEOJSON] [-o DIR] [--seed S]\n"
		"       landguard-gen scale --plan N [--sites M] [--seed S] -o DIR\n\n"
		"demo writes the 新绛县 demo county (datasets/demo/xinjiang); scale writes\n"
		"plan/sites/water/wells/sources of any size for tests and benchmarks.\n\n"
		"options:\n");
	for (const opt_doc *d = OPTS; d->name; d++) {
		char left[40];
		snprintf(left, sizeof left, "--%s%s%s", d->name, d->arg ? " " : "",
			 d->arg ? d->arg : "");
		if (d->val == 'o' || d->val == 'h')
			fprintf(out, "  -%c, %-22s %s\n", d->val, left, d->help);
		else
			fprintf(out, "      %-22s %s\n", left, d->help);
	}
}

/* Whole non-negative number, or a message naming the option. */
static int parse_count(const char *opt, const char *s, long long lo, long long hi,
		       long long *out)
{
	char *end;
	long long v;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "landguard-gen: --%s must be a whole number from %lld to %lld "
				"(got '%s')\n",
			opt, lo, hi, s);
		return GEN_USAGE;
	}
	*out = v;
	return GEN_OK;
}

int main(int argc, char **argv)
{
	struct option lopts[sizeof OPTS / sizeof OPTS[0]];
	const char *mode, *outdir = NULL, *outline = LG_GEN_OUTLINE;
	long long n_plan = -1, n_sites = -1, seed = 20261001;
	int small_only = 0, quiet = 0, c, n = 0;
	for (const opt_doc *d = OPTS; d->name; d++, n++) {
		lopts[n].name = d->name;
		lopts[n].has_arg = d->has_arg;
		lopts[n].flag = NULL;
		lopts[n].val = d->val;
	}
	memset(&lopts[n], 0, sizeof lopts[n]);

	if (argc < 2) {
		usage(stderr);
		return GEN_USAGE;
	}
	mode = argv[1];
	if (!strcmp(mode, "--help") || !strcmp(mode, "-h") || !strcmp(mode, "help")) {
		usage(stdout);
		return GEN_OK;
	}
	if (strcmp(mode, "demo") && strcmp(mode, "scale")) {
		fprintf(stderr, "landguard-gen: unknown mode '%s'; try 'landguard-gen --help'\n",
			mode);
		return GEN_USAGE;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "o:hq", lopts, NULL)) != -1) {
		switch (c) {
		case 'O':
			outline = optarg;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 's':
			if (parse_count("seed", optarg, 0, INT64_MAX, &seed))
				return GEN_USAGE;
			break;
		case 'p':
			if (parse_count("plan", optarg, 1, 100000000LL, &n_plan))
				return GEN_USAGE;
			break;
		case 'm':
			if (parse_count("sites", optarg, 0, 10000000LL, &n_sites))
				return GEN_USAGE;
			break;
		case 'S':
			small_only = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return GEN_OK;
		default:
			fprintf(stderr, "landguard-gen: try 'landguard-gen --help'\n");
			return GEN_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "landguard-gen: unexpected argument '%s'\n", argv[optind]);
		return GEN_USAGE;
	}
	gen_gdal_setup();
	if (!strcmp(mode, "scale")) {
		gen_scale_opts so = {0};
		if (n_plan < 0 || !outdir) {
			fprintf(stderr, "landguard-gen: scale needs --plan N and -o DIR\n");
			return GEN_USAGE;
		}
		so.n_plan = n_plan;
		so.n_sites = n_sites >= 0 ? n_sites : (n_plan / 2000 > 10 ? n_plan / 2000 : 10);
		so.seed = (uint64_t)seed;
		so.outdir = outdir;
		so.quiet = quiet;
		return gen_scale_run(&so);
	} else {
		gen_demo_opts d = {0};
		d.outline = outline;
		if (!outdir) {
			fprintf(stderr, "landguard-gen: demo needs -o DIR (e.g. datasets/demo/xinjiang)\n");
			return GEN_USAGE;
		}
		d.outdir = outdir;
		d.seed = (uint64_t)seed;
		d.only_small = small_only;
		d.quiet = quiet;
		return gen_demo_run(&d);
	}
}
