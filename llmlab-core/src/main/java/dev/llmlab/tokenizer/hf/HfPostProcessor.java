package dev.llmlab.tokenizer.hf;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The special tokens a tokenizer.json {@code post_processor} puts around a single sequence when special tokens
 * are added ({@code TemplateProcessing}'s {@code single} template, Roberta/Bert's CLS and SEP); {@code ByteLevel}
 * adds none.
 *
 * @param prefix ids before the sequence (Llama's BOS)
 * @param suffix ids after it
 */
record HfPostProcessor(int[] prefix, int[] suffix) {

    static HfPostProcessor none() {
        return new HfPostProcessor(new int[0], new int[0]);
    }

    static HfPostProcessor read(HfComponents components, JsonNode node, Map<String, Integer> byContent) {
        if (node == null || node.isNull()) {
            return none();
        }
        String type = node.path("type").asText("");
        return switch (type) {
            case "ByteLevel" -> none();
            case "TemplateProcessing" -> template(components, node);
            case "RobertaProcessing", "BertProcessing" -> new HfPostProcessor(
                    new int[] {pairId(components, node, "cls")}, new int[] {pairId(components, node, "sep")});
            case "Sequence" -> {
                List<int[]> prefixes = new ArrayList<>();
                List<int[]> suffixes = new ArrayList<>();
                for (JsonNode p : node.path("processors")) {
                    HfPostProcessor one = read(components, p, byContent);
                    prefixes.add(one.prefix());
                    suffixes.add(one.suffix());
                }
                yield new HfPostProcessor(join(prefixes), join(suffixes));
            }
            default -> throw components.unsupported("post_processor", type,
                    "TemplateProcessing, ByteLevel, RobertaProcessing, BertProcessing, Sequence");
        };
    }

    private static HfPostProcessor template(HfComponents components, JsonNode node) {
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        boolean seenSequence = false;
        for (JsonNode piece : node.path("single")) {
            if (piece.has("Sequence")) {
                seenSequence = true;
            } else if (piece.has("SpecialToken")) {
                String name = piece.get("SpecialToken").path("id").asText();
                JsonNode ids = node.path("special_tokens").path(name).path("ids");
                if (!ids.isArray() || ids.isEmpty()) {
                    throw components.format("post_processor template names special token '" + name
                            + "' but special_tokens has no ids for it");
                }
                for (JsonNode id : ids) {
                    (seenSequence ? suffix : prefix).add(id.asInt());
                }
            } else {
                throw components.format("post_processor template piece " + piece + " is neither Sequence nor"
                        + " SpecialToken");
            }
        }
        return new HfPostProcessor(prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int pairId(HfComponents components, JsonNode node, String key) {
        JsonNode pair = node.get(key);
        if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(1).isIntegralNumber()) {
            throw components.format("post_processor " + key + " must be [\"token\", id]");
        }
        return pair.get(1).asInt();
    }

    private static int[] join(List<int[]> parts) {
        return parts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }
}
