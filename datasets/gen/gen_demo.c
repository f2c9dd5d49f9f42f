#include "gen.h"
int gen_demo_run(const gen_demo_opts *o) { (void)o; return GEN_INTERNAL; }
