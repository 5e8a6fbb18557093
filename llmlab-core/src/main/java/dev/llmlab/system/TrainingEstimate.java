package dev.llmlab.system;

/**
 * The memory one way of training needs.
 *
 * @param method          e.g. {@code full fine-tuning, AdamW fp32}
 * @param trainableParams parameters that get gradients
 * @param weightBytes     the model's weights (and fp32 master copy, for mixed precision)
 * @param gradientBytes   gradients of the trainable parameters
 * @param optimizerBytes  AdamW's two moments (and the master weights for mixed precision)
 * @param activationBytes what the forward pass keeps for the backward pass, for the batch and sequence length
 * @param basis           the formula, for the reader
 */
public record TrainingEstimate(String method, long trainableParams, long weightBytes, long gradientBytes,
                               long optimizerBytes, long activationBytes, String basis) {
    public long totalBytes() {
        return weightBytes + gradientBytes + optimizerBytes + activationBytes;
    }
}
