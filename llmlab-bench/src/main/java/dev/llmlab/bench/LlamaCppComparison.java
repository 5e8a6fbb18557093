package dev.llmlab.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.llmlab.gguf.GgufFile;
import dev.llmlab.io.LoadMode;
import dev.llmlab.tokenizer.GgufTokenizerLoader;
import dev.llmlab.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * llama.cpp's prompt-processing and generation speed on a GGUF file, through the de.kherud:llama binding
 * (llama.cpp's own code, CPU build), weights loaded into memory, so llmlab's {@code bench} can be compared on the
 * same file and machine. Usage: {@code LlamaCppComparison MODEL.gguf [threads] [prompt tokens] [gen tokens] [reps]}.
 */
public final class LlamaCppComparison {

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int promptTokens = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int genTokens = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int reps = args.length > 4 ? Integer.parseInt(args[4]) : 3;

        String prompt = promptOf(model, promptTokens - 1); // llama.cpp adds BOS
        try (LlamaModel llama = new LlamaModel(new ModelParameters().setModel(model.toString())
                .setThreads(threads).setThreadsBatch(threads).setCtxSize(Math.max(512, 2 * (promptTokens + genTokens)))
                .setBatchSize(512).setUbatchSize(512).disableMmap().disableLog())) {
            int actual = llama.encode(prompt).length + 1;
            double[] pp = new double[reps];
            double[] tg = new double[reps];
            for (int r = -1; r < reps; r++) { // r = -1: warm-up
                long start = System.nanoTime();
                llama.complete(new InferenceParameters(prompt).setNPredict(1).setCachePrompt(false)
                        .setTemperature(0f).setTopK(1));
                double ppSeconds = (System.nanoTime() - start) / 1e9;
                long first = 0;
                long last = 0;
                int n = 0;
                for (LlamaOutput ignored : llama.generate(new InferenceParameters("a").setNPredict(genTokens)
                        .setCachePrompt(false).setIgnoreEos(true).setTemperature(0f).setTopK(1))) {
                    last = System.nanoTime();
                    if (n++ == 0) {
                        first = last;
                    }
                }
                if (r >= 0) {
                    pp[r] = actual / ppSeconds;
                    tg[r] = (n - 1) / ((last - first) / 1e9);
                }
            }
            System.out.printf("llama.cpp %s threads=%d no-mmap: pp%d %s t/s, tg%d %s t/s%n", model.getFileName(),
                    threads, actual, meanSd(pp), genTokens, meanSd(tg));
            System.out.flush();
            // the binding's server thread can block LlamaModel.close() indefinitely; the numbers are out
            Runtime.getRuntime().halt(0);
        }
    }

    /** A prompt of about {@code n} tokens from the model's own vocabulary. */
    static String promptOf(Path model, int n) {
        try (GgufFile f = GgufFile.open(model, LoadMode.MMAP)) {
            Tokenizer tokenizer = GgufTokenizerLoader.load(f.metadata());
            Random random = new Random(1);
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = 300 + random.nextInt(Math.max(1, Math.min(tokenizer.vocabSize(), 2000) - 300));
            }
            return tokenizer.decode(ids);
        }
    }

    private static String meanSd(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, v.length - 1);
        return String.format("%.2f ± %.2f", mean, Math.sqrt(var));
    }
}
