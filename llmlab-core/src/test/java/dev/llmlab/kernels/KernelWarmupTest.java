package dev.llmlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class KernelWarmupTest {

    @Test
    void runsEveryKernelAndStopsWhenAsked() {
        AtomicInteger checks = new AtomicInteger();
        KernelWarmup.run(KernelRegistry.best().kernels(), () -> checks.incrementAndGet() <= 3);
        assertThat(checks.get()).isEqualTo(4); // three rounds, then the fourth check stops it

        AtomicInteger none = new AtomicInteger();
        KernelWarmup.run(KernelRegistry.scalar().kernels(), () -> none.incrementAndGet() < 0);
        assertThat(none.get()).isEqualTo(1);
    }
}
