package hub.shell.internal;

import hub.api.ArtifactStore;
import hub.api.DeviceService;
import hub.api.HubException;
import hub.api.ModelHub;
import hub.api.ModelRegistry;
import hub.api.access.ApiKeys;
import hub.api.embedding.EmbeddingRegistry;
import hub.api.embedding.VectorIndex;
import hub.api.inference.Inference;
import hub.api.manifest.Manifests;
import hub.client.Backend;
import hub.shell.internal.commands.Ctx;
import hub.shell.internal.commands.Hub;
import hub.shell.internal.commands.Services;
import hub.shell.internal.commands.Session;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command line as one service: parses a command line with picocli against the declared commands, runs it
 * against the hub's services, and turns every failure into one line and a documented exit status. The one-shot
 * command line, the background hub's control socket, the interactive shell and the Gogo commands all run commands
 * here. It also answers completion from the same declarations.
 */
@Component(service = HubCli.class)
public class HubCli {
    /** Exit status of usage errors. */
    public static final int USAGE = 2;
    private final Services services;
    private volatile HealthCheckExecutor health;

    /**
     * The services are obtained when a command first calls one (DS gives their service objects without getting
     * them), so that a command such as {@code version} activates none of the hub's components.
     *
     * @param registry catalog
     * @param hub runtime
     * @param inference request path
     * @param devices devices
     * @param store cache
     * @param embeddings embedding services
     * @param index vector collections
     * @param keys API keys
     * @param manifests manifests
     * @param plugins the plug-ins folder
     * @param fleet the hubs sharing this hub's state
     * @param transfer export and import of the shared state
     * @param mirrors the fleet's mirrors
     * @param context this bundle's context
     */
    @Activate
    public HubCli(@Reference ComponentServiceObjects<ModelRegistry> registry,
            @Reference ComponentServiceObjects<ModelHub> hub, @Reference ComponentServiceObjects<Inference> inference,
            @Reference ComponentServiceObjects<DeviceService> devices,
            @Reference ComponentServiceObjects<ArtifactStore> store,
            @Reference ComponentServiceObjects<EmbeddingRegistry> embeddings,
            @Reference ComponentServiceObjects<VectorIndex> index, @Reference ComponentServiceObjects<ApiKeys> keys,
            @Reference ComponentServiceObjects<Manifests> manifests,
            @Reference ComponentServiceObjects<hub.api.plugin.PluginManager> plugins,
            @Reference ComponentServiceObjects<hub.api.fleet.Fleet> fleet,
            @Reference ComponentServiceObjects<hub.api.state.StateTransfer> transfer,
            @Reference ComponentServiceObjects<hub.api.mirror.ModelMirrors> mirrors, BundleContext context) {
        this(new Services(lazy(registry), lazy(hub), lazy(inference), lazy(devices), lazy(store), lazy(embeddings),
                lazy(index), lazy(keys), lazy(manifests), lazy(plugins), lazy(fleet), lazy(transfer), lazy(mirrors),
                null, context));
    }

    /**
     * @param services the services (with no health executor: the dynamic reference supplies it)
     */
    HubCli(Services services) {
        this.services = new Services(services.registry(), services.hub(), services.inference(), services.devices(),
                services.store(), services.embeddings(), services.index(), services.keys(), services.manifests(),
                services.plugins(), services.fleet(), services.transfer(), services.mirrors(), () -> health,
                services.context());
    }

    /** The service behind a reference, got on first use and kept (DS releases it with this component). */
    static <T> java.util.function.Supplier<T> lazy(ComponentServiceObjects<T> objects) {
        return new java.util.function.Supplier<>() {
            private volatile T service;

            @Override
            public T get() {
                T s = service;
                if (s == null) {
                    synchronized (this) {
                        s = service;
                        if (s == null) {
                            s = objects.getService();
                            service = s;
                        }
                    }
                }
                return s;
            }
        };
    }

    /**
     * @param executor Felix Health Checks' executor
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setHealth(HealthCheckExecutor executor) {
        this.health = executor;
    }

    void unsetHealth(HealthCheckExecutor executor) {
        if (this.health == executor) {
            this.health = null;
        }
    }

    private volatile FrameworkShell framework;

    /**
     * @param shell the framework's Gogo commands, for words that are not hub commands
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setFramework(FrameworkShell shell) {
        this.framework = shell;
    }

    void unsetFramework(FrameworkShell shell) {
        if (this.framework == shell) {
            this.framework = null;
        }
    }

    /**
     * Runs one command line.
     *
     * @param args the words
     * @param session streams, directory, terminal, offline, host
     * @return the exit status
     */
    public int execute(List<String> args, Session session) {
        // a command line naming a command declares only that one (help, completion and suggestions need them all)
        String first = args.isEmpty() ? null : args.get(0);
        boolean one = first != null && !first.equals("help") && !first.equals("completion")
                && Hub.names().contains(first);
        FrameworkShell gogo = framework;
        if (first != null && !one && !first.equals("help") && !first.equals("completion") && gogo != null
                && gogo.has(first)) {
            return gogo.execute(args, session); // lb, install -s, start, headers...: the framework's own commands
        }
        CommandLine cl = Hub.commandLine(new Ctx(services, session), one ? first : null);
        PrintStream err = session.err();
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("hub: " + usageLine(ex));
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> report(ex, err, session.trace()));
        try {
            return cl.execute(args.toArray(String[]::new));
        } finally {
            session.out().flush();
            err.flush();
        }
    }

    /** One line: what was wrong, a suggestion when there is one, and the expected form. */
    static String usageLine(CommandLine.ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        String where = cmd.getCommandSpec().qualifiedName(" ");
        String message = ex.getMessage() == null ? "bad arguments" : ex.getMessage().strip();
        String hint = "";
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            String word = unmatched.isEmpty() ? "" : unmatched.get(0);
            boolean isCommand = !cmd.getSubcommands().isEmpty() && !word.startsWith("-")
                    && cmd.getCommandSpec().positionalParameters().isEmpty();
            List<String> candidates = new ArrayList<>();
            if (word.startsWith("-")) {
                cmd.getCommandSpec().options().forEach(o -> candidates.addAll(List.of(o.names())));
            } else if (isCommand) {
                candidates.addAll(cmd.getSubcommands().keySet());
            }
            List<String> close = hub.core.text.Suggestions.closest(word.contains("=") ? word.substring(0, word.indexOf('=')) : word,
                    candidates);
            if (word.startsWith("-")) {
                message = "unknown option '" + word + "'";
            } else if (isCommand) {
                message = "unknown command '" + word + "'";
            } else {
                message = "unexpected argument '" + word + "'";
            }
            if (!close.isEmpty()) {
                hint = "; did you mean " + String.join(" or ", close) + "?";
            } else if (isCommand) {
                hint = "; hub --help lists the commands";
            }
        } else {
            message = message.replaceAll("\\s*\\R\\s*", " ");
            message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        return (where.equals("hub") ? "" : where.substring(4) + ": ") + message + hint
                + " (usage: " + synopsis(cmd.getCommandSpec()) + ")";
    }

    /** The short form of a command: {@code hub detect [OPTIONS] IMAGE...}. */
    static String synopsis(CommandSpec spec) {
        StringBuilder b = new StringBuilder(spec.qualifiedName(" "));
        if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
            return b.append(" COMMAND [ARGS...]").toString();
        }
        for (OptionSpec o : spec.options()) {
            if (o.required()) {
                b.append(' ').append(o.longestName()).append(' ').append(o.paramLabel());
            }
        }
        if (spec.options().stream().anyMatch(o -> !o.required() && !o.hidden())) {
            b.append(" [OPTIONS]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            String label = p.paramLabel() + (p.isMultiValue() ? "..." : "");
            b.append(' ').append(p.arity().min() == 0 ? "[" + label + "]" : label);
        }
        return b.toString();
    }

    /** Turns a failure into one line on stderr and the exit status it documents. */
    static int report(Throwable e, PrintStream err, boolean trace) {
        if (trace) {
            e.printStackTrace(err); // HUB_TRACE=1: the whole story, for bug reports
        }
        Throwable t = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
        while (!(t instanceof HubException) && !(t instanceof IllegalArgumentException) && t.getCause() != null
                && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof HubException h) {
            err.println("hub: " + oneLine(h.getMessage()));
            return h.exitCode();
        }
        if (t instanceof IllegalArgumentException) {
            err.println("hub: " + oneLine(t.getMessage()));
            return USAGE;
        }
        if (t instanceof java.nio.file.NoSuchFileException) {
            err.println("hub: no such file: " + t.getMessage());
            return USAGE;
        }
        if (t instanceof java.io.IOException) {
            err.println("hub: " + oneLine(t.getMessage()));
            return 1;
        }
        err.println("hub: " + oneLine(describe(t)));
        return 1;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            // a bug, not a user mistake: name it so that it can be reported (HUB_TRACE=1 has the rest)
            return "internal error (" + t.getClass().getSimpleName() + "); run with HUB_TRACE=1 for details";
        }
        return m;
    }

    private static String oneLine(String s) {
        return s == null ? "failed" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** @return the top-level command names */
    public Collection<String> commands() {
        return Hub.names(); // from the declarations' annotations: no command line is built for it
    }

    /**
     * Completion candidates for the last word of a line, from the declarations: commands, their options, the
     * values an option or parameter takes (model names from the catalog, devices, tiers...), or files.
     *
     * @param words the words so far, the last one (possibly empty) being completed
     * @return candidates as {value, description}, or {@link Backend#FILES}
     */
    public List<String[]> complete(List<String> words) {
        List<String[]> out = new ArrayList<>();
        String current = words.isEmpty() ? "" : words.get(words.size() - 1);
        CommandLine cl = Hub.commandLine(new Ctx(services, Sessions.discard()));
        CommandLine cmd = cl;
        for (int i = 0; i < words.size() - 1; i++) {
            CommandLine sub = cmd.getSubcommands().get(words.get(i));
            if (sub != null) {
                cmd = sub;
            }
        }
        CommandSpec spec = cmd.getCommandSpec();
        String previous = words.size() >= 2 ? words.get(words.size() - 2) : null;
        OptionSpec wanting = previous == null ? null : spec.findOption(previous);
        if (wanting != null && wanting.arity().max() > 0 && !wanting.type().equals(boolean.class)) {
            values(wanting, current, out);
            return out;
        }
        if (current.startsWith("-")) {
            for (OptionSpec o : spec.options()) {
                if (o.hidden()) {
                    continue;
                }
                for (String n : o.names()) {
                    if (n.startsWith(current) && n.startsWith("--")) {
                        out.add(new String[] {n, first(o.description())});
                    }
                }
            }
            return out;
        }
        if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
            for (var e : spec.subcommands().entrySet()) {
                if (e.getKey().startsWith(current) && !e.getValue().getCommandSpec().usageMessage().hidden()) {
                    out.add(new String[] {e.getKey(), first(e.getValue().getCommandSpec().usageMessage().description())});
                }
            }
            return out;
        }
        // a positional parameter: which one is being typed
        int index = 0;
        for (int i = 1; i < words.size() - 1; i++) {
            String w = words.get(i);
            if (spec.subcommands().containsKey(w) && index == 0) {
                continue;
            }
            OptionSpec o = spec.findOption(w);
            if (o != null) {
                if (o.arity().max() > 0 && !o.type().equals(boolean.class)) {
                    i++;
                }
                continue;
            }
            if (!w.startsWith("-")) {
                index++;
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.index().contains(index) || p.isMultiValue() && index >= p.index().min()) {
                values(p, current, out);
                return out;
            }
        }
        return out;
    }

    private static void values(ArgSpec arg, String current, List<String[]> out) {
        Iterable<String> candidates = arg.completionCandidates();
        if (candidates != null) {
            for (String c : candidates) {
                if (c.startsWith(current)) {
                    out.add(new String[] {c, ""});
                }
            }
            return;
        }
        String label = arg.paramLabel();
        if (label.equals("IMAGE") || label.equals("FILE") || arg.type().equals(java.nio.file.Path.class)
                || arg.auxiliaryTypes().length > 0 && arg.auxiliaryTypes()[0].equals(java.nio.file.Path.class)) {
            out.add(new String[] {Backend.FILES});
        }
    }

    private static String first(String[] description) {
        return description == null || description.length == 0 ? "" : description[0];
    }
}
