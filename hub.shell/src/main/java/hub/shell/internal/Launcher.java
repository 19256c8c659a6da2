package hub.shell.internal;

import hub.api.ModelHub;
import hub.client.Backend;
import hub.client.HubClient;
import hub.client.Wire;
import hub.client.Repl;
import hub.shell.internal.commands.Session;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.Designate;

/**
 * What the process was started for, on the launcher's main thread: one command ({@value #ARGS}, from
 * {@code bin/hub --no-daemon COMMAND}), serving the home ({@code hub serve}, and the background hub the client
 * starts), or the interactive shell in-process ({@value #INTERACTIVE}). It registers a {@code Callable<Integer>} with
 * {@code main.thread=true}, which the bnd launcher calls and whose result it exits with after stopping the framework.
 */
@Component(immediate = true, configurationPid = "hub.daemon", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DaemonConfig.class)
public class Launcher {
    /** Framework property with the Base64-encoded, NUL-separated command line. */
    public static final String ARGS = "hub.cli.args";
    /** Framework property asking for the interactive shell in this process. */
    public static final String INTERACTIVE = "hub.shell.interactive";
    /** Felix HTTP's start level in the run descriptor: above what commands reach, so only serving starts it. */
    static final int HTTP_START_LEVEL = 101;
    private static final System.Logger LOG = System.getLogger(Launcher.class.getName());
    private static final long STARTUP_TIMEOUT_MS = 60_000;

    private final BundleContext context;
    // dynamic: a configuration change re-activates the services behind the commands while this process keeps serving
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HubCli commands;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelHub runtime;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile hub.api.fleet.Fleet fleet;
    private final ConfigurationAdmin configurations;
    private final ServiceComponentRuntime scr;
    private final Path home;
    private volatile DaemonConfig config;
    private ServiceRegistration<?> registration;

    /**
     * @param context bundle context
     * @param configurations Configuration Admin, for the HTTP server's address
     * @param scr the component runtime, to wait until the hub's components and configuration are in place
     * @param config the background hub's settings
     */
    @Activate
    public Launcher(BundleContext context, @Reference ConfigurationAdmin configurations, @Reference ServiceComponentRuntime scr, DaemonConfig config) {
        this.context = context;
        this.configurations = configurations;
        this.scr = scr;
        this.config = config;
        this.home = home(context.getProperty("hub.home"), System.getenv("HUB_HOME"));
        timing("launcher active");
        String encoded = context.getProperty(ARGS);
        boolean interactive = Boolean.parseBoolean(context.getProperty(INTERACTIVE));
        if ((encoded == null || encoded.isBlank()) && !interactive) {
            return; // embedded in someone's framework: the Gogo commands and services are all there is
        }
        // Gogo (when present) replaces System.out/err with per-thread streams: a command prints to the process's own
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        // a class, not a lambda: the launcher checks that call() is declared to return Integer
        Callable<Integer> main = new Callable<Integer>() {
            @Override
            public Integer call() {
                try {
                    return interactive ? shell(out, err) : oneShot(decode(encoded), out, err);
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

    @Modified
    void modified(DaemonConfig changed) {
        this.config = changed;
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

    /** @return the commands, waiting (up to 30 s) while their services are being re-activated */
    private HubCli cli() {
        long deadline = System.currentTimeMillis() + 30_000;
        HubCli c;
        while ((c = commands) == null && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        if (c == null) {
            throw new IllegalStateException("the hub's services did not come up within 30 s (see HOME/logs/hub.log)");
        }
        return c;
    }

    private boolean leasesOpen() {
        ModelHub h = runtime;
        return h != null && h.loaded().stream().anyMatch(i -> i.openLeases() > 0);
    }

    static Path home(String property, String env) {
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".vision-hub");
    }

    static List<String> decode(String encoded) {
        String raw = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '\0') {
                args.add(raw.substring(start, i));
                start = i + 1;
            }
        }
        if (start < raw.length()) {
            args.add(raw.substring(start));
        }
        return args;
    }

    /** This process's session: the same facts a client sends (directory, offline, terminal, trace), read here. */
    private Session session(PrintStream out, PrintStream err, Session.Host host) {
        return Sessions.of(new Wire.Request(Wire.RUN, HubClient.environment(), List.of()), out, err, host);
    }

    /** A command in this process (bin/hub --no-daemon, or a command nobody serves). */
    int oneShot(List<String> args, PrintStream out, PrintStream err) {
        awaitReady();
        try {
            return cli().execute(args, session(out, err, processHost()));
        } finally {
            timing("command done");
        }
    }

    /** The interactive shell in this process (bin/hub --no-daemon with no command). */
    int shell(PrintStream out, PrintStream err) {
        awaitReady();
        Session.Host host = processHost();
        Backend local = new Backend() {
            private volatile Session current;

            @Override
            public int run(List<String> args, PrintStream o, PrintStream e) {
                Session s = session(o, e, host);
                current = s;
                try {
                    return cli().execute(args, s);
                } finally {
                    current = null;
                }
            }

            @Override
            public List<String[]> complete(List<String> words) {
                return cli().complete(words);
            }

            @Override
            public void cancel() {
                Session s = current;
                if (s != null) {
                    s.cancel();
                }
            }
        };
        try {
            java.io.ByteArrayOutputStream v = new java.io.ByteArrayOutputStream();
            PrintStream vs = new PrintStream(v, true, StandardCharsets.UTF_8);
            cli().execute(List.of("version"), session(vs, vs, host));
            return Repl.run(local, home, v.toString(StandardCharsets.UTF_8).trim() + " - home " + home
                    + " (in this process)\nType help for the commands, COMMAND --help for one, Tab to complete, exit to leave.");
        } catch (IOException e) {
            err.println("hub: no terminal for the shell: " + e.getMessage());
            return 1;
        }
    }

    private Session.Host processHost() {
        Launcher self = this;
        return new Session.Host() {
            @Override
            public String kind() {
                return "process";
            }

            @Override
            public int stop(PrintStream out) {
                out.println("no hub is running for " + home);
                return 0;
            }

            @Override
            public long idleSeconds() {
                return 0;
            }

            @Override
            public int serve(Session.Serve options, Session session) {
                return self.serve(options, session);
            }
        };
    }

    /**
     * Serves the home: the HTTP server when asked, then the control socket until {@code hub stop} (or, for the
     * background hub, an idle time or {@code hub serve} taking over); open leases drain (up to 30 s) before the
     * framework stops.
     */
    int serve(Session.Serve options, Session session) {
        PrintStream err = session.err();
        Path socket = hub.client.Wire.socket(home);
        String running = hub.client.RemoteBackend.ping(socket);
        if (running != null) {
            err.println("hub: a hub is already serving " + home + " (" + running.split(" ")[0] + "); hub stop ends it");
            return 1;
        }
        String endpoint = null;
        AutoCloseable membership = null;
        if (!options.noHttp()) {
            // a serving hub is in its fleet's hubs table (one alone, on the home's files, too); one that cannot reach
            // the shared state it is configured for does not serve: checked before the port opens, so nothing
            // half-started answers anyone
            hub.api.fleet.Fleet f = fleet;
            if (f == null) {
                err.println("hub: cannot serve: the hub's runtime is not available (is the hub.state store there? see "
                        + home.resolve("logs") + ")");
                return 1;
            }
            try {
                f.members();
                endpoint = startHttp(options, err);
                if (endpoint == null) {
                    return 1; // startHttp said why, in one line
                }
                // the address other hubs and people reach this one at: the endpoint, unless HUB_ADDRESS names
                // another (a hub bound to 0.0.0.0 in a container announces its pod's address)
                String advertised = System.getenv("HUB_ADDRESS");
                String address = advertised != null && !advertised.isBlank() ? advertised.trim() : endpoint;
                membership = f.join(address.endsWith("/") ? address.substring(0, address.length() - 1) : address);
            } catch (hub.api.HubException e) {
                err.println("hub: cannot serve: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
                return e.exitCode();
            }
        }
        try (AutoCloseable leave = membership) {
            return serveUntilStopped(options, session, endpoint, socket);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "leaving the fleet: {0}", e.getMessage());
            return 0;
        }
    }

    private int serveUntilStopped(Session.Serve options, Session session, String endpoint, Path socket) {
        PrintStream out = session.out();
        PrintStream err = session.err();
        CountDownLatch stop = new CountDownLatch(1);
        String kind = options.daemon() ? "daemon" : "serve";
        Session.Host host = new Session.Host() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public int stop(PrintStream o) {
                o.println("stopping the hub serving " + home);
                stop.countDown();
                return 0;
            }

            @Override
            public long idleSeconds() {
                return options.daemon() ? (long) (config.idleMinutes() * 60) : 0;
            }

            @Override
            public int serve(Session.Serve ignored, Session s) {
                s.err().println("hub: a hub is already serving " + home + " (" + kind + "); hub stop ends it");
                return 1;
            }
        };
        ControlServer server;
        try {
            server = new ControlServer(socket, host, new ControlServer.Handler() {
                @Override
                public int run(List<String> args, Session s) {
                    return cli().execute(args, s);
                }

                @Override
                public List<String[]> complete(List<String> words) {
                    return cli().complete(words);
                }

                @Override
                public int release(PrintStream e) {
                    if (!options.daemon()) {
                        e.println("hub: a hub is already serving " + home + " (hub serve); hub stop ends it");
                        return 1;
                    }
                    LOG.log(Level.INFO, "the background hub steps aside for hub serve");
                    stop.countDown();
                    return 0;
                }
            });
        } catch (IOException e) {
            err.println("hub: cannot open the control socket " + socket + ": " + e.getMessage());
            return 1;
        }
        try (server) {
            out.println((options.daemon() ? "background hub serving " : "serving ") + home + " (control socket "
                    + socket + "); hub stop ends it");
            if (endpoint != null) {
                out.println("HTTP API and web page on " + endpoint);
            }
            out.flush();
            while (!stop.await(1, TimeUnit.SECONDS)) {
                if (!server.ownsSocket()) {
                    LOG.log(Level.WARNING, "the control socket {0} was removed: stopping", socket);
                    break;
                }
                long idle = host.idleSeconds();
                if (idle > 0 && server.idleNanos() > TimeUnit.SECONDS.toNanos(idle)
                        && !leasesOpen()) {
                    LOG.log(Level.INFO, "the background hub was idle for {0} s: stopping", idle);
                    break;
                }
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (leasesOpen() && System.currentTimeMillis() < deadline) {
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
     * start level (above what commands reach), and waits for its endpoint.
     */
    private String startHttp(Session.Serve options, PrintStream err) {
        try {
            Configuration c = configurations.getConfiguration("org.apache.felix.http", "?");
            Dictionary<String, Object> configured = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
            boolean changed = false;
            if (options.port() != null) {
                configured.put("org.osgi.service.http.port", options.port());
                changed = true;
            }
            if (options.host() != null) {
                configured.put("org.apache.felix.http.host", options.host());
                changed = true;
            }
            if (changed) {
                c.update(configured);
            }
            String host = setting(configured, "org.apache.felix.http.host", "127.0.0.1");
            int port = Integer.parseInt(setting(configured, "org.osgi.service.http.port", "8080"));
            if (port > 0) {
                // a busy port is one clear line and a failed serve, not Jetty's stack traces and a hub without HTTP
                try (ServerSocket probe = new ServerSocket()) {
                    probe.setReuseAddress(true);
                    probe.bind(new InetSocketAddress(host, port));
                } catch (IOException e) {
                    err.println("hub: cannot serve HTTP on " + host + ":" + port + ": " + e.getMessage()
                            + " (another server? choose one with --port)");
                    return null;
                }
            }
            FrameworkStartLevel startLevel = context.getBundle(0).adapt(FrameworkStartLevel.class);
            CountDownLatch reached = new CountDownLatch(1);
            startLevel.setStartLevel(Math.max(startLevel.getStartLevel(), HTTP_START_LEVEL), e -> reached.countDown());
            reached.await(30, TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline) {
                var refs = context.getServiceReferences("org.osgi.service.servlet.runtime.HttpServiceRuntime", null);
                if (refs != null) {
                    for (var r : refs) {
                        Object e = r.getProperty("osgi.http.endpoint");
                        String first = e instanceof String[] a && a.length > 0 ? a[0]
                                : e instanceof Collection<?> col && !col.isEmpty() ? String.valueOf(col.iterator().next())
                                : e == null ? null : e.toString();
                        if (first != null && apiAnswers(first, deadline)) {
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

    /**
     * Whether the hub's API is registered with the server yet (the server's endpoint comes first, the whiteboard
     * servlets a moment later): the endpoint is announced only when a request to it reaches the hub.
     */
    private static boolean apiAnswers(String endpoint, long deadline) {
        java.net.URI health = java.net.URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/")
                .resolve("api/v1/health");
        while (System.currentTimeMillis() < deadline) {
            try {
                java.net.HttpURLConnection c = (java.net.HttpURLConnection) health.toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(5000);
                int status = c.getResponseCode();
                c.disconnect();
                if (status != 404) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(50);
        }
        return false;
    }

    private String setting(Dictionary<String, Object> configured, String key, String fallback) {
        Object v = configured == null ? null : configured.get(key);
        if (v == null) {
            v = context.getProperty(key);
        }
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    /** The framework has started, the hub's components are active and the home's configuration is applied. */
    private void awaitReady() {
        timing("main thread");
        awaitFrameworkStarted();
        timing("framework started");
        awaitHubComponents();
        timing("components active");
        awaitConfiguration();
        timing("configuration applied");
    }

    /** {@code HUB_TIMING=1}: when each start-up phase ended, in ms since the JVM started (for the start-up benchmark). */
    static void timing(String phase) {
        if ("1".equals(System.getenv("HUB_TIMING"))) {
            System.err.println("hub timing: " + phase + " at "
                    + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        }
    }

    /** Waits until the framework has reached its beginning start level: every bundle of the run has started. */
    private void awaitFrameworkStarted() {
        long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
        Bundle fw = context.getBundle(0);
        FrameworkStartLevel levels = fw.adapt(FrameworkStartLevel.class);
        while ((fw.getState() != Bundle.ACTIVE || levels.getStartLevel() < startLevelTarget())
                && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
    }

    private int startLevelTarget() {
        String beginning = context.getProperty("org.osgi.framework.startlevel.beginning");
        return beginning == null ? 1 : Integer.parseInt(beginning.trim());
    }

    /**
     * SCR activates components on its own thread once their bundle has started: wait (up to 10 s) until every
     * component of the hub's own bundles is satisfied or active, and the plug-ins' bundles are known to SCR, so that no
     * loader is missing from a command.
     */
    private void awaitHubComponents() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (hubComponentsSettled()) {
                return;
            }
            sleep(10);
        }
    }

    private boolean hubComponentsSettled() {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !(b.getSymbolicName().startsWith("hub.") || plugin(b))
                    || b.getHeaders().get("Service-Component") == null) {
                continue;
            }
            boolean plugin = plugin(b);
            if (b.getState() != Bundle.ACTIVE) {
                BundleStartLevel level = b.adapt(BundleStartLevel.class);
                // a plug-in that cannot resolve stays so: hub plugin list says why, commands do not wait for it
                if (!plugin && level != null && level.isPersistentlyStarted() && level.getStartLevel() <= startLevelTarget()) {
                    return false; // due to start, not started yet
                }
                continue;
            }
            var descriptions = scr.getComponentDescriptionDTOs(b);
            if (descriptions.isEmpty()) {
                return false;
            }
            if (plugin) {
                continue; // its components are known to SCR; one waiting for a missing service is the plug-in's problem
            }
            for (ComponentDescriptionDTO d : descriptions) {
                if (scr.isComponentEnabled(d) && scr.getComponentConfigurationDTOs(d).stream().noneMatch(c ->
                        c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED)) {
                    if (d.configurationPolicy.equals("require")) {
                        continue;
                    }
                    return false;
                }
            }
        }
        return true;
    }

    /** A bundle File Install installed from the home's plug-ins folder (its location is the jar's file URI). */
    private boolean plugin(Bundle b) {
        String dirs = context.getProperty("felix.fileinstall.dir");
        if (dirs == null || !b.getLocation().startsWith("file:")) {
            return false;
        }
        for (String d : dirs.split(",")) {
            if (!d.isBlank() && b.getLocation().startsWith(Path.of(d.trim()).toUri().normalize().toString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * File Install applies the home's configuration files asynchronously, and DS then re-activates the components
     * they configure. A command must see that configuration: wait until every component whose PID has a file is
     * active with a configuration carrying that PID.
     */
    private void awaitConfiguration() {
        // the first of File Install's folders is the configuration's (the second, HOME/plugins, holds plug-ins)
        Path dir = Path.of(String.valueOf(context.getProperty("felix.fileinstall.dir")).split(",")[0].trim());
        if (!Files.isDirectory(dir)) {
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
            sleep(10);
        }
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

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
