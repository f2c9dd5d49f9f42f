/* Map and style files: INI read whole with inih, then interpreted.
 *
 * Debian's inih reads lines of at most 200 bytes into a stack buffer and
 * splits longer ones silently; its limits are process-wide globals that a
 * library must not change.  So lines are measured first and a long one is
 * an error naming its line, and long values continue on indented lines
 * (inih's multi-line mode calls the handler again with the same key). */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_int.h"

#define LG_INI_MAX_LINE 196 /* inih's 200 less CR, LF, NUL and a margin */

struct ini_ud {
	lg_ctx *ctx;
	lg__ini *ini;
	lg_status st;
};

static int on_entry(void *user, const char *section, const char *name,
		    const char *value)
{
	struct ini_ud *u = user;
	lg__ini *ini = u->ini;
	if (u->st)
		return 0;
	if (ini->n) {
		lg__ini_entry *p = &ini->e[ini->n - 1];
		/* A repeated key right after itself is a continuation line. */
		if (!strcmp(p->section, section) && !strcmp(p->key, name)) {
			size_t a = strlen(p->value), b = strlen(value);
			char *v = lg__realloc(u->ctx, p->value, a + b + 2);
			if (!v) {
				u->st = LG_NOMEM;
				return 0;
			}
			if (a && b)
				v[a++] = ' ';
			memcpy(v + a, value, b + 1);
			p->value = v;
			return 1;
		}
	}
	if ((u->st = lg__grow(u->ctx, (void **)&ini->e, &ini->cap, ini->n + 1,
			      sizeof *ini->e)))
		return 0;
	lg__ini_entry *e = &ini->e[ini->n];
	e->section = lg__strdup(u->ctx, section);
	e->key = lg__strdup(u->ctx, name);
	e->value = lg__strdup(u->ctx, value);
	if (!e->section || !e->key || !e->value) {
		free(e->section);
		free(e->key);
		free(e->value);
		u->st = LG_NOMEM;
		return 0;
	}
	ini->n++;
	return 1;
}

lg_status lg__ini_read(lg_ctx *ctx, const char *path, lg__ini **out)
{
	FILE *f = NULL;
	lg__ini *ini = NULL;
	lg_status st = LG_OK;
	struct ini_ud u;
	char line[4096];
	long lineno = 0;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return lg_ctx_error(ctx, LG_NOFILE, "cannot open '%s': %s", path,
				    strerror(errno));
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		lineno++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n > LG_INI_MAX_LINE) {
			fclose(f);
			return lg_ctx_error(ctx, LG_INPUT,
					    "line %ld of '%s' is %zu bytes long, more than %d; "
					    "continue the value on an indented next line",
					    lineno, path, n, LG_INI_MAX_LINE);
		}
		/* a line longer than the buffer arrives in pieces: count once */
		while (n == sizeof line - 1 && line[n - 1] != '\n' && fgets(line, sizeof line, f))
			n = strlen(line);
	}
	rewind(f);
	ini = lg__calloc(ctx, 1, sizeof *ini);
	if (!ini || !(ini->path = lg__strdup(ctx, path))) {
		st = LG_NOMEM;
		goto done;
	}
	u.ctx = ctx;
	u.ini = ini;
	u.st = LG_OK;
	int rc = ini_parse_file(f, on_entry, &u);
	if (u.st) {
		st = u.st;
		goto done;
	}
	if (rc) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "line %d of '%s' is neither [section], key = value nor a comment",
				  rc, path);
		goto done;
	}
	*out = ini;
	ini = NULL;
done:
	if (st == LG_NOMEM)
		lg_ctx_error(ctx, LG_NOMEM, "out of memory reading '%s'", path);
	fclose(f);
	lg__ini_destroy(ini);
	return st;
}

void lg__ini_destroy(lg__ini *ini)
{
	if (!ini)
		return;
	for (size_t i = 0; i < ini->n; i++) {
		free(ini->e[i].section);
		free(ini->e[i].key);
		free(ini->e[i].value);
	}
	free(ini->e);
	free(ini->path);
	free(ini);
}

char *lg__path_join_dir(lg_ctx *ctx, const char *path, const char *rel)
{
	const char *slash = strrchr(path, '/');
	size_t dn = slash ? (size_t)(slash - path) : 0;
	if (rel[0] == '/' || !slash)
		return lg__strdup(ctx, rel);
	char *s = lg__malloc(ctx, dn + 1 + strlen(rel) + 1);
	if (!s)
		return NULL;
	memcpy(s, path, dn);
	s[dn] = '/';
	strcpy(s + dn + 1, rel);
	return s;
}
