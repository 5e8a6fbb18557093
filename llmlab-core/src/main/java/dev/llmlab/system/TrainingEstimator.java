package dev.llmlab.system;

import dev.llmlab.model.BlockDesign;
import dev.llmlab.model.ModelConfig;

import java.util.List;

/**
 * Training memory by formula (llmlab does not train yet, so these are not measured), for a batch of
 * {@code batch} sequences of {@code sequence} tokens:
 * <ul>
 *   <li>full fine-tuning, AdamW, fp32: weights 4 + gradients 4 + two moments 8 = 16 bytes per parameter;</li>
 *   <li>mixed precision: bf16 weights 2 + bf16 gradients 2 + fp32 master weights 4 + two fp32 moments 8 = 16 bytes
 *       per parameter (the saving is in the activations, kept in bf16);</li>
 *   <li>LoRA at rank r on the attention's q, k, v and o projections: the frozen weights as stored, plus for each
 *       adapted matrix of {@code out x in} r x (in + out) fp32 parameters trained with AdamW (16 bytes each);</li>
 *   <li>activations kept for the backward pass, per token and layer: the block's two norm inputs and outputs
 *       (4d), q, k, v (qDim + 2 kvDim), the attention output (qDim), the attention probabilities (heads x
 *       sequence), the feed-forward's inputs and hidden activations (3 ff for SwiGLU: gate, up, product; 2 ff for
 *       GELU); plus fp32 logits and their gradient (2 x vocab) per token. 4 bytes each in fp32, 2 in bf16
 *       (logits stay fp32). No activation checkpointing.</li>
 * </ul>
 */
public final class TrainingEstimator {
    private TrainingEstimator() {
    }

    /** Matrices LoRA adapts by default. */
    public static final String LORA_TARGETS = "q, k, v, o";

    public static List<TrainingEstimate> estimate(ModelHeader model, int batch, int sequence, int loraRank) {
        long params = model.parameterCount();
        long weightsAsStored = model.bytesByType().values().stream().mapToLong(Long::longValue).sum();
        long activationsFp32 = activationElements(model.config(), batch, sequence, 4);
        long activationsBf16 = activationElements(model.config(), batch, sequence, 2);
        long lora = loraParameters(model.config(), loraRank);
        return List.of(
                new TrainingEstimate("full fine-tuning, AdamW fp32", params, 4 * params, 4 * params, 8 * params,
                        activationsFp32, "16 bytes/param + fp32 activations"),
                new TrainingEstimate("full fine-tuning, mixed precision (bf16)", params, 2 * params + 4 * params,
                        2 * params, 8 * params, activationsBf16,
                        "bf16 weights+grads, fp32 master+moments: 16 bytes/param + bf16 activations"),
                new TrainingEstimate("LoRA r=" + loraRank + " on " + LORA_TARGETS + ", AdamW", lora,
                        weightsAsStored + 4 * lora, 4 * lora, 8 * lora, activationsFp32,
                        "frozen weights as stored + 16 bytes per adapter param + fp32 activations"));
    }

    /** Adapter parameters: r x (in + out) for each of q, k, v, o in every layer. */
    public static long loraParameters(ModelConfig c, int rank) {
        long d = c.embeddingLength();
        long perLayer = (d + c.queryDim()) + (d + c.kvDim()) + (d + c.kvDim()) + (c.queryDim() + d);
        return (long) rank * perLayer * c.blockCount();
    }

    /** Bytes of activations kept for backward, {@code bytes} per element (logits always fp32). */
    static long activationElements(ModelConfig c, int batch, int sequence, int bytes) {
        long d = c.embeddingLength();
        boolean gated = c.design().feedForward() == BlockDesign.FeedForward.SWIGLU;
        long perTokenLayer = 4 * d + c.queryDim() + 2L * c.kvDim() + c.queryDim()
                + (long) c.headCount() * sequence + (gated ? 3L : 2L) * c.feedForwardLength();
        long tokens = (long) batch * sequence;
        return tokens * (perTokenLayer * c.blockCount() * bytes + 2L * c.vocabSize() * Float.BYTES);
    }
}
