package dev.llmlab.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link SideBySide} measures: the model, the threads of both engines, measured and warm-up rounds, the
 * prompt sizes (llama-bench's {@code -p}, 0 for none) and the generated tokens ({@code -n}, 0 for none).
 *
 * @param warmup unmeasured rounds before the measured ones; each runs the first prompt size and generation
 */
record SideBySideOptions(Path model, int threads, int reps, int warmup, List<Integer> prompts, int gen,
                         boolean json) {
    static final String USAGE = "usage: SideBySide MODEL.gguf [--threads N] [--reps R] [--warmup W] "
            + "[--prompts 128,512] [--gen 64] [--json]";

    SideBySideOptions {
        prompts = List.copyOf(prompts);
        require(threads >= 1, "--threads must be at least 1, got " + threads);
        require(reps >= 1, "--reps must be at least 1, got " + reps);
        require(warmup >= 0, "--warmup must be 0 or more, got " + warmup);
        require(gen >= 0, "--gen must be 0 or more, got " + gen);
        require(!prompts.isEmpty() || gen > 0, "nothing to measure: --prompts and --gen are both 0");
        for (int p : prompts) {
            require(p >= 2, "prompt sizes must be at least 2 tokens (BOS + 1), got " + p);
        }
    }

    /** Parses the command line; a bad one throws {@link IllegalArgumentException} naming the problem. */
    static SideBySideOptions parse(String[] args) {
        Path model = null;
        int threads = 2;
        int reps = 3;
        int warmup = 1;
        List<Integer> prompts = List.of(128, 512);
        int gen = 64;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--threads" -> threads = integer(arg, value(args, ++i, arg));
                case "--reps" -> reps = integer(arg, value(args, ++i, arg));
                case "--warmup" -> warmup = integer(arg, value(args, ++i, arg));
                case "--prompts" -> prompts = promptSizes(value(args, ++i, arg));
                case "--gen" -> gen = integer(arg, value(args, ++i, arg));
                case "--json" -> json = true;
                default -> {
                    require(!arg.startsWith("--"), "unknown option " + arg);
                    require(model == null, "one model only, got " + model + " and " + arg);
                    model = Path.of(arg);
                }
            }
        }
        require(model != null, "no model given");
        return new SideBySideOptions(model, threads, reps, warmup, prompts, gen, json);
    }

    /** {@code 128,512} to sizes; {@code 0} alone means no prompt test. */
    static List<Integer> promptSizes(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            int size = integer("--prompts", part.trim());
            if (size != 0) {
                sizes.add(size);
            }
        }
        return sizes;
    }

    private static String value(String[] args, int i, String option) {
        require(i < args.length, option + " needs a value");
        return args[i];
    }

    private static int integer(String option, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got '" + text + "'", e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
