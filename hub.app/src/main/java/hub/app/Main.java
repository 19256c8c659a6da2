package hub.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Starts the hub's run (the bundles and properties of {@code hub.jar}, the exported {@code hub.bndrun}) in Felix with
 * a framework storage that is kept between runs: the bundles are installed once, the first time a storage is used,
 * and later runs start from Felix's cache without reading, copying or resolving them again (bnd's embedded launcher
 * re-installs every bundle on every start). {@code bin/hub} wipes a storage whose {@code hub.jar} changed. Like bnd's
 * launcher, it calls the {@code Callable<Integer>} service registered with {@code main.thread=true} on this thread
 * and exits with its result after stopping the framework.
 *
 * <p>System properties: {@code hub.jar} (the exported jar), {@code hub.storage} (the framework storage).
 */
public final class Main {
    private static final String INSTALLED = "hub.installed";

    private Main() {
    }

    /**
     * @param args ignored
     * @throws Exception when the framework cannot start
     */
    public static void main(String[] args) throws Exception {
        timing("main");
        Path jar = Path.of(System.getProperty("hub.jar"));
        Path storage = Path.of(System.getProperty("hub.storage"));
        int status;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Properties launch = new Properties();
            try (InputStream in = zip.getInputStream(zip.getEntry("launcher.properties"))) {
                launch.load(in);
            }
            Map<String, String> config = new HashMap<>();
            for (String k : launch.stringPropertyNames()) {
                if (!k.startsWith("launch.")) {
                    config.put(k, launch.getProperty(k));
                }
            }
            for (String k : System.getProperties().stringPropertyNames()) {
                if (config.containsKey(k) || k.startsWith("org.osgi.") || k.startsWith("felix.")) {
                    config.put(k, System.getProperty(k)); // -D on the command line wins
                }
            }
            config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, "none");
            timing("launcher.properties read");
            Framework framework = new org.apache.felix.framework.FrameworkFactory().newFramework(config);
            timing("framework made");
            framework.init();
            timing("framework initialised");
            BundleContext context = framework.getBundleContext();
            if (!Files.exists(storage.resolve(INSTALLED))) {
                install(context, zip, launch);
                Files.writeString(storage.resolve(INSTALLED), jar.toString(), StandardCharsets.UTF_8);
            }
            status = run(framework, context);
        }
        System.exit(status);
    }

    /** Installs the run's bundles (a half-finished earlier install is removed first) with their start levels. */
    private static void install(BundleContext context, ZipFile zip, Properties launch) throws IOException, BundleException {
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() != 0) {
                b.uninstall();
            }
        }
        Map<String, Integer> levels = levels(launch.getProperty("launch.runbundles.attrs", ""));
        String[] paths = launch.getProperty("launch.bundles", "").split(",");
        for (String path : paths) {
            if (path.isBlank()) {
                continue;
            }
            ZipEntry e = zip.getEntry(path.trim());
            if (e == null) {
                throw new IOException("hub.jar has no " + path);
            }
            Bundle b;
            try (InputStream in = zip.getInputStream(e)) {
                b = context.installBundle("hub:" + path.trim(), in);
            }
            Integer level = levels.get(b.getSymbolicName());
            if (level != null) {
                b.adapt(BundleStartLevel.class).setStartLevel(level);
            }
            if ((b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) == 0) {
                b.start(Bundle.START_ACTIVATION_POLICY);
            }
        }
    }

    /** {@code bsn;version="...";startlevel=N,...} to start level by symbolic name. */
    static Map<String, Integer> levels(String attrs) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String clause : attrs.split(",(?=[A-Za-z])")) {
            String[] parts = clause.split(";");
            for (String p : parts) {
                if (p.trim().startsWith("startlevel=")) {
                    out.put(parts[0].trim(), Integer.parseInt(p.trim().substring("startlevel=".length()).replace("\\", "")));
                }
            }
        }
        return out;
    }

    /** Starts the framework, runs the main-thread service, stops the framework. */
    private static int run(Framework framework, BundleContext context) throws Exception {
        ServiceTracker<Callable<?>, Callable<?>> main = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + Callable.class.getName() + ")(main.thread=true))"), null);
        main.open();
        if ("2".equals(System.getenv("HUB_TIMING"))) {
            long[] last = {System.nanoTime()};
            context.addBundleListener((org.osgi.framework.SynchronousBundleListener) e -> {
                if (e.getType() == org.osgi.framework.BundleEvent.STARTED || e.getType() == org.osgi.framework.BundleEvent.RESOLVED) {
                    long now = System.nanoTime();
                    System.err.printf("%5d ms  +%4d  %s %s%n", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(),
                            (now - last[0]) / 1_000_000, e.getType() == 2 ? "started " : "resolved", e.getBundle().getSymbolicName());
                    last[0] = now;
                }
            });
        }
        framework.start();
        timing("framework start returned");
        Callable<?> call = null;
        while (call == null && (framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
            call = main.waitForService(1000);
        }
        int status = 1;
        if (call != null) {
            Object result = call.call();
            status = result instanceof Integer i ? i : 0;
        }
        main.close();
        framework.stop();
        framework.waitForStop(TimeUnit.SECONDS.toMillis(60));
        timing("framework stopped");
        return status;
    }

    /** {@code HUB_TIMING=1}: when each phase ended, in ms since the JVM started. */
    private static void timing(String phase) {
        if ("1".equals(System.getenv("HUB_TIMING"))) {
            System.err.println("hub timing: " + phase + " at "
                    + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        }
    }
}
