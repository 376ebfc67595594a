// CBLAS and OpenBLAS's thread-count functions; the include path comes from pkg-config "openblas".
#include <cblas.h>

// Exported by OpenBLAS builds with DYNAMIC_ARCH (Debian's): drop and redo the choice of CPU kernels,
// which reads OPENBLAS_CORETYPE. Used once, before our first BLAS call (see OpenBLASKernels.swift).
void gotoblas_dynamic_init(void);
void gotoblas_dynamic_quit(void);
