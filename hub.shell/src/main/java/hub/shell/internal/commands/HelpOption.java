package hub.shell.internal.commands;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help} on every command, declared once (the hub's {@code --version} stays the hub's). */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
