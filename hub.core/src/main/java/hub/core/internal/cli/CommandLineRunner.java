package hub.core.internal.cli;

import hub.api.HubException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs one {@code hub:} command non-interactively when the launcher passed one in {@value #ARGS}, prints its result
 * on stdout or a one-line error on stderr, and exits the JVM with the command's status. Without that property it
 * does nothing and the interactive shell runs as usual.
 */
@Component(immediate = true)
public class CommandLineRunner {
    /** Framework property with the Base64-encoded, NUL-separated command line. */
    public static final String ARGS = "hub.cli.args";
    /** Exit status for usage errors (unknown command, bad arguments). */
    public static final int USAGE = 2;
    private static final long STARTUP_TIMEOUT_MS = 60_000;

    private final BundleContext context;
    private final CommandProcessor processor;
    private final ConfigurationAdmin configAdmin;

    /**
     * @param context bundle context
     * @param processor Gogo's command processor
     * @param configAdmin Configuration Admin, to wait for the home's configuration files
     */
    @Activate
    public CommandLineRunner(BundleContext context, @Reference CommandProcessor processor,
            @Reference ConfigurationAdmin configAdmin) {
        this.context = context;
        this.processor = processor;
        this.configAdmin = configAdmin;
        String encoded = context.getProperty(ARGS);
        if (encoded != null && !encoded.isBlank()) {
            // Gogo replaces System.out/err with per-thread redirecting streams; a session built on those would write
            // into itself. The process's real descriptors are what a one-shot command prints to.
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            Thread t = new Thread(() -> exit(run(CommandLine.decode(encoded), out, err), out, err), "hub-cli");
            t.setDaemon(false);
            t.start();
        }
    }

    int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            awaitFrameworkStarted();
            out.println("usage: hub [--home DIR] COMMAND [ARGS...]   (no command: interactive shell)");
            out.println("commands: " + String.join(", ", commands()));
            return 0;
        }
        String name = args.get(0);
        if (!awaitCommand(name)) {
            err.println("hub: unknown command '" + name + "' (commands: " + String.join(", ", commands()) + ")");
            return USAGE;
        }
        awaitConfiguration();
        CommandSession session = processor.createSession(System.in, out, err);
        try {
            Object result = session.execute(CommandLine.gogo("hub", args));
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                out.println(text);
            }
            return 0;
        } catch (Exception e) {
            return report(e, err);
        } finally {
            session.close();
            out.flush();
            err.flush();
        }
    }

    private static int report(Throwable e, PrintStream err) {
        if (System.getenv("HUB_TRACE") != null) {
            e.printStackTrace(err); // HUB_TRACE=1: the whole story, for bug reports
        }
        Throwable t = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null ? e.getCause() : e;
        while (!(t instanceof HubException) && !(t instanceof IllegalArgumentException) && t.getCause() != null
                && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof HubException h) {
            err.println("hub: " + oneLine(h.getMessage()));
            return h.exitCode();
        }
        if (t instanceof IllegalArgumentException || e.getClass().getSimpleName().equals("CommandNotFoundException")) {
            err.println("hub: " + oneLine(t.getMessage()));
            return USAGE;
        }
        err.println("hub: " + oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
        return 1;
    }

    private static String oneLine(String s) {
        return s == null ? "failed" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private void awaitFrameworkStarted() {
        long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
        Bundle fw = context.getBundle(0);
        while (fw.getState() != Bundle.ACTIVE && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
    }

    /** Waits for the command's service; a name still missing once the framework has started is unknown. */
    private boolean awaitCommand(String name) {
        long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            boolean started = context.getBundle(0).getState() == Bundle.ACTIVE;
            if (commands().contains(name)) {
                return true;
            }
            if (started) {
                // DS registers components right after their bundle starts: one short grace period
                sleep(200);
                return commands().contains(name);
            }
            sleep(20);
        }
        return false;
    }

    /**
     * File Install applies the home's configuration files asynchronously, and DS then re-activates the components
     * they configure. A one-shot command must see that configuration, so wait until every file's PID is known to
     * Configuration Admin and the service registry has been quiet for a moment.
     */
    private void awaitConfiguration() {
        Path dir = configDir();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        Set<String> pids = new TreeSet<>();
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cfg") || n.endsWith(".config"))
                    .map(n -> n.substring(0, n.lastIndexOf('.'))).forEach(pids::add);
        } catch (IOException e) {
            return;
        }
        if (pids.isEmpty()) {
            return;
        }
        long[] lastEvent = {System.nanoTime()};
        ServiceListener quiet = ev -> lastEvent[0] = System.nanoTime();
        context.addServiceListener(quiet);
        try {
            long deadline = System.currentTimeMillis() + 5_000;
            while (!configured(pids) && System.currentTimeMillis() < deadline) {
                sleep(20);
            }
            long settleDeadline = System.currentTimeMillis() + 2_000;
            while (System.nanoTime() - lastEvent[0] < 150_000_000L && System.currentTimeMillis() < settleDeadline) {
                sleep(20);
            }
        } finally {
            context.removeServiceListener(quiet);
        }
    }

    private Path configDir() {
        String d = context.getProperty("felix.fileinstall.dir");
        return d == null ? null : Path.of(d);
    }

    /** Plain PIDs must exist; factory files ({@code factory-name}) count once a configuration carries their file. */
    private boolean configured(Set<String> pids) {
        try {
            for (String pid : pids) {
                String filter = "(|(service.pid=" + pid + ")(felix.fileinstall.filename=*/" + pid + ".c*))";
                if (configAdmin.listConfigurations(filter) == null) {
                    return false;
                }
            }
            return true;
        } catch (IOException | InvalidSyntaxException e) {
            return true; // a PID that cannot be queried is not worth blocking a command for
        }
    }

    private Collection<String> commands() {
        TreeSet<String> names = new TreeSet<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(osgi.command.scope=hub)");
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    Object f = r.getProperty("osgi.command.function");
                    if (f instanceof String[] a) {
                        names.addAll(List.of(a));
                    } else if (f instanceof Collection<?> c) {
                        c.forEach(x -> names.add(x.toString()));
                    } else if (f != null) {
                        names.add(f.toString());
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void exit(int status, PrintStream out, PrintStream err) {
        out.flush();
        err.flush();
        // the launcher's shutdown hook stops the framework cleanly
        System.exit(status);
    }
}
