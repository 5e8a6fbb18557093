package dev.llmlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmlab.cli.ui.Ansi;
import dev.llmlab.cli.ui.Table;
import dev.llmlab.experiment.Experiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code llmlab list}: the experiments on offer. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the experiments.")
final class ListCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--json", description = "A JSON array of {number, name, description}.")
    boolean json;

    ListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        List<Experiment> experiments = context.experiments().all();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode array = mapper.createArrayNode();
            for (Experiment e : experiments) {
                ObjectNode entry = array.addObject().put("number", e.number()).put("name", e.name())
                        .put("description", e.description());
                ArrayNode options = entry.putArray("options");
                e.options().forEach(o -> options.addObject().put("key", o.key()).put("default", o.defaultValue())
                        .put("description", o.description()));
            }
            context.out().println(mapper.writeValueAsString(array));
        } else {
            Table table = new Table(List.of("#", "Name", "Description"));
            experiments.forEach(e -> table.add(List.of(String.valueOf(e.number()), e.name(), e.description())));
            Ansi ansi = new Ansi(context.stdout().ansi());
            table.render(ansi).forEach(context.out()::println);
            context.out().println();
            Table options = new Table(List.of("#", "Option (--set KEY=VALUE)", "Default", "Meaning"));
            experiments.forEach(e -> e.options().forEach(o -> options.add(List.of(String.valueOf(e.number()),
                    o.key(), o.defaultValue(), o.description()))));
            options.render(ansi).forEach(context.out()::println);
            context.out().println();
            context.out().println("Run one with: llmlab run <#|name> [--model REF] [--prompt TEXT] [--set KEY=VALUE]");
        }
        context.out().flush();
        return 0;
    }
}
