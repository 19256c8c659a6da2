package hub.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * Pax Exam configuration: exactly the bundles and start levels of {@code hub.app/hub.bndrun} (as resolved and
 * committed), taken from the jars Maven copied into {@code target/itest-bundles}, in a fresh hub home.
 */
final class HubOptions {
    private static final Pattern RUNBUNDLE = Pattern.compile("^\\s*([\\w.-]+);version='\\[([^,]*),[^']*'(?:;startlevel=(\\d+))?");

    private HubOptions() {
    }

    /** A bundle of the run: its symbolic name, jar and start level. */
    record RunBundle(String symbolicName, Path jar, int startLevel) {
    }

    static List<RunBundle> runBundles() {
        Path bndrun = Path.of(System.getProperty("hub.itest.bndrun"));
        Map<String, Path> jars = jarsBySymbolicName(Path.of(System.getProperty("hub.itest.bundles")));
        List<RunBundle> out = new ArrayList<>();
        try {
            boolean inRunbundles = false;
            for (String line : Files.readAllLines(bndrun)) {
                if (line.startsWith("-runbundles:")) {
                    inRunbundles = true;
                    continue;
                }
                if (!inRunbundles) {
                    continue;
                }
                Matcher m = RUNBUNDLE.matcher(line);
                if (m.find()) {
                    // the resolved version: two versions of one bundle may lie in the folder (SLF4J 1.7 and 2)
                    Path jar = jars.get(m.group(1) + ";" + m.group(2));
                    if (jar == null) {
                        throw new IllegalStateException("no jar for run bundle " + m.group(1) + " " + m.group(2) + " in "
                                + jars.keySet());
                    }
                    out.add(new RunBundle(m.group(1), jar, m.group(3) == null ? 50 : Integer.parseInt(m.group(3))));
                }
                if (!line.endsWith("\\")) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(bndrun + " has no -runbundles; build hub.app first");
        }
        return out;
    }

    private static Map<String, Path> jarsBySymbolicName(Path dir) {
        Map<String, Path> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".jar")).toList()) {
                try (JarFile jf = new JarFile(p.toFile())) {
                    var mf = jf.getManifest();
                    String bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
                    String version = mf == null ? null : mf.getMainAttributes().getValue("Bundle-Version");
                    if (bsn != null) {
                        var parsed = org.osgi.framework.Version.parseVersion(version == null ? "0" : version.trim());
                        String v = parsed.getMajor() + "." + parsed.getMinor() + "." + parsed.getMicro();
                        m.put(bsn.split(";")[0].trim() + ";" + v, p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static Option[] hub(Path home) {
        List<Option> opts = new ArrayList<>();
        opts.add(cleanCaches());
        opts.add(junitBundles());
        opts.add(systemProperty("hub.home").value(home.toString()));
        opts.add(systemProperty("ai.djl.offline").value("true"));
        opts.add(systemProperty("hub.test.models").value(System.getProperty("hub.test.models", "../../shared/models")));
        opts.add(systemProperty("gosh.args").value("--nointeractive"));
        opts.add(systemProperty("felix.fileinstall.dir").value(home.resolve("config").toString()));
        opts.add(systemProperty("felix.fileinstall.enableConfigSave").value("false"));
        // Felix HTTP starts with the bundles here: loopback, on a port of its own
        opts.add(systemProperty("org.apache.felix.http.host").value("127.0.0.1"));
        opts.add(systemProperty("org.osgi.service.http.port").value(String.valueOf(freePort())));
        for (RunBundle b : runBundles()) {
            if (b.symbolicName().equals("org.apache.felix.gogo.shell")) {
                continue; // the console would read the test JVM's stdin; gogo.runtime gives us the command processor
            }
            // one start level for all: DS wires the services whatever the order (the native container ignores framework start levels)
            opts.add(bundle(b.jar().toUri().toString()));
        }
        return options(opts.toArray(Option[]::new));
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path freshHome(String name) {
        try {
            Path work = Path.of(System.getProperty("hub.itest.work", "target/itest-work"));
            Files.createDirectories(work);
            return Files.createTempDirectory(work, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a Gogo command in the container and returns its result, or what it printed when it returns nothing. */
    static String run(org.apache.felix.service.command.CommandProcessor commands, String command) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream ps = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)) {
            var s = commands.createSession(new java.io.ByteArrayInputStream(new byte[0]), ps, ps);
            try {
                Object result = s.execute(command);
                return result == null ? out.toString(java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(result);
            } finally {
                s.close();
            }
        }
    }

    /** Waits up to 20 s for a condition that services reach asynchronously (DS, Config Admin, events). */
    static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
