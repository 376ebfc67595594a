import CTextTransferBLAS
import Foundation
import _TextTransferVectorKernels

/// Makes OpenBLAS use its AVX-512 kernels on CPUs it does not recognise as having them.
///
/// OpenBLAS before 0.3.22 (Debian 12 ships 0.3.21) takes AMD Zen 4 for Haswell and runs AVX2 kernels
/// although the CPU has AVX-512; later releases choose the SkylakeX kernels there. Intel CPUs newer than
/// it knows (an Emerald Rapids Xeon, model 207, seen here) fare worse: it falls back to Prescott, SSE3
/// kernels. Measured on this project's machines: sgemm-bound sentence embedding runs 1.6× faster with
/// the SkylakeX kernels than with Haswell's. We redo OpenBLAS's choice once, before our first BLAS call —
/// unless OPENBLAS_CORETYPE is set: an explicit choice of kernels is the user's (some machines pin it,
/// e.g. to Haswell), and we honour it.
enum OpenBLASKernels {
    /// The kernels of OpenBLAS 0.3.21 that use AVX-512.
    static let avx512Cores: Set<String> = ["SkylakeX", "Cooperlake", "SapphireRapids"]

    /// The core name OpenBLAS runs with; evaluating it performs the one-time selection.
    static let coreName: String = {
        let chosen = String(cString: openblas_get_corename())
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, !avx512Cores.contains(chosen), tt_cpu_has_avx512() == 1 else {
            return chosen
        }
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 1)
        gotoblas_dynamic_quit()
        gotoblas_dynamic_init()
        unsetenv("OPENBLAS_CORETYPE")
        return String(cString: openblas_get_corename())
    }()
}

extension ComputeThreads {
    /// True when the CPU could run faster OpenBLAS kernels than the ones OPENBLAS_CORETYPE pins.
    public static var blasCoreIsPinnedBelowCPU: Bool {
        !OpenBLASKernels.avx512Cores.contains(OpenBLASKernels.coreName) && tt_cpu_has_avx512() == 1
    }
}
