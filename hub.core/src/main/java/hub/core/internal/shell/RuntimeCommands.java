package hub.core.internal.shell;

import hub.api.Device;
import hub.api.LoadedModelInfo;
import hub.api.ModelHub;
import hub.api.access.Caller;
import hub.api.inference.Inference;
import hub.api.ModelRef;
import hub.api.SwitchResult;
import hub.api.UnloadResult;
import hub.core.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The runtime's {@code hub:} commands: load, unload, status, active, switch, pin, unpin. */
@Component(service = RuntimeCommands.class, immediate = true, property = {"osgi.command.scope=hub",
        "osgi.command.function=load", "osgi.command.function=unload", "osgi.command.function=status",
        "osgi.command.function=active", "osgi.command.function=switch", "osgi.command.function=pin",
        "osgi.command.function=unpin"})
public class RuntimeCommands {
    private final ModelHub hub;
    private final Inference inference;

    /**
     * @param hub the facade
     * @param inference the request path (loads run through it)
     */
    @Activate
    public RuntimeCommands(@Reference ModelHub hub, @Reference Inference inference) {
        this.hub = hub;
        this.inference = inference;
    }

    /**
     * @param device cpu, gpu or auto
     * @param ref NAME[@VERSION]
     * @return where it loaded and how long it took
     */
    @Descriptor("load a model (pulling it first if needed) and keep it loaded until idle")
    public String load(
            @Descriptor("cpu, gpu or auto") @Parameter(names = {"-d", "--device"}, absentValue = "auto") String device,
            @Descriptor("NAME[@VERSION]") String ref) {
        LoadedModelInfo i = inference.load(Caller.owner(), ModelRef.parse(ref), Device.parse(device));
        return "loaded " + i.ref() + " on " + i.device().name().toLowerCase(Locale.ROOT) + " in "
                + i.loadTime().toMillis() + " ms, " + Format.bytes(i.memoryBytes())
                + (i.memoryMeasured() ? "" : " (estimated)");
    }

    /**
     * @param ref NAME[@VERSION]
     * @return now, or once its leases close
     */
    @Descriptor("unload a model now, or once its last lease closes")
    public String unload(@Descriptor("NAME[@VERSION]") String ref) {
        UnloadResult r = hub.unload(ModelRef.parse(ref));
        return switch (r.outcome()) {
            case UNLOADED -> "unloaded " + r.ref();
            case DEFERRED -> r.ref() + " unloads when its " + r.openLeases() + " open lease(s) close";
            case NOT_LOADED -> r.ref() + " is not loaded";
        };
    }

    /**
     * @param json JSON output
     * @return loaded models
     */
    @Descriptor("list loaded models: device, memory, load and warm-up time, last use, leases, leases served")
    public String status(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        List<LoadedModelInfo> loaded = hub.loaded();
        if (json) {
            return Json.write(loaded);
        }
        if (loaded.isEmpty()) {
            return "no model loaded";
        }
        List<List<String>> rows = new ArrayList<>();
        for (LoadedModelInfo i : loaded) {
            rows.add(List.of(i.ref().toString(), i.device().name().toLowerCase(Locale.ROOT),
                    Format.bytes(i.memoryBytes()) + (i.memoryMeasured() ? "" : "*"), i.loadTime().toMillis() + " ms",
                    i.warmUpTime() == null ? "-" : i.warmUpTime().toMillis() + " ms", i.lastUsed().toString(),
                    String.valueOf(i.openLeases()), String.valueOf(i.leasesServed()), i.pinned() ? "yes" : "no"));
        }
        return Format.table(List.of("MODEL", "DEVICE", "MEMORY", "LOAD", "WARM-UP", "LAST USE", "LEASES", "SERVED",
                "PINNED"), rows) + "\n(* estimated from file size)";
    }

    /**
     * @param json JSON output
     * @return every alias and its model
     */
    @Descriptor("list the aliases and the model each points to")
    public String active(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        Map<String, ModelRef> a = hub.aliases();
        if (json) {
            return Json.write(a);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String alias : new java.util.TreeSet<>(ModelHub.STANDARD_ALIASES.keySet())) {
            rows.add(List.of(alias, ModelHub.STANDARD_ALIASES.get(alias).id(),
                    a.containsKey(alias) ? a.get(alias).toString() : "-"));
        }
        return Format.table(List.of("ALIAS", "FAMILY", "MODEL"), rows);
    }

    /**
     * @param device device for the new models
     * @param assignments ALIAS=NAME@VERSION ...
     * @return before and after
     */
    @Descriptor("switch aliases atomically: validate, load in parallel, warm up, then flip all at once")
    public String _switch(
            @Descriptor("cpu, gpu or auto") @Parameter(names = {"-d", "--device"}, absentValue = "auto") String device,
            @Descriptor("ALIAS=NAME@VERSION ...") String... assignments) {
        if (assignments.length == 0) {
            throw new IllegalArgumentException("switch needs ALIAS=NAME@VERSION (aliases: "
                    + new java.util.TreeSet<>(ModelHub.STANDARD_ALIASES.keySet()) + ")");
        }
        Map<String, ModelRef> targets = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected ALIAS=NAME@VERSION, got '" + a + "'");
            }
            targets.put(a.substring(0, eq).trim(), ModelRef.parse(a.substring(eq + 1).trim()));
        }
        SwitchResult r = hub.switchModels(targets, Device.parse(device));
        StringBuilder b = new StringBuilder();
        targets.keySet().forEach(alias -> b.append(alias).append(": ")
                .append(r.previous().containsKey(alias) ? r.previous().get(alias) : "-").append(" -> ")
                .append(r.active().get(alias)).append(" (warm-up ")
                .append(r.warmUp().getOrDefault(r.active().get(alias), java.time.Duration.ZERO).toMillis())
                .append(" ms)\n"));
        return b.toString().stripTrailing();
    }

    /**
     * @param ref NAME[@VERSION]
     * @return confirmation
     */
    @Descriptor("keep a model loaded: idle timeouts and memory pressure never unload it")
    public String pin(@Descriptor("NAME[@VERSION]") String ref) {
        hub.pin(ModelRef.parse(ref));
        return "pinned " + ref;
    }

    /**
     * @param ref NAME[@VERSION]
     * @return confirmation
     */
    @Descriptor("let idle timeouts and memory pressure unload a model again")
    public String unpin(@Descriptor("NAME[@VERSION]") String ref) {
        hub.unpin(ModelRef.parse(ref));
        return "unpinned " + ref;
    }
}
