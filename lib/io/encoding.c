/* Text encodings: UTF-8 validation and iconv conversion (GBK/GB18030). */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"
#include "landguard/layer.h"

bool lg_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned int cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Reject overlong forms and surrogates: GBK bytes can look like
		 * them, and accepting them would hide mojibake. */
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

static char *convert(const char *s, size_t n, const char *to, const char *from)
{
	iconv_t cd = iconv_open(to, from);
	size_t cap = n * 4 + 4, left_in = n, left_out;
	char *out, *in = (char *)s, *o;
	if (cd == (iconv_t)-1)
		return NULL;
	out = malloc(cap);
	if (!out) {
		iconv_close(cd);
		return NULL;
	}
	o = out;
	left_out = cap - 1;
	if (iconv(cd, &in, &left_in, &o, &left_out) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &o, &left_out) == (size_t)-1) {
		free(out);
		iconv_close(cd);
		return NULL;
	}
	*o = '\0';
	iconv_close(cd);
	return out;
}

/* GBK and GB2312 files are read as GB18030, their superset: characters
 * such as 䓛 (GB 36600 item 42) exist only there (domain-facts §2.3). */
static const char *superset(const char *enc)
{
	if (lg__strieq(enc, "GBK") || lg__strieq(enc, "GB2312") ||
	    lg__strieq(enc, "CP936") || lg__strieq(enc, "936") ||
	    lg__strieq(enc, "GB18030"))
		return "GB18030";
	return enc;
}

char *lg_to_utf8(const char *s, size_t n, const char *enc)
{
	if (!enc || lg__strieq(enc, "UTF-8") || lg__strieq(enc, "UTF8")) {
		char *o;
		if (!lg_utf8_valid(s, n))
			return NULL;
		o = malloc(n + 1);
		if (o) {
			memcpy(o, s, n);
			o[n] = '\0';
		}
		return o;
	}
	return convert(s, n, "UTF-8", superset(enc));
}

char *lg_from_utf8(const char *s, const char *enc)
{
	if (!enc || lg__strieq(enc, "UTF-8") || lg__strieq(enc, "UTF8"))
		return strdup(s);
	/* Writing GBK: GB18030 would emit 4-byte codes that GBK readers cannot
	 * decode, so convert to CP936 and fail on characters outside it. */
	return convert(s, strlen(s), lg__strieq(enc, "GB18030") ? "GB18030" : "CP936",
		       "UTF-8");
}
