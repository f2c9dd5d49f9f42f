/* Memory pools: blocks freed together (see lg_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"

#define POOL_BLOCK (256 * 1024)

void *lg__pool_alloc(lg__pool **head, size_t n)
{
	lg__pool *p = *head;
	n = (n + 7) & ~(size_t)7; /* keeps every piece 8-byte aligned */
	if (!p || p->cap - p->used < n) {
		size_t cap = n > POOL_BLOCK ? n : POOL_BLOCK;
		p = malloc(sizeof *p + cap);
		if (!p)
			return NULL;
		p->next = *head;
		p->used = 0;
		p->cap = cap;
		*head = p;
	}
	void *d = p->data + p->used;
	p->used += n;
	return d;
}

void lg__pool_free(lg__pool **head)
{
	while (*head) {
		lg__pool *next = (*head)->next;
		free(*head);
		*head = next;
	}
}

void lg__pool_splice(lg__pool **dst, lg__pool **src)
{
	lg__pool *last = *src;
	if (!last)
		return;
	while (last->next)
		last = last->next;
	last->next = *dst;
	*dst = *src;
	*src = NULL;
}
