package hub.shell.internal.commands;

import java.util.List;
import picocli.CommandLine;

/**
 * A command that only groups others ({@code hub key}, {@code hub plugin}, {@code hub index}, {@code hub state}):
 * called alone, it is a usage error naming its operations, taken from its declared subcommands.
 */
abstract class Group implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin
    HelpOption help;

    @Override
    public void run() {
        List<String> ops = spec.subcommands().values().stream().distinct().map(CommandLine::getCommandName).toList();
        String list = ops.size() == 1 ? ops.get(0)
                : String.join(", ", ops.subList(0, ops.size() - 1)) + " or " + ops.get(ops.size() - 1);
        throw new CommandLine.ParameterException(spec.commandLine(), spec.name() + " needs an operation: " + list);
    }
}
