package dev.llmlab.system;

/**
 * A GPU that {@code nvidia-smi} reported. The engine runs on the CPU; this tells what else the machine has.
 *
 * @param name        e.g. {@code NVIDIA A100-SXM4-40GB}
 * @param memoryBytes its memory, 0 when unknown
 * @param driver      the driver version
 */
public record GpuInfo(String name, long memoryBytes, String driver) {
}
