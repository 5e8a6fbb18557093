package dev.llmlab.kernels;

import dev.llmlab.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.llmlab.kernels.VectorKernels.F;
import static dev.llmlab.kernels.VectorKernels.L;
import static dev.llmlab.kernels.VectorKernels.S;
import static dev.llmlab.kernels.VectorKernels.bf16ToFloat;
import static dev.llmlab.kernels.VectorKernels.halfToFloat;

/**
 * The two 16-bit float formats; no blocks; any length:
 * <ul>
 *   <li>F16: 2-byte little-endian IEEE half precision (1 sign, 5 exponent, 10 mantissa bits). The Vector API
 *   has no half-to-float conversion, so {@link VectorKernels#halfToFloat} does it with integer operations
 *   (exactly, including subnormals, infinities and NaNs).</li>
 *   <li>BF16: 2-byte little-endian bfloat16, the high 16 bits of an IEEE float; decoding is a shift.</li>
 * </ul>
 * They differ only in that decoding step; the choice is a final field, constant in every loop.
 */
final class HalfFloatVectorKernel implements RowKernel {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final GgmlType type;
    private final boolean brainFloat;

    HalfFloatVectorKernel(GgmlType type) {
        if (type != GgmlType.F16 && type != GgmlType.BF16) {
            throw new IllegalArgumentException("not a 16-bit float type: " + type);
        }
        this.type = type;
        this.brainFloat = type == GgmlType.BF16;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public float dot(MemorySegment data, long byteOffset, float[] x, int xOffset, int count) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= count; i += 2 * L) {
            long at = byteOffset + 2L * i;
            acc0 = load(data, at).fma(FloatVector.fromArray(F, x, xOffset + i), acc0);
            acc1 = load(data, at + 2L * L).fma(FloatVector.fromArray(F, x, xOffset + i + L), acc1);
        }
        for (; i + L <= count; i += L) {
            acc0 = load(data, byteOffset + 2L * i).fma(FloatVector.fromArray(F, x, xOffset + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            sum += scalar(data, byteOffset + 2L * i) * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void dequantize(MemorySegment data, long byteOffset, float[] out, int outOffset, int count) {
        int i = 0;
        for (; i + L <= count; i += L) {
            load(data, byteOffset + 2L * i).intoArray(out, outOffset + i);
        }
        for (; i < count; i++) {
            out[outOffset + i] = scalar(data, byteOffset + 2L * i);
        }
    }

    @Override
    public void dotRows(MemorySegment data, int cols, int rowStart, int rowEnd,
                        float[] xs, int batch, float[] out, int outStride) {
        BatchedRowProduct.compute(this, data, cols, rowStart, rowEnd, xs, batch, out, outStride);
    }

    private FloatVector load(MemorySegment data, long at) {
        ShortVector bits = ShortVector.fromMemorySegment(S, data, at, LE);
        return brainFloat ? bf16ToFloat(bits) : halfToFloat(bits);
    }

    private float scalar(MemorySegment data, long at) {
        short bits = data.get(I16, at);
        return brainFloat ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat(bits);
    }
}
