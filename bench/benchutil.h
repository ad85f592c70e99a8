/* SPDX-License-Identifier: ISC */
/* bench/: the clock and the percentiles the benchmarks share. */
#ifndef BENCH_BENCHUTIL_H
#define BENCH_BENCHUTIL_H

#include <stdlib.h>
#include <time.h>

static inline double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static inline int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts the n samples of a and returns the q-quantile (0.5: median). */
static inline double quantile(double *a, size_t n, double q)
{
	qsort(a, n, sizeof(*a), cmp_d);
	return n ? a[(size_t)(q * (double)(n - 1))] : 0;
}

#endif
