package dev.llmlab.system;

import java.util.List;

/**
 * The processor.
 *
 * @param model         e.g. {@code AMD EPYC}, or {@code unknown}
 * @param physicalCores distinct (package, core) pairs; 0 when unknown
 * @param logicalCores  hardware threads the OS lists
 * @param simdFlags     the SIMD extensions that matter for the kernels, as the OS names them
 *                      ({@code avx2}, {@code avx512f}, {@code avx512_vnni}, {@code avx_vnni}, {@code asimd} = NEON)
 */
public record CpuInfo(String model, int physicalCores, int logicalCores, List<String> simdFlags) {
    public CpuInfo {
        simdFlags = List.copyOf(simdFlags);
    }
}
