package hub.shell.internal.commands;

import hub.api.spi.ModelLoader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The bundle-cycle leak benchmark ({@code hub bench cycles}): a loader bundle uninstalled and installed again N times
 * in this hub, with a real inference after each, beside a control in the same process: the same model unloaded and
 * loaded again N times with no bundle cycle. Each phase reports the process's resident memory and the JVM's metaspace
 * (after a GC) at its start and end; what the bundle cycles grow beyond the control is what each cycle keeps.
 */
public final class BundleCycles {
    /**
     * Memory at one point.
     *
     * @param rssBytes the process's resident set
     * @param metaspaceBytes the JVM's metaspace in use
     * @param classesLoaded classes loaded now
     */
    public record Memory(long rssBytes, long metaspaceBytes, int classesLoaded) {
        /** @return this process's figures now, after two full GCs */
        public static Memory now() {
            for (int i = 0; i < 2; i++) {
                System.gc();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long meta = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getName().equals("Metaspace")) {
                    meta = pool.getUsage().getUsed();
                }
            }
            return new Memory(rss(), meta, ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        }

        private static long rss() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not Linux: no figure
            }
            return -1;
        }
    }

    private BundleCycles() {
    }

    /**
     * Uninstalls the bundle, refreshes, installs the same bytes at the same location and start level, starts it, and
     * waits until its loader is registered again.
     *
     * @param context a bundle context of the hub
     * @param symbolicName the loader bundle
     * @param family the family its loader registers
     * @return the new bundle
     * @throws Exception when a step fails
     */
    public static Bundle cycle(BundleContext context, String symbolicName, String family) throws Exception {
        Bundle old = find(context, symbolicName);
        String location = old.getLocation();
        int level = old.adapt(BundleStartLevel.class).getStartLevel();
        byte[] bytes = bytes(location);
        old.uninstall();
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(old), e -> refreshed.countDown());
        refreshed.await(30, TimeUnit.SECONDS);
        Bundle b = context.installBundle(location, new java.io.ByteArrayInputStream(bytes));
        b.adapt(BundleStartLevel.class).setStartLevel(level);
        b.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            ServiceReference<?>[] refs = context.getAllServiceReferences(ModelLoader.class.getName(),
                    "(hub.model.family=" + family + ")");
            if (refs != null && java.util.Arrays.stream(refs).anyMatch(r -> r.getBundle().getBundleId() == b.getBundleId())) {
                return b;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(symbolicName + " did not register its " + family + " loader within 30 s");
    }

    static Bundle find(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalArgumentException("no bundle " + symbolicName + " in this hub");
    }

    /** A bundle's bytes: its jar inside hub.jar ({@code hub:PATH} locations) or its file ({@code file:}). */
    private static byte[] bytes(String location) throws IOException {
        if (location.startsWith("hub:")) {
            try (ZipFile zip = new ZipFile(System.getProperty("hub.jar"));
                    InputStream in = zip.getInputStream(zip.getEntry(location.substring(4)))) {
                return in.readAllBytes();
            }
        }
        if (location.startsWith("file:")) {
            return Files.readAllBytes(Path.of(java.net.URI.create(location)));
        }
        throw new IllegalArgumentException("cannot read the bundle at " + location);
    }

    /**
     * Runs {@code n} steps, measuring memory before the first (after {@code warmUp} unmeasured steps) and after the
     * last.
     *
     * @param step one cycle
     * @param warmUp unmeasured steps first
     * @param n measured steps
     * @return memory before and after
     * @throws Exception the first failure
     */
    public static Memory[] measure(Callable<?> step, int warmUp, int n) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            step.call();
        }
        Memory before = Memory.now();
        for (int i = 0; i < n; i++) {
            step.call();
        }
        return new Memory[] {before, Memory.now()};
    }

    static String line(String what, Memory[] m) {
        return String.format(Locale.ROOT, "%-28s RSS %6.1f -> %6.1f MB (%+6.1f)   metaspace %5.1f -> %5.1f MB (%+5.2f)"
                + "   classes %d -> %d", what, mb(m[0].rssBytes()), mb(m[1].rssBytes()), mb(m[1].rssBytes() - m[0].rssBytes()),
                mb(m[0].metaspaceBytes()), mb(m[1].metaspaceBytes()), mb(m[1].metaspaceBytes() - m[0].metaspaceBytes()),
                m[0].classesLoaded(), m[1].classesLoaded());
    }

    static double mb(long bytes) {
        return bytes / 1e6;
    }

    static List<String> report(Memory[] cycles, Memory[] control, int n) {
        List<String> out = new ArrayList<>();
        out.add(line(n + " model unload + reload", control));
        out.add(line(n + " bundle uninstall + install", cycles));
        double rss = mb((cycles[1].rssBytes() - cycles[0].rssBytes()) - (control[1].rssBytes() - control[0].rssBytes()));
        double meta = mb((cycles[1].metaspaceBytes() - cycles[0].metaspaceBytes())
                - (control[1].metaspaceBytes() - control[0].metaspaceBytes()));
        out.add(target("bundle cycles' RSS growth beyond the control", rss, "MB", 10));
        out.add(target("bundle cycles' metaspace growth beyond the control", meta, "MB", 0.5));
        return out;
    }

    /** As the benchmarks of the hub print a target: {@code TARGET what value unit (target <= t unit: met)}. */
    static String target(String what, double value, String unit, double target) {
        return String.format(Locale.ROOT, "TARGET %-52s %8.2f %s   (target <= %s %s: %s)", what, value, unit,
                target, unit, value <= target ? "met" : "NOT met");
    }
}
