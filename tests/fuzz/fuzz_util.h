/* Shared by the libFuzzer harnesses: the input bytes as a file path.
 * Readers take paths, so the bytes go to an anonymous memfd (no disk, no
 * clean-up) or, when a driver wants an extension (GDAL's CSV), to a file
 * in a private folder under /dev/shm. */
#ifndef LG_FUZZ_UTIL_H
#define LG_FUZZ_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif

#include <fcntl.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static __attribute__((unused)) int fuzz_write_all(int fd, const uint8_t *data, size_t size)
{
	while (size) {
		ssize_t k = write(fd, data, size);
		if (k <= 0)
			return -1;
		data += k;
		size -= (size_t)k;
	}
	return 0;
}

/* memfd holding the bytes; *path is "/proc/self/fd/N".  -1 on failure. */
static __attribute__((unused)) int fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t n)
{
	int fd = memfd_create("lgfuzz", 0);
	if (fd < 0)
		return -1;
	if (fuzz_write_all(fd, data, size)) {
		close(fd);
		return -1;
	}
	snprintf(path, n, "/proc/self/fd/%d", fd);
	return fd;
}

/* A private folder for this process (made once). */
static __attribute__((unused)) const char *fuzz_dir(void)
{
	static char dir[128];
	if (!dir[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof dir, "%s/lgfuzz.%ld", base, (long)getpid());
		mkdir(dir, 0700);
	}
	return dir;
}

/* The bytes as <fuzz_dir>/<name>; 0 on success. */
static __attribute__((unused)) int fuzz_file(const uint8_t *data, size_t size, const char *name, char *path,
		     size_t n)
{
	snprintf(path, n, "%s/%s", fuzz_dir(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	int r = fuzz_write_all(fd, data, size);
	return close(fd) || r ? -1 : 0;
}

#endif
