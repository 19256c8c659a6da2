package hub.shell.internal.commands;

import hub.api.AccessTier;
import hub.api.HubException;
import hub.api.access.ApiKey;
import hub.api.access.CreatedKey;
import hub.api.inference.Task;
import hub.api.inference.TaskOptions;
import hub.api.task.ImageInput;
import hub.core.health.HealthReport;
import hub.core.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.osgi.framework.Version;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Keys, health, benchmarks, serving, versions and completion. */
final class AdminCommands {
    private AdminCommands() {
    }

    @Command(name = "key", description = "API keys for the HTTP API (the key is printed once; the home keeps its hash).",
            subcommands = {KeyCreate.class, KeyList.class, KeyRevoke.class})
    static final class Key extends Group {
    }

    @Command(name = "create", description = "Create a key for a tier (and the admin role).")
    static final class KeyCreate extends JsonCmd {
        @Option(names = {"-t", "--tier"}, paramLabel = "TIER", required = true, completionCandidates = Candidates.Tiers.class,
                description = "${COMPLETION-CANDIDATES}")
        String tier;
        @Option(names = "--admin", description = "the admin role: download, delete, register, switch, unload")
        boolean admin;
        @Option(names = {"-l", "--label"}, paramLabel = "LABEL", defaultValue = "", description = "what the key is for")
        String label;

        KeyCreate(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            CreatedKey k = s.keys().get().create(AccessTier.parse(tier), admin, label);
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("id", k.key().id());
                doc.put("tier", k.key().tier().id());
                doc.put("admin", k.key().admin());
                doc.put("key", k.secret());
                return Json.write(doc);
            }
            return k.secret() + "\n(key " + k.key().id() + ", tier " + k.key().tier().id()
                    + (k.key().admin() ? ", admin" : "") + "; shown only now: the hub keeps only its hash)";
        }
    }

    @Command(name = "list", aliases = "ls", description = "The keys: id, tier, role, creation, label.")
    static final class KeyList extends JsonCmd {

        KeyList(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<ApiKey> all = s.keys().get().list();
            if (json) {
                return Json.write(all.stream().map(k -> Map.of("id", k.id(), "tier", k.tier().id(), "admin",
                        k.admin(), "label", k.label(), "created", k.created().toString())).toList());
            }
            List<List<String>> rows = new ArrayList<>();
            for (ApiKey k : all) {
                rows.add(List.of(k.id(), k.tier().id(), k.admin() ? "admin" : "-", k.created().toString(), k.label()));
            }
            return rows.isEmpty() ? "no API keys (hub key create --tier standard)"
                    : Format.table(List.of("ID", "TIER", "ROLE", "CREATED", "LABEL"), rows);
        }
    }

    @Command(name = "revoke", description = "Revoke a key.")
    static final class KeyRevoke extends Cmd {
        @Parameters(paramLabel = "ID", description = "the key's id (hub key list)")
        String id;

        KeyRevoke(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            if (!s.keys().get().revoke(id)) {
                throw new IllegalArgumentException("no API key '" + id + "' (hub key list shows them)");
            }
            return "revoked " + id;
        }
    }

    @Command(name = "health", description = "Run the health checks (the hub's, each embedding service's, any bundle's); exit 1 when one is not OK.")
    static final class Health extends JsonCmd {
        @Option(names = {"-t", "--tags"}, paramLabel = "TAG,...", split = ",", description = "only checks with one of these tags")
        List<String> tags;

        Health(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            HealthCheckExecutor executor = s.health().get();
            if (executor == null) {
                throw new HubException("Felix Health Checks are not running in this hub");
            }
            HealthReport report = HealthReport.run(s.context(), executor, tags == null ? List.of() : tags);
            List<List<String>> rows = new ArrayList<>();
            for (HealthReport.Check c : report.checks()) {
                rows.add(List.of(c.name(), c.status(), c.message()));
            }
            String out = json ? Json.write(report) : rows.isEmpty() ? "no health checks registered"
                    : Format.table(List.of("CHECK", "STATUS", "MESSAGE"), rows);
            if (!report.healthy() && !json) {
                throw new HubException("not healthy:\n" + out);
            }
            return out;
        }
    }

    @Command(name = "fleet", description = "The hubs sharing this hub's state (hub serve processes on one database, or"
            + " on this home): id, address, live or gone, last heartbeat, loaded models.")
    static final class FleetCmd extends JsonCmd {
        FleetCmd(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            hub.api.fleet.Fleet fleet = s.fleet().get();
            List<hub.api.fleet.HubMember> members = fleet.members();
            if (json) {
                return Json.write(java.util.Map.of("self", fleet.self(), "store", fleet.store(), "hubs", members));
            }
            java.time.Instant now = java.time.Instant.now();
            List<List<String>> rows = new ArrayList<>();
            for (hub.api.fleet.HubMember m : members) {
                long ago = java.time.Duration.between(m.heartbeat(), now).toSeconds();
                rows.add(List.of(m.id() + (m.id().equals(fleet.self()) ? " (this home)" : ""), m.address(),
                        m.live() ? "live" : "gone", ago + " s ago", m.version(),
                        m.loaded().isEmpty() ? "-" : String.join(", ", m.loaded())));
            }
            return "shared state: " + fleet.store() + "\n" + (rows.isEmpty() ? "no hub is serving (hub serve joins)"
                    : Format.table(List.of("HUB", "ADDRESS", "STATE", "HEARTBEAT", "VERSION", "LOADED"), rows));
        }
    }

    @Command(name = "state", description = "Copy the shared state (catalog entries, aliases, pins, API key hashes,"
            + " download records, alias history) between stores: export from this home's store, import into it.",
            subcommands = {StateExport.class, StateImport.class})
    static final class State extends Group {
    }

    @Command(name = "export", description = "Write the shared state of the store this home uses (hub.state) to FILE.")
    static final class StateExport extends Cmd {
        @Parameters(paramLabel = "FILE", description = "the JSON file to write (replaced if it exists)")
        Path file;

        StateExport(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws Exception {
            Path target = session.path(file.toString());
            Path tmp = java.nio.file.Files.createTempFile(target.toAbsolutePath().getParent(), ".state", ".tmp");
            java.util.Map<String, Integer> counts;
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(tmp)) {
                counts = s.transfer().get().exportState(out);
            } catch (Exception e) {
                java.nio.file.Files.deleteIfExists(tmp);
                throw e;
            }
            // a temporary file is the owner's alone (0600): API key hashes are in it
            java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return "exported " + describe(counts) + " from " + s.fleet().get().store() + " to " + target;
        }
    }

    @Command(name = "import", description = "Add the shared state exported to FILE to the store this home uses"
            + " (entries with the same key are replaced; records already there are not added twice).")
    static final class StateImport extends Cmd {
        @Parameters(paramLabel = "FILE", description = "a file written by hub state export")
        Path file;

        StateImport(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws Exception {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(session.path(file.toString()))) {
                return "imported " + describe(s.transfer().get().importState(in)) + " into "
                        + s.fleet().get().store();
            }
        }
    }

    static String describe(java.util.Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, n) -> parts.add(n + " " + switch (k) {
            case "CATALOG" -> "catalog entries";
            case "ALIASES" -> "aliases";
            case "PINS" -> "pins";
            case "KEYS" -> "API keys";
            case "DOWNLOADS" -> "download records";
            case "ALIAS_HISTORY" -> "alias switches";
            default -> k.toLowerCase(java.util.Locale.ROOT);
        }));
        return String.join(", ", parts);
    }

    @Command(name = "bench", description = "Measure detect in this hub's process by concurrent clients: requests/s, p50, p99.")
    static final class Bench extends Cmd {
        @Parameters(index = "0", paramLabel = "TASK", description = "detect; tensors: the model's raw graph on zero "
                + "inputs of its own shapes (what an Open Inference Protocol client's binary tensors run), the baseline "
                + "of bench-oip; or cycles: the bundle-cycle leak benchmark (a loader bundle uninstalled and installed N "
                + "times with a detection after each, beside N model unloads and reloads)")
        String task;
        @Parameters(index = "1", paramLabel = "IMAGE", arity = "0..1", description = "the image (detect, cycles)")
        Path image;
        @Option(names = {"-m", "--model"}, paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class,
                description = "the model (default: the detector alias's)")
        String model;
        @Option(names = {"-n", "--requests"}, paramLabel = "N", defaultValue = "64", description = "requests per level (default: ${DEFAULT-VALUE})")
        int requests;
        @Option(names = {"-c", "--clients"}, paramLabel = "N,...", split = ",", defaultValue = "1,4,16",
                description = "concurrency levels (default: ${DEFAULT-VALUE})")
        List<Integer> clients;
        @Option(names = "--bundle", paramLabel = "BSN", defaultValue = "hub.loader.yolo",
                description = "cycles: the loader bundle to cycle (default: ${DEFAULT-VALUE})")
        String bundle;
        @Option(names = "--family", paramLabel = "FAMILY", defaultValue = "detection",
                description = "cycles: the family its loader registers (default: ${DEFAULT-VALUE})")
        String family;

        Bench(Ctx ctx) {
            super(ctx);
        }

        @Option(names = "--warm-up", paramLabel = "N", defaultValue = "50",
                description = "cycles: unmeasured steps before each phase, so that the JIT's profiles of the install, "
                        + "resolve and activate paths settle (default: ${DEFAULT-VALUE})")
        int warmUp;

        /** The raw graph through the request path, as {@code /v2/.../infer} runs it, without HTTP. */
        private String tensors() throws Exception {
            if (model == null) {
                throw new IllegalArgumentException("bench tensors needs --model NAME[@VERSION]");
            }
            hub.api.inference.ModelSignature sig = s.inference().get().describe(caller(), model, true);
            List<hub.api.task.Tensor> inputs = new ArrayList<>();
            for (hub.api.task.TensorSpec spec : sig.inputs()) {
                if (spec.type() != hub.api.task.TensorType.FP32) {
                    throw new IllegalArgumentException("bench tensors feeds FP32 inputs; " + spec.name() + " is "
                            + spec.type());
                }
                long[] shape = spec.shape().stream().mapToLong(d -> d < 0 ? 1 : d).toArray();
                long count = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                inputs.add(hub.api.task.Tensor.fp32(spec.name(), shape, new float[(int) count]));
            }
            List<String> lines = new ArrayList<>();
            lines.add("in-process raw graph (" + sig.ref() + ", inputs " + sig.inputs() + "), " + requests
                    + " requests per level");
            for (int n : clients) {
                Throughput.Result r = Throughput.measure(() -> s.inference().get().infer(caller(), model, inputs,
                        java.util.Set.of()), n, Math.max(n, requests));
                lines.add(r.line());
            }
            return String.join("\n", lines);
        }

        private String cycles(List<ImageInput> input) throws Exception {
            int n = requests;
            Callable<Object> detect = () -> s.inference().get().run(caller(), Task.DETECT, model, input, TaskOptions.DEFAULT);
            detect.call();
            hub.api.ModelRef ref = s.hub().get().loaded().stream().filter(m -> model == null || m.ref().toString()
                    .startsWith(model)).findFirst().orElseThrow().ref();
            BundleCycles.Memory[] control = BundleCycles.measure(() -> {
                s.hub().get().unload(ref);
                return detect.call();
            }, warmUp, n);
            BundleCycles.Memory[] cycles = BundleCycles.measure(() -> {
                BundleCycles.cycle(s.context(), bundle, family);
                return detect.call();
            }, warmUp, n);
            List<String> lines = new ArrayList<>();
            lines.add("bundle-cycle leak benchmark, " + n + " of each after " + warmUp + " unmeasured (the code paths "
                    + "warm, their profiles allocated), a detection (" + ref + ") after each; memory after two full GCs");
            lines.addAll(BundleCycles.report(cycles, control, n));
            return String.join("\n", lines);
        }

        @Override
        String run() throws Exception {
            if (task.equals("tensors")) {
                return tensors();
            }
            if (!task.equals("detect") && !task.equals("cycles")) {
                throw new IllegalArgumentException("bench measures detect, tensors or cycles; '" + task
                        + "' is not supported");
            }
            if (image == null) {
                throw new IllegalArgumentException("bench " + task + " needs an IMAGE");
            }
            if (task.equals("cycles")) {
                return cycles(read(List.of(image)));
            }
            List<ImageInput> input = read(List.of(image));
            List<String> lines = new ArrayList<>();
            lines.add("in-process detect (" + (model == null ? "detector alias" : model) + "), " + requests
                    + " requests per level");
            for (int n : clients) {
                Throughput.Result r = Throughput.measure(() -> s.inference().get().run(caller(), Task.DETECT, model, input,
                        TaskOptions.DEFAULT), n, Math.max(n, requests));
                lines.add(r.line());
            }
            return String.join("\n", lines);
        }
    }

    @Command(name = "serve", description = "Serve this home from this process until hub stop: the HTTP API and web page "
            + "(unless --no-http), and the control socket later commands use.")
    static final class Serve extends Cmd {
        @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "HTTP port (default: 8080, or the configured one)")
        Integer port;
        @Option(names = "--host", paramLabel = "HOST", description = "HTTP address (default: 127.0.0.1, or the configured one)")
        String host;
        @Option(names = "--no-http", description = "no HTTP API and web page")
        boolean noHttp;
        @Option(names = "--daemon", hidden = true, description = "the background hub: no HTTP, stops when idle")
        boolean daemon;

        Serve(Ctx ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            if (port != null && (port < 0 || port > 65535)) {
                throw new IllegalArgumentException("--port wants a port number 0..65535, not " + port);
            }
            return session.host().serve(new Session.Serve(port, host, noHttp || daemon, daemon), session);
        }

        @Override
        String run() {
            return null;
        }
    }

    @Command(name = "stop", description = "Stop the hub serving this home (the background hub or hub serve); open leases drain first.")
    static final class Stop extends Cmd {
        Stop(Ctx ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            return session.host().stop(session.out());
        }

        @Override
        String run() {
            return null;
        }
    }

    @Command(name = "version", description = "The hub's, the framework's and Java's versions.")
    static final class VersionCmd extends JsonCmd {

        VersionCmd(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            Map<String, String> v = versions(s);
            return output(v, x -> line(v));
        }
    }

    static Map<String, String> versions(Services s) {
        Map<String, String> v = new LinkedHashMap<>();
        Version b = s.context().getBundle().getVersion();
        v.put("hub", b.getMajor() + "." + b.getMinor() + "." + b.getMicro());
        v.put("build", b.toString());
        v.put("framework", s.context().getBundle(0).getSymbolicName() + " " + s.context().getBundle(0).getVersion());
        v.put("java", System.getProperty("java.version"));
        return v;
    }

    static String line(Map<String, String> v) {
        return "Vision Model Hub " + v.get("hub") + " (build " + v.get("build") + ", " + v.get("framework") + ", Java "
                + v.get("java") + ")";
    }

    /** {@code hub --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        private final Ctx ctx;

        VersionProvider(Ctx ctx) {
            this.ctx = ctx;
        }

        @Override
        public String[] getVersion() {
            return new String[] {line(versions(ctx.services()))};
        }
    }

    @Command(name = "completion", description = "Print the completion script for bash or zsh (see the README to install it).")
    static final class Completion extends Cmd {
        @Parameters(paramLabel = "SHELL", completionCandidates = Candidates.Shells.class, description = "${COMPLETION-CANDIDATES}")
        String shell;

        Completion(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            if (!shell.equals("bash") && !shell.equals("zsh")) {
                throw new IllegalArgumentException("completion scripts exist for bash and zsh, not '" + shell + "'");
            }
            String script = AutoComplete.bash("hub", spec.root().commandLine());
            return shell.equals("zsh")
                    ? "# zsh: runs through bashcompinit; source it from ~/.zshrc: source <(hub completion zsh)\n" + script
                    : script;
        }
    }
}
