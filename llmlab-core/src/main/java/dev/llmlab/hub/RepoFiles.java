package dev.llmlab.hub;

import dev.llmlab.error.InvalidRequestException;
import dev.llmlab.error.ModelNotFoundException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a repository a reference needs. One rule for the cache, the search path and the hub's file
 * list: a {@code :QUANT} tag picks the GGUF file whose path carries it (case-insensitive, whole tag), else
 * {@code Q4_K_M}, else the only or first {@code .gguf}; a split GGUF ({@code -00001-of-00003.gguf}) brings
 * all its parts; a repository without GGUF files but with safetensors weights needs what the engine loads.
 */
public final class RepoFiles {
    /** The non-weight files a safetensors model needs (the ones present are taken). */
    public static final Set<String> SAFETENSORS_COMPANIONS = Set.of("config.json", "tokenizer.json",
            "tokenizer_config.json", "generation_config.json");
    private static final Pattern SPLIT = Pattern.compile("^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$",
            Pattern.CASE_INSENSITIVE);

    private RepoFiles() {
    }

    /**
     * What to fetch and what to hand to the engine.
     *
     * @param files   paths inside the repository, all needed
     * @param primary the file to load (the first part of a split GGUF), or null: load the snapshot directory
     */
    public record Selection(List<String> files, String primary) {
        public Selection {
            files = List.copyOf(files);
        }
    }

    /** The files {@code ref} needs among {@code available} (paths inside the repository). */
    public static Optional<Selection> select(ModelRef.Hub ref, List<String> available) {
        if (ref.file() != null) {
            return available.contains(ref.file())
                    ? Optional.of(new Selection(withSplitParts(ref.file()), ref.file())) : Optional.empty();
        }
        List<String> ggufs = available.stream().filter(RepoFiles::isGguf).sorted().toList();
        if (!ggufs.isEmpty()) {
            String chosen = chooseGguf(ref, ggufs);
            return Optional.of(new Selection(withSplitParts(chosen), chosen));
        }
        if (ref.quant() != null) {
            throw new ModelNotFoundException(ref.repo() + " has no .gguf files, so the tag ':" + ref.quant()
                    + "' cannot pick one; drop the tag to use its safetensors weights");
        }
        List<String> weights = available.stream().filter(p -> !p.contains("/"))
                .filter(p -> p.endsWith(".safetensors") || p.endsWith(".safetensors.index.json")).sorted().toList();
        if (weights.isEmpty()) {
            return Optional.empty();
        }
        List<String> files = new ArrayList<>(available.stream().filter(SAFETENSORS_COMPANIONS::contains).sorted()
                .toList());
        files.addAll(weights);
        return Optional.of(new Selection(files, null));
    }

    public static boolean isGguf(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(".gguf");
    }

    /** {@code a-00001-of-00003.gguf} gives the three parts; any other name gives itself. */
    public static List<String> withSplitParts(String path) {
        Matcher m = SPLIT.matcher(path);
        if (!m.matches()) {
            return List.of(path);
        }
        int count = Integer.parseInt(m.group(3));
        if (count < 1 || count > 9999) {
            return List.of(path);
        }
        List<String> parts = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            parts.add(String.format(Locale.ROOT, "%s-%05d-of-%s.gguf", m.group(1), i, m.group(3)));
        }
        return parts;
    }

    /** The GGUF for the ref's tag (default {@link ModelResolver#DEFAULT_QUANT}), else the only or first. */
    static String chooseGguf(ModelRef.Hub ref, List<String> ggufs) {
        String quant = ref.quant() != null ? ref.quant() : ModelResolver.DEFAULT_QUANT;
        Map<String, List<String>> tagged = new LinkedHashMap<>();
        for (String p : ggufs) {
            if (hasTag(p, quant)) {
                tagged.computeIfAbsent(withSplitParts(p).getFirst(), k -> new ArrayList<>()).add(p);
            }
        }
        if (tagged.size() == 1) {
            return tagged.keySet().iterator().next();
        }
        if (tagged.size() > 1) {
            throw new InvalidRequestException("quantization tag '" + quant + "' of " + ref + " matches several files: "
                    + String.join(", ", tagged.keySet()) + "; name one: " + ref.repo() + "/FILE");
        }
        if (ref.quant() != null) {
            throw new ModelNotFoundException("no file of " + ref.repo() + " carries the tag '" + ref.quant()
                    + "'; available: " + String.join(", ", ggufs));
        }
        return withSplitParts(ggufs.getFirst()).getFirst();
    }

    /** The tag appears in the path as a whole word: not preceded by a letter or digit, not followed by one or _. */
    static boolean hasTag(String path, String quant) {
        String name = path.toLowerCase(Locale.ROOT);
        String tag = quant.toLowerCase(Locale.ROOT);
        int i = name.indexOf(tag);
        while (i >= 0) {
            int end = i + tag.length();
            boolean startOk = i == 0 || !Character.isLetterOrDigit(name.charAt(i - 1));
            boolean endOk = end == name.length() || !Character.isLetterOrDigit(name.charAt(end))
                    && name.charAt(end) != '_';
            if (startOk && endOk) {
                return true;
            }
            i = name.indexOf(tag, i + 1);
        }
        return false;
    }

    private static final Pattern QUANT = Pattern.compile(
            "(?i)(?<![a-z0-9])(I?Q[1-8]_(?:[0-9]|[A-Z]{1,3})(?:_[A-Z]{1,2})?|TQ[12]_0|MXFP4(?:_MOE)?|BF16|F16|F32|FP16|FP32)(?![a-z0-9])");

    /** The quantization named in a GGUF file's path ({@code Q4_K_M}, {@code IQ2_XS}, {@code BF16}), if any. */
    public static Optional<String> quantOf(String path) {
        Matcher m = QUANT.matcher(path);
        String last = null;
        while (m.find()) {
            last = m.group(1).toUpperCase(Locale.ROOT);
        }
        return Optional.ofNullable(last);
    }
}
