package hub.shell.internal.commands;

import hub.api.Device;
import hub.api.LoadedModelInfo;
import hub.api.ModelHub;
import hub.api.ModelRef;
import hub.api.SwitchResult;
import hub.api.UnloadResult;
import hub.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runtime commands: loading, unloading, aliases, pins. */
final class RuntimeCommands {
    private RuntimeCommands() {
    }

    @Command(name = "load", description = "Load a model (pulling it first if needed): device, load time, memory.")
    static final class Load extends Cmd {
        @Parameters(paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class, description = "the model")
        String ref;
        @Option(names = {"-d", "--device"}, paramLabel = "DEVICE", defaultValue = "auto",
                completionCandidates = Candidates.Devices.class, description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        String device;

        Load(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            LoadedModelInfo i = progress(() -> s.inference().get().load(caller(), ModelRef.parse(ref),
                    Device.parse(device)));
            return "loaded " + i.ref() + " on " + i.device().name().toLowerCase(Locale.ROOT) + " in "
                    + i.loadTime().toMillis() + " ms, " + Format.bytes(i.memoryBytes())
                    + (i.memoryMeasured() ? "" : " (estimated)");
        }
    }

    @Command(name = "unload", description = "Unload a model now, or once its last lease closes.")
    static final class Unload extends Cmd {
        @Parameters(paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class, description = "the model")
        String ref;

        Unload(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            UnloadResult r = s.hub().get().unload(ModelRef.parse(ref));
            return switch (r.outcome()) {
                case UNLOADED -> "unloaded " + r.ref();
                case DEFERRED -> r.ref() + " unloads when its " + r.openLeases() + " open lease(s) close";
                case NOT_LOADED -> r.ref() + " is not loaded";
            };
        }
    }

    @Command(name = "status", aliases = "ps", description = "Loaded models: device, memory, load and warm-up time, "
            + "last use, when idleness unloads it, leases.")
    static final class Status extends JsonCmd {

        Status(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<LoadedModelInfo> loaded = s.hub().get().loaded();
            if (json) {
                return Json.write(loaded);
            }
            String host = session.host().kind().equals("process")
                    ? "\n(this command ran in a process of its own: models load in the hub serving the home)" : "";
            if (loaded.isEmpty()) {
                return "no model loaded" + host;
            }
            Instant now = Instant.now();
            List<List<String>> rows = new ArrayList<>();
            for (LoadedModelInfo i : loaded) {
                Duration idle = s.hub().get().idleTimeout(i.ref(), i.device());
                String until = i.pinned() ? "pinned" : i.openLeases() > 0 ? "in use" : idle == null ? "never"
                        : Format.relative(now, i.lastUsed().plus(idle));
                rows.add(List.of(i.ref().toString(), i.device().name().toLowerCase(Locale.ROOT),
                        Format.bytes(i.memoryBytes()) + (i.memoryMeasured() ? "" : "*"), i.loadTime().toMillis() + " ms",
                        i.warmUpTime() == null ? "-" : i.warmUpTime().toMillis() + " ms",
                        Format.relative(now, i.lastUsed()), until, String.valueOf(i.openLeases()),
                        String.valueOf(i.leasesServed())));
            }
            return Format.table(List.of("MODEL", "DEVICE", "MEMORY", "LOAD", "WARM-UP", "LAST USE", "UNLOADS",
                    "LEASES", "SERVED"), rows) + (loaded.stream().anyMatch(i -> !i.memoryMeasured())
                    ? "\n(* estimated from file size)" : "") + host;
        }
    }

    @Command(name = "active", description = "The aliases (detector, classifier, ocr, face, embedder) and their models.")
    static final class Active extends JsonCmd {

        Active(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            Map<String, ModelRef> a = s.hub().get().aliases();
            if (json) {
                return Json.write(a);
            }
            List<List<String>> rows = new ArrayList<>();
            for (String alias : new TreeSet<>(ModelHub.STANDARD_ALIASES.keySet())) {
                rows.add(List.of(alias, ModelHub.STANDARD_ALIASES.get(alias).id(),
                        a.containsKey(alias) ? a.get(alias).toString() : "- (hub switch " + alias + "=NAME@VERSION)"));
            }
            return Format.table(List.of("ALIAS", "FAMILY", "MODEL"), rows);
        }
    }

    @Command(name = "switch", description = "Point aliases at models: validate, load in parallel, warm up, then flip "
            + "all at once (exit 10 on failure: nothing changes).")
    static final class Switch extends Cmd {
        @Parameters(paramLabel = "ALIAS=NAME@VERSION", arity = "1..*", completionCandidates = Candidates.Aliases.class,
                description = "aliases: detector, classifier, ocr, face, embedder")
        List<String> assignments;
        @Option(names = {"-d", "--device"}, paramLabel = "DEVICE", defaultValue = "auto",
                completionCandidates = Candidates.Devices.class, description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        String device;

        Switch(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            Map<String, ModelRef> targets = new LinkedHashMap<>();
            for (String a : assignments) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected ALIAS=NAME@VERSION, got '" + a + "'");
                }
                targets.put(a.substring(0, eq).trim(), ModelRef.parse(a.substring(eq + 1).trim()));
            }
            SwitchResult r = s.hub().get().switchModels(targets, Device.parse(device));
            StringBuilder b = new StringBuilder();
            targets.keySet().forEach(alias -> b.append(alias).append(": ")
                    .append(r.previous().containsKey(alias) ? r.previous().get(alias) : "-").append(" -> ")
                    .append(r.active().get(alias)).append(" (warm-up ")
                    .append(r.warmUp().getOrDefault(r.active().get(alias), Duration.ZERO).toMillis()).append(" ms)\n"));
            return b.toString().stripTrailing();
        }
    }

    @Command(name = "pin", description = "Keep a model loaded whatever its idle time and memory pressure.")
    static final class Pin extends Cmd {
        @Parameters(paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class, description = "the model")
        String ref;

        Pin(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            s.hub().get().pin(ModelRef.parse(ref));
            return "pinned " + ref;
        }
    }

    @Command(name = "unpin", description = "Let idle timeouts and memory pressure unload a model again.")
    static final class Unpin extends Cmd {
        @Parameters(paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class, description = "the model")
        String ref;

        Unpin(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            s.hub().get().unpin(ModelRef.parse(ref));
            return "unpinned " + ref;
        }
    }
}
