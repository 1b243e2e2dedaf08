/* A strict JSON reader for the tests (RFC 8259): validates a line and lets
 * tests look values up by path. */
#ifndef TESTS_JSON_CHECK_H
#define TESTS_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jnode {
	enum jtype t;
	const char *p; /* the value's text in the input */
	size_t n;
	const char *key; /* member name (raw, without quotes) or NULL */
	size_t keyn;
	int child, next; /* first child, next sibling; -1 = none */
};

#define J_MAX 4096

struct jdoc {
	struct jnode nodes[J_MAX];
	int count;
	const char *s, *end;
	const char *err;
	int depth;
};

static inline void
jskip_ws(struct jdoc *d)
{
	while (d->s < d->end && (*d->s == ' ' || *d->s == '\t' ||
	                         *d->s == '\n' || *d->s == '\r'))
		d->s++;
}

static inline int
jnew(struct jdoc *d, enum jtype t)
{
	struct jnode *n;

	if (d->count == J_MAX) {
		d->err = "too many nodes";
		return -1;
	}
	n = &d->nodes[d->count];
	memset(n, 0, sizeof(*n));
	n->t = t;
	n->p = d->s;
	n->child = n->next = -1;
	return d->count++;
}

/* One UTF-8 sequence (RFC 3629); returns its length or 0. */
static inline size_t
jutf8(const unsigned char *p, size_t left)
{
	unsigned c = p[0], cp;
	size_t need;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	need = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (left < need)
		return 0;
	for (size_t i = 1; i < need; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (need == 3) {
		cp = (c & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
		if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	} else if (need == 4) {
		cp = (c & 0x07u) << 18 | (p[1] & 0x3fu) << 12 |
		     (p[2] & 0x3fu) << 6 | (p[3] & 0x3fu);
		if (cp < 0x10000 || cp > 0x10ffff)
			return 0;
	}
	return need;
}

static inline bool
jstring(struct jdoc *d)
{
	if (d->s >= d->end || *d->s != '"') {
		d->err = "expected a string";
		return false;
	}
	d->s++;
	while (d->s < d->end && *d->s != '"') {
		unsigned char c = (unsigned char)*d->s;

		if (c < 0x20) {
			d->err = "control character in a string";
			return false;
		}
		if (c == '\\') {
			d->s++;
			if (d->s >= d->end) {
				d->err = "escape at the end";
				return false;
			}
			if (*d->s == 'u') {
				for (int i = 1; i <= 4; i++) {
					char h =
					    d->s + i < d->end ? d->s[i] : 0;

					if (!((h >= '0' && h <= '9') ||
					      (h >= 'a' && h <= 'f') ||
					      (h >= 'A' && h <= 'F'))) {
						d->err = "bad \\u escape";
						return false;
					}
				}
				d->s += 5;
				continue;
			}
			if (!strchr("\"\\/bfnrt", *d->s)) {
				d->err = "bad escape";
				return false;
			}
			d->s++;
			continue;
		}
		size_t u =
		    jutf8((const unsigned char *)d->s, (size_t)(d->end - d->s));

		if (u == 0) {
			d->err = "invalid UTF-8 in a string";
			return false;
		}
		d->s += u;
	}
	if (d->s >= d->end) {
		d->err = "unterminated string";
		return false;
	}
	d->s++;
	return true;
}

static inline bool
jdigits(struct jdoc *d)
{
	const char *st = d->s;

	while (d->s < d->end && *d->s >= '0' && *d->s <= '9')
		d->s++;
	return d->s > st;
}

static inline bool
jnumber(struct jdoc *d)
{
	if (d->s < d->end && *d->s == '-')
		d->s++;
	if (d->s < d->end && *d->s == '0')
		d->s++;
	else if (!jdigits(d)) {
		d->err = "bad number";
		return false;
	}
	if (d->s < d->end && *d->s == '.') {
		d->s++;
		if (!jdigits(d)) {
			d->err = "bad fraction";
			return false;
		}
	}
	if (d->s < d->end && (*d->s == 'e' || *d->s == 'E')) {
		d->s++;
		if (d->s < d->end && (*d->s == '+' || *d->s == '-'))
			d->s++;
		if (!jdigits(d)) {
			d->err = "bad exponent";
			return false;
		}
	}
	return true;
}

static int jvalue(struct jdoc *d);

static inline bool
jword(struct jdoc *d, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(d->end - d->s) < n || memcmp(d->s, w, n) != 0) {
		d->err = "bad literal";
		return false;
	}
	d->s += n;
	return true;
}

static inline int
jvalue(struct jdoc *d)
{
	int me, prev = -1;

	jskip_ws(d);
	if (d->s >= d->end) {
		d->err = "value expected";
		return -1;
	}
	if (++d->depth > 64) {
		d->err = "too deep";
		return -1;
	}
	switch (*d->s) {
	case '{':
	case '[': {
		bool obj = *d->s == '{';
		char close = obj ? '}' : ']';

		if ((me = jnew(d, obj ? J_OBJ : J_ARR)) < 0)
			return -1;
		d->s++;
		jskip_ws(d);
		if (d->s < d->end && *d->s == close) {
			d->s++;
			break;
		}
		for (;;) {
			const char *k = NULL;
			size_t kn = 0;
			int c;

			jskip_ws(d);
			if (obj) {
				k = d->s + 1;
				if (!jstring(d))
					return -1;
				kn = (size_t)(d->s - k - 1);
				jskip_ws(d);
				if (d->s >= d->end || *d->s != ':') {
					d->err = "expected ':'";
					return -1;
				}
				d->s++;
			}
			if ((c = jvalue(d)) < 0)
				return -1;
			d->nodes[c].key = k;
			d->nodes[c].keyn = kn;
			if (prev < 0)
				d->nodes[me].child = c;
			else
				d->nodes[prev].next = c;
			prev = c;
			jskip_ws(d);
			if (d->s < d->end && *d->s == ',') {
				d->s++;
				continue;
			}
			if (d->s < d->end && *d->s == close) {
				d->s++;
				break;
			}
			d->err =
			    obj ? "expected ',' or '}'" : "expected ',' or ']'";
			return -1;
		}
		break;
	}
	case '"':
		if ((me = jnew(d, J_STR)) < 0 || !jstring(d))
			return -1;
		break;
	case 't':
		if ((me = jnew(d, J_BOOL)) < 0 || !jword(d, "true"))
			return -1;
		break;
	case 'f':
		if ((me = jnew(d, J_BOOL)) < 0 || !jword(d, "false"))
			return -1;
		break;
	case 'n':
		if ((me = jnew(d, J_NULL)) < 0 || !jword(d, "null"))
			return -1;
		break;
	default:
		if ((me = jnew(d, J_NUM)) < 0 || !jnumber(d))
			return -1;
		break;
	}
	d->nodes[me].n = (size_t)(d->s - d->nodes[me].p);
	d->depth--;
	return me;
}

/* Parse exactly one JSON value spanning [s, s+n); false with d->err. */
static inline bool
jparse(struct jdoc *d, const char *s, size_t n)
{
	d->count = 0;
	d->s = s;
	d->end = s + n;
	d->err = NULL;
	d->depth = 0;
	if (jvalue(d) < 0)
		return false;
	jskip_ws(d);
	if (d->s != d->end) {
		d->err = "trailing bytes after the value";
		return false;
	}
	return true;
}

/*
 * Look a value up by a dotted path from the root: "l2tp.avps.2.value".
 * Numbers in the path index arrays.  Returns the node or NULL.
 */
static inline const struct jnode *
jget(const struct jdoc *d, const char *path)
{
	int cur = 0;
	char part[64];

	while (*path) {
		size_t n = strcspn(path, ".");
		int c;

		if (n >= sizeof(part) || cur < 0)
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		path += n;
		if (*path == '.')
			path++;
		c = d->nodes[cur].child;
		if (d->nodes[cur].t == J_ARR) {
			long idx = strtol(part, NULL, 10);

			while (c >= 0 && idx-- > 0)
				c = d->nodes[c].next;
		} else if (d->nodes[cur].t == J_OBJ) {
			while (c >= 0 &&
			       !(d->nodes[c].keyn == n &&
			         memcmp(d->nodes[c].key, part, n) == 0))
				c = d->nodes[c].next;
		} else {
			return NULL;
		}
		cur = c;
	}
	return cur >= 0 ? &d->nodes[cur] : NULL;
}

/* The node's text as a C string (static buffer; strings keep quotes). */
static inline const char *
jtext(const struct jnode *n)
{
	static char b[2048];
	size_t k;

	if (n == NULL)
		return "(missing)";
	k = n->n < sizeof(b) - 1 ? n->n : sizeof(b) - 1;
	memcpy(b, n->p, k);
	b[k] = '\0';
	return b;
}

static inline int
jcount(const struct jdoc *d, const struct jnode *n)
{
	int k = 0;

	if (n == NULL)
		return -1;
	for (int c = n->child; c >= 0; c = d->nodes[c].next)
		k++;
	return k;
}

#endif
