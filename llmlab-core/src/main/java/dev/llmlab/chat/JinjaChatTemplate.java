package dev.llmlab.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.llmlab.error.InvalidRequestException;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's Jinja chat template rendered the way Hugging Face's {@code apply_chat_template} does: Jinja with
 * {@code trim_blocks} and {@code lstrip_blocks}, the variables {@code messages}, {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token} (and the other special tokens given), and the functions
 * {@code raise_exception(message)} and {@code strftime_now(format)}. Rendered by Jinjava; the Python string
 * methods templates call ({@code .startswith}, {@code .upper()}, ...) are mapped to their Java equivalents.
 * Immutable and thread-safe.
 */
public final class JinjaChatTemplate implements ChatTemplate {
    private static final String NOW = "__llmlab_now__";
    private static final Map<String, String> PYTHON_METHODS = Map.of(
            ".startswith(", ".startsWith(", ".endswith(", ".endsWith(", ".upper()", ".toUpperCase()",
            ".lower()", ".toLowerCase()", ".lstrip()", ".stripLeading()", ".rstrip()", ".stripTrailing()");

    private final String template;
    private final Map<String, String> specialTokens;
    private final String source;
    private final List<String> stopStrings;
    private final Clock clock;
    private final Jinjava jinjava;

    /**
     * @param template      the Jinja source
     * @param specialTokens variables such as {@code bos_token} and {@code eos_token} (texts)
     * @param source        where the template came from, for humans
     * @param stopStrings   texts that end the assistant's turn when the model has no single token for them
     * @param clock         the time {@code strftime_now} formats
     */
    public JinjaChatTemplate(String template, Map<String, String> specialTokens, String source,
                             List<String> stopStrings, Clock clock) {
        String rewritten = template;
        for (Map.Entry<String, String> e : PYTHON_METHODS.entrySet()) {
            rewritten = rewritten.replace(e.getKey(), e.getValue());
        }
        this.template = rewritten;
        this.specialTokens = Map.copyOf(specialTokens);
        this.source = source;
        this.stopStrings = List.copyOf(stopStrings);
        this.clock = clock;
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true)
                        .withParseWhitespaceControlStrictly(true).build())
                .build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                JinjaChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                JinjaChatTemplate.class, "strftimeNow", String.class));
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> list = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", m.role());
            message.put("content", m.content());
            list.add(message);
        }
        Map<String, Object> bindings = new HashMap<>(specialTokens);
        bindings.put("messages", list);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put(NOW, ZonedDateTime.now(clock));
        RenderResult result = jinjava.renderForResult(template, bindings);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new InvalidRequestException("the chat template (" + source + ") cannot render this conversation: "
                        + reason(error) + "; check the roles and order of the messages");
            }
        }
        return result.getOutput();
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public List<String> stopStrings() {
        return stopStrings;
    }

    /** The template's own message for {@code raise_exception}, else Jinjava's description. */
    private static String reason(TemplateError error) {
        for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
            if (cause instanceof TemplateRaisedException raised) {
                return raised.getMessage();
            }
        }
        return error.getMessage();
    }

    /** {@code raise_exception(message)}: the template refuses the conversation. */
    public static String raiseException(String message) {
        throw new TemplateRaisedException(message);
    }

    /** {@code strftime_now(format)}: the render's time (from the template's clock) in Python strftime format. */
    public static String strftimeNow(String format) {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        Object now = interpreter == null ? null : interpreter.getContext().get(NOW);
        ZonedDateTime time = now instanceof ZonedDateTime t ? t : ZonedDateTime.now(Clock.systemUTC());
        return strftime(format, time);
    }

    static String strftime(String format, ZonedDateTime time) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char f = format.charAt(++i);
            String pattern = switch (f) {
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'm' -> "MM";
                case 'd' -> "dd";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'H' -> "HH";
                case 'I' -> "hh";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case 'p' -> "a";
                case 'j' -> "DDD";
                default -> null;
            };
            if (f == '%') {
                out.append('%');
            } else if (pattern == null) {
                out.append('%').append(f);
            } else {
                out.append(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(time));
            }
        }
        return out.toString();
    }

    /** Thrown by {@code raise_exception}; its message is the template's. */
    static final class TemplateRaisedException extends RuntimeException {
        TemplateRaisedException(String message) {
            super(message);
        }
    }
}
