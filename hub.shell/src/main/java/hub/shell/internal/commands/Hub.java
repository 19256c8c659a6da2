package hub.shell.internal.commands;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code hub} command: every command and option is declared once, here and in the classes it names. */
@Command(name = "hub", mixinStandardHelpOptions = true, versionProvider = AdminCommands.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {"Vision Model Hub: a catalog of computer-vision models, a verified download cache, and a runtime "
                + "that runs them (detection, classification, OCR, faces, embeddings).",
                "",
                "The first command for a home starts a background hub for it, which later commands reuse (models stay "
                + "loaded); it stops after 30 idle minutes, or with hub stop."},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {"Run hub help COMMAND or hub COMMAND --help for a command's options. Without a command, hub opens the "
                + "interactive shell.",
                "Environment: HUB_HOME (the home), HUB_OFFLINE=1 (as --offline), HUB_DAEMON=false (as --no-daemon), "
                + "HUB_TRACE=1 (stack traces of failures).",
                "Exit codes: 0 ok, 1 failure, 2 usage, 3 unknown model or alias not set, 4 configuration, 5 download, "
                + "6 no loader, 7 device, 8 models missing (offline), 9 checksum, 10 switch failed, 11 access denied."})
public final class Hub implements Runnable {
    /** The commands, in the order help lists them. */
    static final java.util.List<Class<?>> COMMANDS = java.util.List.of(HelpCommand.class,
            TaskCommands.Detect.class, TaskCommands.Classify.class, TaskCommands.Ocr.class, TaskCommands.Faces.class,
            TaskCommands.CompareFaces.class,
            EmbeddingCommands.Embed.class, EmbeddingCommands.Embedders.class, EmbeddingCommands.Index.class,
            EmbeddingCommands.Search.class,
            CatalogCommands.ListModels.class, CatalogCommands.Info.class, CatalogCommands.Pull.class,
            CatalogCommands.Verify.class, CatalogCommands.Remove.class, CatalogCommands.Cache.class,
            CatalogCommands.Cleanup.class, CatalogCommands.History.class, CatalogCommands.Register.class,
            CatalogCommands.Unregister.class, CatalogCommands.Sync.class, CatalogCommands.Clean.class,
            RuntimeCommands.Load.class, RuntimeCommands.Unload.class, RuntimeCommands.Status.class,
            RuntimeCommands.Active.class, RuntimeCommands.Switch.class, RuntimeCommands.Pin.class,
            RuntimeCommands.Unpin.class,
            CatalogCommands.DeviceCmd.class, AdminCommands.Health.class, AdminCommands.Key.class,
            AdminCommands.FleetCmd.class, AdminCommands.State.class, MirrorCommands.Mirror.class,
            PluginCommands.Plugin.class,
            AdminCommands.Bench.class, AdminCommands.Serve.class, AdminCommands.Stop.class,
            AdminCommands.VersionCmd.class, AdminCommands.Completion.class);
    private final Ctx ctx;

    @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.LOCAL,
            description = "the hub home (default: $HUB_HOME, else ~/.vision-hub); read by the launcher")
    String home;
    @Option(names = "--no-daemon", scope = ScopeType.LOCAL,
            description = "run the command in a process of its own, not in the home's background hub")
    boolean noDaemon;

    Hub(Ctx ctx) {
        this.ctx = ctx;
    }

    /**
     * @param offline use only what is in the cache: nothing is downloaded, and what is missing is named
     */
    @Option(names = "--offline", scope = ScopeType.INHERIT,
            description = "use only the cache: download nothing and name what is missing (also HUB_OFFLINE=1)")
    void offline(boolean offline) {
        ctx.session().offline(offline);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        ctx.session().out().print(spec.commandLine().getUsageMessage());
    }

    /**
     * @param ctx services and session of this command
     * @return the command line with every command, ready to execute one
     */
    public static CommandLine commandLine(Ctx ctx) {
        return commandLine(ctx, null);
    }

    /**
     * @param ctx services and session of this command
     * @param only the one command to declare (what a command line that names it needs: building every command's
     *        model costs tens of milliseconds), or null for all (help, completion, suggestions)
     * @return the command line
     */
    public static CommandLine commandLine(Ctx ctx, String only) {
        CommandLine.IFactory factory = factory(ctx);
        CommandLine cl = new CommandLine(new Hub(ctx), factory);
        for (Class<?> c : COMMANDS) {
            Command cmd = c.getAnnotation(Command.class);
            if (only == null || c == HelpCommand.class || cmd.name().equals(only)
                    || java.util.List.of(cmd.aliases()).contains(only)) {
                try {
                    cl.addSubcommand(cmd.name(), new CommandLine(factory.create(c), factory), cmd.aliases());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot declare " + cmd.name(), e);
                }
            }
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setAbbreviatedOptionsAllowed(false);
        cl.setOut(new java.io.PrintWriter(ctx.session().out(), true));
        cl.setErr(new java.io.PrintWriter(ctx.session().err(), true));
        cl.setUsageHelpAutoWidth(true); // after the subcommands are added: it applies to them too
        return cl;
    }

    /** The names (and aliases) of the top-level commands, read once from their declarations. */
    private static final java.util.List<String> NAMES = COMMANDS.stream().map(c -> c.getAnnotation(Command.class))
            .flatMap(c -> java.util.stream.Stream.concat(java.util.stream.Stream.of(c.name()),
                    java.util.stream.Stream.of(c.aliases()))).toList();

    /** @return the names (and aliases) of the top-level commands */
    public static java.util.List<String> names() {
        return NAMES;
    }

    /** Makes commands (and their candidate lists and version provider) with this command's services and session. */
    static CommandLine.IFactory factory(Ctx ctx) {
        CommandLine.IFactory fallback = CommandLine.defaultFactory();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == Hub.class) {
                    return cls.cast(new Hub(ctx));
                }
                try {
                    Constructor<K> c = cls.getDeclaredConstructor(Ctx.class);
                    c.setAccessible(true);
                    return c.newInstance(ctx);
                } catch (NoSuchMethodException e) {
                    return fallback.create(cls);
                }
            }
        };
    }
}
