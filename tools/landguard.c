/* landguard: main() and the command table (git.c style). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "landguard/core.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"info", cmd_info, "describe a layer: format, CRS (declared or guessed), encoding, fields, land-use codes"},
	{"convert", cmd_convert, "convert between formats and CRSs, incl. 界址点坐标 TXT"},
	{"overlay", cmd_overlay, "suspected/polluted parcels on the land-use plan: overlaps and 一住两公 conflicts"},
	{"check", cmd_check, "一住两公 compliance rules YZ-01…YZ-10; the monthly 清零 list with --period"},
	{"riverbuf", cmd_riverbuf, "ecological buffer belts outside river/reservoir management lines: occupation and clear width per stretch"},
	{"gwzone", cmd_gwzone, "groundwater source protection zones (HJ 338-2018) and the pollution sources inside them"},
	{"gwquality", cmd_gwquality, "class groundwater samples I-V (GB/T 14848-2017) against each point's target"},
	{"map", cmd_map, "print-ready maps (PDF, SVG, PNG): themes, legend, scale, north arrow, Chinese text"},
	{"workspace", cmd_workspace, "the workspace file: import layers (versioned), list, drop, run history"},
	{"batch", cmd_batch, "run a job's checks for many areas (e.g. every county of a city) in parallel"},
	{"report", cmd_report, "a whole job (monthly 清零, quarterly review) as report.html, report.pdf, ledger.xlsx and maps"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: landguard COMMAND [options]\n\n"
		   "landguard checks polluted and suspected land against land-use plans,\n"
		   "river buffer belts and groundwater protection zones (一住两公 compliance).\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'landguard COMMAND --help' shows a command's options and examples.\n"
		   "'landguard --version' prints the version.\n");
}

int main(int argc, char **argv)
{
	const char *name;
	if (argc < 2) {
		usage(stderr);
		fprintf(stderr, "landguard: error: give a COMMAND (listed above)\n");
		return 2;
	}
	name = argv[1];
	if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
		if (argc > 2) {
			char *hv[] = {argv[2], "--help", NULL};
			for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
				if (commands[i].fn && !strcmp(commands[i].name, argv[2]))
					return commands[i].fn(2, hv);
		}
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("landguard %s\n", LG_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (commands[i].fn && !strcmp(commands[i].name, name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "landguard: error: unknown command '%s'; try 'landguard help'\n", name);
	return 2;
}
