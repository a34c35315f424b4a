/*
 * bench_tsv.h - benchmarks write one machine-readable line per measurement
 * to generated/bench/<bench>.tsv (format: tests/bench/README.md).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VSDK_BENCH_TSV_H
#define VSDK_BENCH_TSV_H

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/*
 * Appends one line: bench, name, metric, median, min, max, unit, peer,
 * peer value, ratio (median / peer value; "-" without a peer).  The file is
 * truncated by the first call of the process.  Directory: $VSDK_BENCH_DIR,
 * else generated/bench (benchmarks run from the repository root).
 * Tabs and newlines in the text fields are replaced by spaces.
 */
static inline void bench_tsv(const char *bench, const char *name, const char *metric, double median, double min,
			     double max, const char *unit, const char *peer, double peer_value)
{
	static int opened;
	const char *dir = getenv("VSDK_BENCH_DIR");
	char path[1024], clean[4][256];
	const char *in[4] = { name, metric, unit, peer ? peer : "-" };
	FILE *f;

	if (!dir || !*dir)
		dir = "generated/bench";
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return;
	snprintf(path, sizeof(path), "%s/%s.tsv", dir, bench);
	f = fopen(path, opened ? "a" : "w");
	if (!f)
		return;
	opened = 1;
	for (int i = 0; i < 4; i++) {
		snprintf(clean[i], sizeof(clean[i]), "%s", in[i]);
		for (char *p = clean[i]; *p; p++)
			if (*p == '\t' || *p == '\n')
				*p = ' ';
	}
	fprintf(f, "%s\t%s\t%s\t%.6g\t%.6g\t%.6g\t%s\t%s\t", bench, clean[0], clean[1], median, min, max, clean[2],
		clean[3]);
	if (peer && peer_value > 0)
		fprintf(f, "%.6g\t%.3f\n", peer_value, median / peer_value);
	else
		fprintf(f, "-\t-\n");
	fclose(f);
}

#endif
