package dev.llmlab.system;

import dev.llmlab.kernels.KernelRegistry;
import dev.llmlab.kernels.VectorSupport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the machine's facts from a {@link SystemSource}: {@code /proc/cpuinfo}, {@code /proc/meminfo}, the
 * cgroup memory files (v2, then v1), {@code nvidia-smi}. Anything unknown is reported as such, never guessed.
 */
public final class SystemDetector {
    /** SIMD extensions that decide which kernels are fast, in the order shown. */
    private static final List<String> SIMD_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f",
            "avx512bw", "avx512_vnni", "avx_vnni", "avx512_bf16", "asimd", "asimddp", "sve");
    /** cgroup v1 reports "no limit" as a huge page-aligned number. */
    private static final long NO_LIMIT_THRESHOLD = 1L << 60;

    private final SystemSource source;

    public SystemDetector(SystemSource source) {
        this.source = source;
    }

    /** Every fact, with the engine's plan from this JVM's kernels. */
    public SystemInfo detect() {
        JvmFacts jvm = source.jvm();
        VectorSupport vectors = VectorSupport.current();
        EnginePlan engine = new EnginePlan(jvm.availableProcessors(), KernelRegistry.best().description(),
                vectors.usable() ? vectors.bitSize() : 0, EnginePlan.PRECISION);
        return detect(engine);
    }

    /** Every fact, with the given engine plan (tests pass their own). */
    public SystemInfo detect(EnginePlan engine) {
        return new SystemInfo(cpu(), memory(), gpus(), source.jvm(), engine);
    }

    CpuInfo cpu() {
        String text = source.readFile("/proc/cpuinfo").orElse("");
        String model = "unknown";
        int logical = 0;
        Set<String> cores = new HashSet<>();
        Set<String> flags = new HashSet<>();
        String physicalId = "0";
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "processor" -> logical++;
                case "model name", "Model", "cpu model" -> {
                    if (model.equals("unknown") && !value.isEmpty()) {
                        model = value;
                    }
                }
                case "physical id" -> physicalId = value;
                case "core id" -> cores.add(physicalId + "/" + value);
                case "flags", "Features" -> flags.addAll(List.of(value.toLowerCase(Locale.ROOT).split("\\s+")));
                default -> {
                }
            }
        }
        if (logical == 0) {
            logical = source.jvm().availableProcessors();
        }
        int physical = cores.isEmpty() ? physicalFromSysfs(logical) : cores.size();
        Set<String> simd = new LinkedHashSet<>();
        for (String flag : SIMD_FLAGS) {
            if (flags.contains(flag)) {
                simd.add(flag);
            }
        }
        return new CpuInfo(model, physical, logical, new ArrayList<>(simd));
    }

    /** ARM's /proc/cpuinfo has no core ids: count distinct core ids in /sys, 0 when that fails too. */
    private int physicalFromSysfs(int logical) {
        Set<String> cores = new HashSet<>();
        for (int cpu = 0; cpu < logical; cpu++) {
            String base = "/sys/devices/system/cpu/cpu" + cpu + "/topology/";
            Optional<String> core = source.readFile(base + "core_id");
            if (core.isEmpty()) {
                return 0;
            }
            cores.add(source.readFile(base + "physical_package_id").orElse("0").trim() + "/" + core.get().trim());
        }
        return cores.size();
    }

    /** Physical memory and any cgroup limit, without the rest of the detection. */
    public MemoryInfo memory() {
        String text = source.readFile("/proc/meminfo").orElse("");
        long total = meminfoBytes(text, "MemTotal");
        long available = meminfoBytes(text, "MemAvailable");
        if (available < 0) {
            available = meminfoBytes(text, "MemFree");
        }
        long limit = cgroupBytes("/sys/fs/cgroup/memory.max")
                .or(() -> cgroupBytes("/sys/fs/cgroup/memory/memory.limit_in_bytes")).orElse(-1L);
        long used = -1;
        if (limit >= 0) {
            used = cgroupBytes("/sys/fs/cgroup/memory.current")
                    .or(() -> cgroupBytes("/sys/fs/cgroup/memory/memory.usage_in_bytes")).orElse(-1L);
        }
        return new MemoryInfo(Math.max(total, 0), Math.max(available, 0), limit, used);
    }

    private static long meminfoBytes(String meminfo, String key) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                try {
                    long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** A cgroup memory file's number; empty when absent, "max" or the v1 "no limit" value. */
    private Optional<Long> cgroupBytes(String path) {
        return source.readFile(path).map(String::trim).flatMap(text -> {
            try {
                long value = Long.parseLong(text);
                return value >= NO_LIMIT_THRESHOLD ? Optional.empty() : Optional.of(value);
            } catch (NumberFormatException e) {
                return Optional.empty(); // "max": no limit
            }
        });
    }

    List<GpuInfo> gpus() {
        Optional<String> csv = source.runCommand(List.of("nvidia-smi",
                "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"));
        List<GpuInfo> gpus = new ArrayList<>();
        csv.ifPresent(text -> {
            for (String line : text.split("\n")) {
                String[] cells = line.split(",");
                if (cells.length < 3 || cells[0].isBlank()) {
                    continue;
                }
                long mib;
                try {
                    mib = Long.parseLong(cells[1].trim());
                } catch (NumberFormatException e) {
                    mib = 0;
                }
                gpus.add(new GpuInfo(cells[0].trim(), mib << 20, cells[2].trim()));
            }
        });
        return gpus;
    }
}
