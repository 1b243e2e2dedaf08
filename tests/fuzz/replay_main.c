/* Replays a fuzz corpus through LLVMFuzzerTestOneInput: every regular file of
 * the directory given, in name order (the libFuzzer entry point contract). */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT                                                       \
	(1u << 20) /* libFuzzer's default -max_len is far less */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read one file into an exactly sized buffer, so a sanitizer sees any
 * read past its end.  Returns 0, or -1 with a message. */
static int
run_file(const char *path, size_t *bytes)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) < 0 || st.st_size < 0 ||
	    (uint64_t)st.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: not a regular file under 1 MiB\n",
		        path);
		fclose(f);
		return -1;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	if (n != (size_t)st.st_size) {
		fprintf(stderr, "replay: %s: short read\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	*bytes += n;
	return 0;
}

int
main(int argc, char **argv)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0, bytes = 0;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	if ((d = opendir(argv[1])) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			char **nn;

			cap = cap ? 2 * cap : 256;
			nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL) {
				fprintf(stderr, "replay: out of memory\n");
				return 1;
			}
			names = nn;
		}
		if ((names[n] = strdup(e->d_name)) == NULL) {
			fprintf(stderr, "replay: out of memory\n");
			return 1;
		}
		n++;
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr,
		        "replay: %s: no corpus files; an empty corpus "
		        "tests nothing\n",
		        argv[1]);
		return 1;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", argv[1], names[i]);
		if (run_file(path, &bytes) < 0)
			bad = 1;
		free(names[i]);
	}
	free(names);
	printf("replay: %zu inputs, %zu bytes from %s%s\n", n, bytes, argv[1],
	       bad ? " (some unreadable)" : "");
	return bad;
}
