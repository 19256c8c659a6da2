package hub.core.internal.cli;

import hub.api.HubException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
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

    /**
     * @param context bundle context
     * @param processor Gogo's command processor
     */
    @Activate
    public CommandLineRunner(BundleContext context, @Reference CommandProcessor processor) {
        this.context = context;
        this.processor = processor;
        String encoded = context.getProperty(ARGS);
        if (encoded != null && !encoded.isBlank()) {
            Thread t = new Thread(() -> exit(run(CommandLine.decode(encoded), System.out, System.err)), "hub-cli");
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
        Throwable t = e;
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

    private static void exit(int status) {
        System.out.flush();
        System.err.flush();
        // the launcher's shutdown hook stops the framework cleanly
        System.exit(status);
    }
}
