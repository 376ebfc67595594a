// CBLAS and OpenBLAS's thread-count functions; the include path comes from pkg-config "openblas".
#include <cblas.h>
