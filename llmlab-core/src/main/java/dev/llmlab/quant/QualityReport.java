package dev.llmlab.quant;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.gguf.GgufModel;
import dev.llmlab.model.LoadOptions;
import dev.llmlab.model.LocalModel;
import dev.llmlab.model.Session;

/**
 * How much a quantized model's predictions differ from the original's over a text: the text's tokens are processed
 * in one session by each model, and at every position the next-token distributions are compared by KL divergence
 * KL(original || quantized) and by whether their most likely tokens agree.
 */
public final class QualityReport {

    private QualityReport() {
    }

    /**
     * The original model's next-token log-probabilities at every position of a text: what quantized models are
     * compared to.
     *
     * @param tokens the text's tokens (BOS first when the model wants one)
     * @param logits per position, the logits after that token (kept exact: log-probabilities are computed in
     *               double from them and {@code logZ})
     * @param logZ   per position, the log of the softmax normalizer
     * @param argmax per position, the most likely next token
     */
    public record Reference(int[] tokens, float[][] logits, double[] logZ, int[] argmax) {
        public int positions() {
            return tokens.length;
        }
    }

    /**
     * One quantized model against the reference.
     *
     * @param label            what was measured, e.g. {@code Q4_K_M}
     * @param fileSizeBytes    the size of the model as a GGUF file
     * @param bitsPerWeight    tensor bytes * 8 / parameters
     * @param meanKlDivergence mean over positions of KL(original || quantized), in nats
     * @param top1Agreement    fraction of positions where both models' most likely next token is the same
     * @param positions        positions compared
     */
    public record Row(String label, long fileSizeBytes, double bitsPerWeight, double meanKlDivergence,
                      double top1Agreement, int positions) {
    }

    /** Runs {@code original} over {@code tokens} and keeps its distributions. */
    public static Reference reference(LocalModel original, int[] tokens) {
        if (tokens.length == 0) {
            throw new InvalidRequestException("the text for the quality report has no tokens; give a longer text");
        }
        Session session = original.newSession();
        if (tokens.length > session.contextLength()) {
            throw new InvalidRequestException("the text has " + tokens.length + " tokens but the context holds "
                    + session.contextLength() + "; use a shorter text");
        }
        float[][] logits = new float[tokens.length][];
        double[] logZ = new double[tokens.length];
        int[] argmax = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            logits[i] = session.next(tokens[i]).clone();
            logZ[i] = logNormalizer(logits[i]);
            argmax[i] = argmax(logits[i]);
        }
        return new Reference(tokens.clone(), logits, logZ, argmax);
    }

    /** Loads {@code quantized} from memory, runs it over the reference's tokens, and compares. */
    public static Row measure(String label, GgufModel quantized, Reference reference, LoadOptions options) {
        try (LocalModel model = LocalModel.load(quantized, options)) {
            Session session = model.newSession();
            double klSum = 0;
            int agree = 0;
            int[] tokens = reference.tokens();
            for (int i = 0; i < tokens.length; i++) {
                float[] logits = session.next(tokens[i]);
                float[] p = reference.logits()[i];
                if (logits.length != p.length) {
                    throw new InvalidRequestException(label + ": the quantized model has " + logits.length
                            + " output tokens, the original " + p.length);
                }
                klSum += klDivergence(p, reference.logZ()[i], logits, logNormalizer(logits));
                if (argmax(logits) == reference.argmax()[i]) {
                    agree++;
                }
            }
            long tensorBytes = 0;
            for (GgufModel.Tensor t : quantized.tensors()) {
                tensorBytes += t.data().byteSize();
            }
            return new Row(label, quantized.writer().fileSizeBytes(), tensorBytes * 8.0 / quantized.parameterCount(),
                    klSum / tokens.length, agree / (double) tokens.length, tokens.length);
        }
    }

    /** KL(p || q) = sum p (log p - log q), from logits and log normalizers, in double. */
    static double klDivergence(float[] logitsP, double logZp, float[] logitsQ, double logZq) {
        double kl = 0;
        for (int i = 0; i < logitsP.length; i++) {
            double logP = logitsP[i] - logZp;
            double p = Math.exp(logP);
            if (p > 0) {
                kl += p * (logP - (logitsQ[i] - logZq));
            }
        }
        return Math.max(0, kl);
    }

    /** log(sum exp(logits)), shifted by the maximum so nothing overflows. */
    static double logNormalizer(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
