package dev.llmlab.system;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SystemDetectorTest {
    private static final EnginePlan PLAN = new EnginePlan(4, "vector 256-bit (AVX2)", 256, EnginePlan.PRECISION);

    /** Two sockets x 2 cores x 2 hyper-threads, trimmed from a real /proc/cpuinfo. */
    private static String x86CpuInfo() {
        StringBuilder s = new StringBuilder();
        int processor = 0;
        for (int socket = 0; socket < 2; socket++) {
            for (int core = 0; core < 2; core++) {
                for (int thread = 0; thread < 2; thread++) {
                    s.append("processor\t: ").append(processor++).append('\n')
                            .append("model name\t: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\n")
                            .append("physical id\t: ").append(socket).append('\n')
                            .append("core id\t\t: ").append(core).append('\n')
                            .append("flags\t\t: fpu sse sse2 sse4_2 avx avx2 fma f16c avx512f avx512bw avx512_vnni\n\n");
                }
            }
        }
        return s.toString();
    }

    private static final String MEMINFO = """
            MemTotal:       16314208 kB
            MemFree:         1034540 kB
            MemAvailable:   12047708 kB
            Buffers:          300000 kB
            """;

    @Test
    void countsPhysicalCoresPerSocketAndKeepsTheSimdFlagsThatMatter() {
        FakeSystemSource source = new FakeSystemSource().file("/proc/cpuinfo", x86CpuInfo())
                .file("/proc/meminfo", MEMINFO);
        CpuInfo cpu = new SystemDetector(source).detect(PLAN).cpu();
        assertThat(cpu.model()).isEqualTo("Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
        assertThat(cpu.logicalCores()).isEqualTo(8);
        assertThat(cpu.physicalCores()).isEqualTo(4);
        assertThat(cpu.simdFlags()).containsExactly("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
                "avx512_vnni");
    }

    @Test
    void armCpuInfoHasNoCoreIdsSoCoresComeFromSysfs() {
        String cpuinfo = """
                processor\t: 0
                BogoMIPS\t: 48.00
                Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics asimddp

                processor\t: 1
                Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics asimddp
                """;
        FakeSystemSource source = new FakeSystemSource().file("/proc/cpuinfo", cpuinfo)
                .file("/sys/devices/system/cpu/cpu0/topology/core_id", "0\n")
                .file("/sys/devices/system/cpu/cpu1/topology/core_id", "1\n");
        CpuInfo cpu = new SystemDetector(source).detect(PLAN).cpu();
        assertThat(cpu.model()).isEqualTo("unknown");
        assertThat(cpu.physicalCores()).isEqualTo(2);
        assertThat(cpu.simdFlags()).containsExactly("asimd", "asimddp");
    }

    @Test
    void readsMeminfoInBytesAndHonoursACgroupV2Limit() {
        FakeSystemSource source = new FakeSystemSource().file("/proc/meminfo", MEMINFO)
                .file("/sys/fs/cgroup/memory.max", "4294967296\n")
                .file("/sys/fs/cgroup/memory.current", "1073741824\n");
        MemoryInfo memory = new SystemDetector(source).detect(PLAN).memory();
        assertThat(memory.totalBytes()).isEqualTo(16314208L * 1024);
        assertThat(memory.availableBytes()).isEqualTo(12047708L * 1024);
        assertThat(memory.cgroupLimitBytes()).isEqualTo(4L << 30);
        assertThat(memory.usableBytes()).isEqualTo(3L << 30); // the limit minus what the group uses
    }

    @Test
    void cgroupV2MaxAndV1HugeValueMeanNoLimit() {
        FakeSystemSource v2 = new FakeSystemSource().file("/proc/meminfo", MEMINFO)
                .file("/sys/fs/cgroup/memory.max", "max\n");
        assertThat(new SystemDetector(v2).detect(PLAN).memory().cgroupLimitBytes()).isEqualTo(-1);
        FakeSystemSource v1 = new FakeSystemSource().file("/proc/meminfo", MEMINFO)
                .file("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        MemoryInfo memory = new SystemDetector(v1).detect(PLAN).memory();
        assertThat(memory.cgroupLimitBytes()).isEqualTo(-1);
        assertThat(memory.usableBytes()).isEqualTo(12047708L * 1024);
        FakeSystemSource v1Limited = new FakeSystemSource().file("/proc/meminfo", MEMINFO)
                .file("/sys/fs/cgroup/memory/memory.limit_in_bytes", "2147483648\n")
                .file("/sys/fs/cgroup/memory/memory.usage_in_bytes", "0\n");
        assertThat(new SystemDetector(v1Limited).detect(PLAN).memory().usableBytes()).isEqualTo(2L << 30);
    }

    @Test
    void gpusFromNvidiaSmiAndNoneWithoutIt() {
        FakeSystemSource source = new FakeSystemSource().file("/proc/meminfo", MEMINFO);
        assertThat(new SystemDetector(source).detect(PLAN).gpus()).isEmpty();
        source.commands.put(List.of("nvidia-smi"), "NVIDIA A100-SXM4-40GB, 40960, 535.104.05\nTesla T4, 15360, 535.104.05\n");
        List<GpuInfo> gpus = new SystemDetector(source).detect(PLAN).gpus();
        assertThat(gpus).containsExactly(new GpuInfo("NVIDIA A100-SXM4-40GB", 40960L << 20, "535.104.05"),
                new GpuInfo("Tesla T4", 15360L << 20, "535.104.05"));
    }

    @Test
    void offHeapIsWhatIsUsableBeyondTheHeap() {
        FakeSystemSource source = new FakeSystemSource().file("/proc/meminfo", MEMINFO);
        SystemInfo info = new SystemDetector(source).detect(PLAN);
        assertThat(info.offHeapBytes()).isEqualTo(12047708L * 1024 - (4L << 30));
        assertThat(info.engine()).isEqualTo(PLAN);
        assertThat(info.jvm().osName()).isEqualTo("Linux");
    }

    @Test
    void theRealMachineIsDescribedWithoutFailing() {
        SystemInfo info = new SystemDetector(new LocalSystemSource(java.time.Duration.ofSeconds(5))).detect();
        assertThat(info.cpu().logicalCores()).isPositive();
        assertThat(info.jvm().maxHeapBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(info.engine().kernels()).isEqualTo(dev.llmlab.kernels.KernelRegistry.best().description());
    }
}
