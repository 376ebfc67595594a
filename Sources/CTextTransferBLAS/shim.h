// CBLAS and OpenBLAS's thread-count functions; the include path comes from pkg-config "openblas".
#include <cblas.h>

// Exported by OpenBLAS builds with DYNAMIC_ARCH (Debian's): drop and redo the choice of CPU kernels,
// which reads OPENBLAS_CORETYPE. Used once, before our first BLAS call (see OpenBLASKernels.swift).
void gotoblas_dynamic_init(void);
void gotoblas_dynamic_quit(void);

// LAPACK's divide-and-conquer eigensolver for a symmetric matrix (column-major), which Debian's OpenBLAS
// exports: the principal components of `PrincipalComponents`.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
             const int *lwork, int *iwork, const int *liwork, int *info);
