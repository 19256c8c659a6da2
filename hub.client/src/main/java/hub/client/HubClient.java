package hub.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bin/hub} runs: the command line's client. A command runs in the hub serving the home (a foreground
 * {@code hub serve}, or the background hub this client starts for the home the first time, as Gradle's daemon does),
 * reached through the home's control socket, so that start-up is paid once and models stay loaded between commands.
 * Exits 125 to ask the script to run the command in-process instead ({@code hub serve}).
 *
 * <p>Arguments: {@code --home DIR --launcher SCRIPT [--] COMMAND...}.
 */
public final class HubClient {
    /** Exit status asking the launcher script to run the command in a process of its own. */
    public static final int IN_PROCESS = 125;
    private static final long START_TIMEOUT_MS = 120_000;
    /** What a background hub started by this client is started from; one from elsewhere is replaced. */
    private static String fingerprint;

    private HubClient() {
    }

    /**
     * @param argv {@code --home DIR --launcher SCRIPT [--] COMMAND...}
     */
    public static void main(String[] argv) {
        int status;
        try {
            status = run(argv);
        } catch (IOException e) {
            System.err.println("hub: " + e.getMessage());
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    static int run(String[] argv) throws IOException {
        Path home = null;
        Path launcher = null;
        Path jar = null;
        int i = 0;
        while (i < argv.length) {
            if (argv[i].equals("--home") && i + 1 < argv.length) {
                home = Path.of(argv[i + 1]).toAbsolutePath().normalize();
                i += 2;
            } else if (argv[i].equals("--jar") && i + 1 < argv.length) {
                jar = Path.of(argv[i + 1]);
                i += 2;
            } else if (argv[i].equals("--launcher") && i + 1 < argv.length) {
                launcher = Path.of(argv[i + 1]);
                i += 2;
            } else if (argv[i].equals("--")) {
                i++;
                break;
            } else {
                break;
            }
        }
        if (home == null || launcher == null) {
            System.err.println("hub: the client needs --home DIR --launcher SCRIPT");
            return 2;
        }
        List<String> command = List.of(argv).subList(i, argv.length);
        fingerprint = fingerprint(jar);
        Path socket = Wire.socket(home);
        RemoteBackend hub = new RemoteBackend(socket, environment());
        String first = command.isEmpty() ? "" : command.get(0);
        switch (first) {
            case "serve" -> {
                return release(hub, socket);
            }
            case "stop" -> {
                if (RemoteBackend.ping(socket) == null) {
                    System.out.println("no hub is running for " + home);
                    return 0;
                }
                return hub.run(command, System.out, System.err);
            }
            default -> {
                // the first command for a home starts its background hub; later ones find it answering
            }
        }
        if (!ensureRunning(home, launcher, socket)) {
            return 1;
        }
        if (command.isEmpty()) {
            ByteArrayPrint version = new ByteArrayPrint();
            hub.run(List.of("version"), version.stream, version.stream);
            return Repl.run(hub, home, version.text().trim() + " - home " + home
                    + "\nType help for the commands, COMMAND --help for one, Tab to complete, exit to leave.");
        }
        return hub.run(command, System.out, System.err);
    }

    /** A background hub steps aside for {@code hub serve}; a serving one is left alone (the command says so). */
    private static int release(RemoteBackend hub, Path socket) throws IOException {
        String kind = RemoteBackend.ping(socket);
        if (kind == null) {
            return IN_PROCESS;
        }
        int status = hub.request(Wire.RELEASE, List.of(), System.out, System.err, null);
        if (status != 0) {
            return status;
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (RemoteBackend.ping(socket) != null && System.currentTimeMillis() < deadline) {
            sleep(50);
        }
        return IN_PROCESS;
    }

    /**
     * Makes sure a hub answers on the home's socket, starting the background hub when none does. A lock in the home
     * makes concurrent first commands start one hub; a socket nobody answers on (a killed hub) is replaced.
     */
    static boolean ensureRunning(Path home, Path launcher, Path socket) throws IOException {
        if (current(socket)) {
            return true;
        }
        Path run = home.resolve("run");
        Files.createDirectories(run);
        Path logs = home.resolve("logs");
        Files.createDirectories(logs);
        try (FileChannel lockFile = FileChannel.open(run.resolve("daemon.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (current(socket)) {
                return true; // another command started it while this one waited for the lock
            }
            String answer = RemoteBackend.ping(socket);
            if (answer != null) {
                // a background hub of another build or environment (hub.jar rebuilt, HF_TOKEN changed): replace it
                new RemoteBackend(socket, environment()).request(Wire.RELEASE, List.of(), System.out, System.err, null);
                long gone = System.currentTimeMillis() + 60_000;
                while (RemoteBackend.ping(socket) != null && System.currentTimeMillis() < gone) {
                    sleep(50);
                }
            }
            List<String> cmd = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
                cmd.add("setsid"); // its own session: closing the terminal does not hang it up
            }
            cmd.add(launcher.toString());
            cmd.add("--home");
            cmd.add(home.toString());
            cmd.add("__daemon");
            Path out = logs.resolve("daemon.out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
            pb.environment().put("HUB_DAEMON", "true");
            if (fingerprint != null) {
                pb.environment().put("HUB_FINGERPRINT", fingerprint);
            }
            long before = Files.exists(out) ? Files.size(out) : 0;
            Process p = pb.start();
            if (System.getenv("HUB_ERR_TTY") != null && System.getenv("HUB_ERR_TTY").equals("1")) {
                System.err.println("hub: starting a background hub for " + home + " (hub stop ends it)");
            }
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (System.currentTimeMillis() < deadline) {
                if (RemoteBackend.ping(socket) != null) {
                    return true;
                }
                if (!p.isAlive()) {
                    System.err.println("hub: the background hub for " + home + " exited with " + p.exitValue()
                            + tail(out, before));
                    return false;
                }
                sleep(20);
            }
            System.err.println("hub: the background hub for " + home + " did not answer within "
                    + START_TIMEOUT_MS / 1000 + " s (see " + out + ")");
            return false;
        }
    }

    /**
     * @return whether a hub answers that can run this command: one started from this build and environment, or a
     *         {@code hub serve} (which the user started on purpose and which serves whatever the environment)
     */
    private static boolean current(Path socket) {
        String answer = RemoteBackend.ping(socket);
        if (answer == null) {
            return false;
        }
        String[] kindAndPrint = answer.split(" ", 2);
        String mine = fingerprint;
        return !kindAndPrint[0].equals("daemon") || mine == null || kindAndPrint.length < 2
                || kindAndPrint[1].equals(mine);
    }

    /**
     * What the background hub is started from: this build (the size and time of hub.jar) and the environment the
     * hub reads (Hugging Face endpoint and token, the CI profile, JVM options, Java), as a short hash. A command
     * from another build or environment replaces the running one: a rebuilt hub.jar or a changed {@code HF_TOKEN}
     * is never answered by a stale hub.
     */
    static String fingerprint(Path jar) {
        // CRC-32, not SHA-256: it tells builds and environments apart, and costs nothing at start (no providers)
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        StringBuilder b = new StringBuilder();
        try {
            if (jar != null && Files.exists(jar)) {
                b.append(Files.size(jar)).append('-').append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
        } catch (IOException e) {
            b.append("?\n");
        }
        for (String key : List.of("HF_TOKEN", "HF_ENDPOINT", "CI_MINIMAL_MODELS", "HUB_JAVA_OPTS", "JAVA_HOME")) {
            String v = System.getenv(key);
            b.append(key).append('=').append(v == null ? "" : v).append('\n');
        }
        crc.update(b.toString().getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    private static String tail(Path out, long from) {
        try {
            byte[] all = Files.readAllBytes(out);
            String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.UTF_8).strip();
            String[] lines = text.split("\\R");
            return lines.length == 0 || text.isEmpty() ? "" : ": " + lines[lines.length - 1];
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * What the hub needs to know of this client, read from this process: where relative paths start, offline
     * ({@code HUB_OFFLINE}), stack traces ({@code HUB_TRACE}), the terminal ({@code HUB_OUT_TTY}, {@code HUB_ERR_TTY},
     * {@code COLUMNS}, set by {@code bin/hub}).
     *
     * @return the request environment
     */
    public static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Wire.CWD, Path.of("").toAbsolutePath().toString());
        String offline = System.getenv("HUB_OFFLINE");
        env.put(Wire.OFFLINE, String.valueOf(offline != null && (offline.equals("1")
                || offline.equalsIgnoreCase("true") || offline.equalsIgnoreCase("yes"))));
        env.put(Wire.TRACE, String.valueOf(System.getenv("HUB_TRACE") != null));
        env.put(Wire.OUT_TTY, String.valueOf("1".equals(System.getenv("HUB_OUT_TTY"))));
        env.put(Wire.ERR_TTY, String.valueOf("1".equals(System.getenv("HUB_ERR_TTY"))));
        String columns = System.getenv("COLUMNS");
        env.put(Wire.COLUMNS, columns == null || columns.isBlank() ? "80" : columns.trim());
        return env;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Captures a command's output as text. */
    private static final class ByteArrayPrint {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
