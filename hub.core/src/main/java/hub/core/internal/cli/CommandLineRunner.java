package hub.core.internal.cli;

import hub.api.HubException;
import hub.api.ModelHub;
import hub.core.internal.home.HubHome;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs one {@code hub:} command non-interactively when the launcher script passed one in {@value #ARGS}: it registers
 * a {@code Callable<Integer>} with {@code main.thread=true}, which the bnd launcher calls on its main thread and
 * whose result it exits with after stopping the framework cleanly. The command prints its result on stdout, or a
 * one-line error on stderr. Without that property nothing is registered and the interactive shell runs as usual.
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
    private final ServiceComponentRuntime scr;
    private final HubHome home;
    private final ModelHub hub;
    private ServiceRegistration<?> registration;

    /**
     * @param context bundle context
     * @param processor Gogo's command processor
     * @param scr the component runtime, to wait until the home's configuration files are applied
     * @param home the hub home, where a serving hub's control socket lives
     * @param hub the runtime, whose leases a stopping hub lets drain
     */
    @Activate
    public CommandLineRunner(BundleContext context, @Reference CommandProcessor processor,
            @Reference ServiceComponentRuntime scr, @Reference HubHome home, @Reference ModelHub hub) {
        this.context = context;
        this.processor = processor;
        this.scr = scr;
        this.home = home;
        this.hub = hub;
        String encoded = context.getProperty(ARGS);
        if (encoded != null && !encoded.isBlank()) {
            // Gogo replaces System.out/err with per-thread redirecting streams; a session built on those would write
            // into itself. The process's real descriptors are what a one-shot command prints to.
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            // a class, not a lambda: the launcher checks that call() is declared to return Integer
            Callable<Integer> main = new Callable<Integer>() {
                @Override
                public Integer call() {
                    try {
                        return run(CommandLine.decode(encoded), out, err);
                    } finally {
                        out.flush();
                        err.flush();
                    }
                }
            };
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("main.thread", Boolean.TRUE);
            registration = context.registerService(Callable.class, main, props);
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the framework
            }
        }
    }

    /** Felix HTTP's start level in the run descriptor: above the shell's, so only hub serve starts it. */
    static final int HTTP_START_LEVEL = 101;

    int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && args.get(0).equals("serve")) {
            return serve(args.subList(1, args.size()), out, err);
        }
        if (!args.isEmpty() && args.get(0).equals("stop")) {
            err.println("hub: no hub is serving " + home.root());
            return 1;
        }
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            awaitFrameworkStarted();
            out.println("usage: hub [--home DIR] COMMAND [ARGS...]   (no command: interactive shell)");
            out.println("commands: " + String.join(", ", known()));
            return 0;
        }
        String name = args.get(0);
        awaitFrameworkStarted();
        awaitHubComponents();
        awaitConfiguration(); // before looking for the command: configuration re-activates the components behind it
        if (!awaitCommand(name)) {
            err.println("hub: unknown command '" + name + "' (commands: " + String.join(", ", known()) + ")");
            return USAGE;
        }
        CommandSession session = processor.createSession(System.in, out, err);
        try {
            Object result;
            try {
                result = session.execute(CommandLine.gogo("hub", args));
            } catch (Exception e) {
                if (!e.getClass().getSimpleName().equals("CommandNotFoundException") || !awaitCommand(name)) {
                    throw e;
                }
                // the command's component was being re-activated (a configuration change): run it once more
                result = session.execute(CommandLine.gogo("hub", args));
            }
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

    /**
     * {@code hub serve}: keeps this hub running and answers commands on the control socket until {@code hub stop},
     * then waits (up to 30 s) for open leases to close before the framework stops.
     */
    private int serve(List<String> options, PrintStream out, PrintStream err) {
        Path socket = home.root().resolve("run").resolve("hub.sock");
        if (ControlServer.answering(socket)) {
            err.println("hub: a hub is already serving " + home.root());
            return 1;
        }
        Map<String, Object> http = new java.util.LinkedHashMap<>();
        boolean noHttp = false;
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            if (o.equals("--no-http")) {
                noHttp = true;
            } else if ((o.equals("--port") || o.equals("--host")) && i + 1 < options.size()) {
                String v = options.get(++i);
                if (o.equals("--port")) {
                    try {
                        int port = Integer.parseInt(v);
                        if (port < 0 || port > 65535) {
                            throw new NumberFormatException();
                        }
                        http.put("org.osgi.service.http.port", port);
                    } catch (NumberFormatException e) {
                        err.println("hub: --port wants a port number 0..65535, not '" + v + "'");
                        return USAGE;
                    }
                } else {
                    http.put("org.apache.felix.http.host", v);
                }
            } else {
                err.println("hub: serve takes --port P, --host H and --no-http, not '" + o + "'");
                return USAGE;
            }
        }
        // the socket appears only once the hub is fully up: a command never meets a half-started hub
        awaitFrameworkStarted();
        awaitHubComponents();
        awaitConfiguration();
        String endpoint = null;
        if (!noHttp) {
            endpoint = startHttp(http, err);
            if (endpoint == null) {
                return 1; // startHttp said why, in one line
            }
        }
        CountDownLatch stop = new CountDownLatch(1);
        ControlServer server;
        try {
            server = new ControlServer(socket, (args, streams) -> {
                if (args.get(0).equals("stop")) {
                    streams[0].println("stopping the hub serving " + home.root());
                    stop.countDown();
                    return 0;
                }
                if (args.get(0).equals("serve")) {
                    streams[1].println("hub: a hub is already serving " + home.root());
                    return 1;
                }
                return run(args, streams[0], streams[1]);
            });
        } catch (IOException e) {
            err.println("hub: cannot open the control socket " + socket + ": " + e.getMessage());
            return 1;
        }
        try (server) {
            out.println("serving " + home.root() + " (control socket " + socket + "); `hub stop` ends it");
            if (endpoint != null) {
                out.println("HTTP API and web page on " + endpoint);
            }
            out.flush();
            stop.await();
            long deadline = System.currentTimeMillis() + 30_000;
            while (hub.loaded().stream().anyMatch(i -> i.openLeases() > 0) && System.currentTimeMillis() < deadline) {
                sleep(50); // requests in flight finish before the models close
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * Applies {@code --host}/{@code --port} to Felix HTTP's configuration, raises the framework to the HTTP server's
     * start level (above what commands and the shell reach), and waits for its endpoint.
     */
    private String startHttp(Map<String, Object> settings, PrintStream err) {
        try {
            java.util.Dictionary<String, Object> configured = null;
            var ref = context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class);
            if (ref != null) {
                var cm = context.getService(ref);
                var config = cm.getConfiguration("org.apache.felix.http", "?");
                configured = config.getProperties() == null ? new java.util.Hashtable<>() : config.getProperties();
                if (!settings.isEmpty()) {
                    settings.forEach(configured::put);
                    config.update(configured);
                }
                context.ungetService(ref);
            }
            String host = setting(configured, "org.apache.felix.http.host", "127.0.0.1");
            int port = Integer.parseInt(setting(configured, "org.osgi.service.http.port", "8080"));
            if (port > 0) {
                // a busy port is one clear line and a failed serve, not Jetty's stack traces and a hub without HTTP
                try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                    probe.setReuseAddress(true);
                    probe.bind(new java.net.InetSocketAddress(host, port));
                } catch (IOException e) {
                    err.println("hub: cannot serve HTTP on " + host + ":" + port + ": " + e.getMessage()
                            + " (another server? choose one with --port)");
                    return null;
                }
            }
            var startLevel = context.getBundle(0).adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class);
            CountDownLatch reached = new CountDownLatch(1);
            startLevel.setStartLevel(Math.max(startLevel.getStartLevel(), HTTP_START_LEVEL), e -> reached.countDown());
            reached.await(30, java.util.concurrent.TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline) {
                var refs = context.getServiceReferences("org.osgi.service.servlet.runtime.HttpServiceRuntime", null);
                if (refs != null) {
                    for (var r : refs) {
                        Object e = r.getProperty("osgi.http.endpoint");
                        String first = e instanceof String[] a && a.length > 0 ? a[0]
                                : e instanceof java.util.Collection<?> c && !c.isEmpty() ? String.valueOf(c.iterator().next())
                                : e == null ? null : e.toString();
                        if (first != null) {
                            return first;
                        }
                    }
                }
                sleep(50);
            }
            err.println("hub: the HTTP server did not come up within 15 s");
        } catch (Exception e) {
            err.println("hub: HTTP not started: " + e.getMessage());
        }
        return null;
    }

    private String setting(java.util.Dictionary<String, Object> configured, String key, String fallback) {
        Object v = configured == null ? null : configured.get(key);
        if (v == null) {
            v = context.getProperty(key);
        }
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
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

    /**
     * SCR activates components on its own thread once their bundle has started: wait (up to 10 s) until every
     * component of the hub's own bundles is satisfied or active, so that no loader is missing from a command.
     */
    private void awaitHubComponents() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            boolean settled = true;
            for (Bundle b : context.getBundles()) {
                if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("hub.")
                        || b.getHeaders().get("Service-Component") == null) {
                    continue;
                }
                if (b.getState() != Bundle.ACTIVE) {
                    // due to start (its level is reached) but not started yet: Felix raises the level first
                    var level = b.adapt(org.osgi.framework.startlevel.BundleStartLevel.class);
                    if (level != null && level.isPersistentlyStarted() && level.getStartLevel() <= startLevelTarget()) {
                        settled = false;
                        break;
                    }
                    continue;
                }
                var descriptions = scr.getComponentDescriptionDTOs(b);
                if (descriptions.isEmpty()) {
                    settled = false;
                    break;
                }
                for (ComponentDescriptionDTO d : descriptions) {
                    if (scr.isComponentEnabled(d) && scr.getComponentConfigurationDTOs(d).stream().noneMatch(c ->
                            c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED)) {
                        settled = false;
                    }
                }
            }
            if (settled) {
                return;
            }
            sleep(20);
        }
    }

    /** Waits until the framework has reached its beginning start level: every bundle of the run has started. */
    private void awaitFrameworkStarted() {
        long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
        Bundle fw = context.getBundle(0);
        String beginning = context.getProperty("org.osgi.framework.startlevel.beginning");
        int target = beginning == null ? 1 : Integer.parseInt(beginning.trim());
        FrameworkStartLevel levels = fw.adapt(FrameworkStartLevel.class);
        while ((fw.getState() != Bundle.ACTIVE || levels.getStartLevel() < target)
                && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
    }

    /**
     * Waits for the command's service. A command some component declares (its description names the function, even
     * before activation) is waited for; one nobody declares is unknown as soon as the framework has started.
     */
    private boolean awaitCommand(String name) {
        long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (commands().contains(name)) {
                return true;
            }
            if (started() && !declared().contains(name)) {
                sleep(200); // a bundle File Install is still starting may declare it
                return commands().contains(name) || declared().contains(name) && awaitCommand(name);
            }
            sleep(20);
        }
        return false;
    }

    private int startLevelTarget() {
        String beginning = context.getProperty("org.osgi.framework.startlevel.beginning");
        return beginning == null ? 1 : Integer.parseInt(beginning.trim());
    }

    private boolean started() {
        String beginning = context.getProperty("org.osgi.framework.startlevel.beginning");
        int target = beginning == null ? 1 : Integer.parseInt(beginning.trim());
        return context.getBundle(0).getState() == Bundle.ACTIVE
                && context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel() >= target;
    }

    private Set<String> known() {
        Set<String> all = declared();
        all.add("serve");
        all.add("stop");
        all.addAll(commands());
        return all;
    }

    private Set<String> declared() {
        Set<String> names = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if ("hub".equals(d.properties.get("osgi.command.scope"))) {
                names.addAll(functions(d.properties.get("osgi.command.function")));
            }
        }
        return names;
    }

    private static Collection<String> functions(Object f) {
        if (f instanceof String[] a) {
            return List.of(a);
        }
        if (f instanceof Collection<?> c) {
            return c.stream().map(Object::toString).toList();
        }
        return f == null ? List.of() : List.of(f.toString());
    }

    /**
     * File Install applies the home's configuration files asynchronously, and DS then re-activates the components
     * they configure. A one-shot command must see that configuration: wait until every component whose PID has a
     * file is active with a configuration carrying that PID.
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
        Set<String> used = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            used.addAll(List.of(d.configurationPid));
        }
        pids.retainAll(used); // others (org.apache.felix.http, say) configure no component of this wait
        long deadline = System.currentTimeMillis() + 10_000;
        while (!pids.isEmpty() && !configured(pids) && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
    }

    private Path configDir() {
        String d = context.getProperty("felix.fileinstall.dir");
        return d == null ? null : Path.of(d);
    }

    private boolean configured(Set<String> pids) {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (String pid : d.configurationPid) {
                if (!pids.contains(pid)) {
                    continue;
                }
                boolean ready = scr.getComponentConfigurationDTOs(d).stream().anyMatch(c ->
                        (c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED)
                                && hasPid(c.properties.get("service.pid"), pid));
                if (!ready) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasPid(Object servicePid, String pid) {
        if (servicePid instanceof String s) {
            return s.equals(pid);
        }
        if (servicePid instanceof String[] a) {
            return List.of(a).contains(pid);
        }
        return servicePid instanceof Collection<?> c && c.contains(pid);
    }

    private Collection<String> commands() {
        TreeSet<String> names = new TreeSet<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(osgi.command.scope=hub)");
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    names.addAll(functions(r.getProperty("osgi.command.function")));
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

}
