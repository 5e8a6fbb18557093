package dev.llmlab.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * llama.cpp's share of a whole {@code generate} command, for the wall-time comparison with {@code ./llmlab generate}:
 * run in a fresh JVM, it prints the milliseconds from JVM start to {@code main}, llama.cpp's model load (the native
 * library's extraction and loading included) and its generation of N tokens (greedy). The load plus generation
 * stands for what a native llama.cpp command spends after its (negligible) process start.
 * Usage: {@code LlamaCppGenerate MODEL.gguf PROMPT [tokens] [threads]}.
 */
public final class LlamaCppGenerate {

    public static void main(String[] args) {
        long main = System.nanoTime();
        long jvmStartMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        Path model = Path.of(args[0]);
        String prompt = args[1];
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        LlamaModel llama = new LlamaModel(new ModelParameters().setModel(model.toString()).setThreads(threads)
                .setThreadsBatch(threads).disableMmap().disableLog());
        long loaded = System.nanoTime();
        int n = 0;
        for (LlamaOutput ignored : llama.generate(new InferenceParameters(prompt).setNPredict(tokens)
                .setIgnoreEos(true).setTemperature(0f).setTopK(1))) {
            n++;
        }
        long done = System.nanoTime();
        System.out.printf("jvm-to-main %d ms, llama.cpp load %.1f ms, generate %d tokens %.1f ms, load+generate %.1f ms%n",
                jvmStartMillis, (loaded - main) / 1e6, n, (done - loaded) / 1e6, (done - main) / 1e6);
        System.out.flush();
        Runtime.getRuntime().halt(0); // the binding's close can hang; the numbers are out
    }
}
