package hub.core.internal.shell;

import hub.api.AccessTier;
import hub.api.DeviceService;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.ArtifactStore;
import hub.core.internal.json.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code hub:} Gogo commands. Each one calls a service and returns text (a table, or JSON with {@code --json});
 * none holds logic of its own.
 */
@Component(service = HubCommands.class, immediate = true, property = {
        "osgi.command.scope=hub",
        "osgi.command.function=list", "osgi.command.function=info", "osgi.command.function=device",
        "osgi.command.function=register", "osgi.command.function=unregister", "osgi.command.function=cache",
        "osgi.command.function=version"})
public class HubCommands {
    private static final String ABSENT = "";

    private final ModelRegistry registry;
    private final ModelHub hub;
    private final DeviceService devices;
    private final ArtifactStore store;
    private final BundleContext context;

    /**
     * @param registry catalog
     * @param hub facade
     * @param devices devices
     * @param store cache
     * @param context for version information
     */
    @Activate
    public HubCommands(@Reference ModelRegistry registry, @Reference ModelHub hub, @Reference DeviceService devices,
            @Reference ArtifactStore store, BundleContext context) {
        this.registry = registry;
        this.hub = hub;
        this.devices = devices;
        this.store = store;
        this.context = context;
    }

    /**
     * @param family family filter
     * @param tag tag filter
     * @param tier tier filter
     * @param json JSON output
     * @return the catalog
     */
    @Descriptor("list catalog models")
    public String list(
            @Descriptor("only this family") @Parameter(names = {"-f", "--family"}, absentValue = ABSENT) String family,
            @Descriptor("only models with this tag") @Parameter(names = {"-t", "--tag"}, absentValue = ABSENT) String tag,
            @Descriptor("only models visible to this tier") @Parameter(names = {"--tier"}, absentValue = ABSENT) String tier,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        ModelQuery q = new ModelQuery(family.isEmpty() ? null : Family.of(family), tag.isEmpty() ? null : tag,
                tier.isEmpty() ? null : AccessTier.parse(tier));
        List<ModelDescriptor> models = registry.list(q);
        return json ? Json.write(models) : Format.models(models);
    }

    /**
     * @param json JSON output
     * @param ref NAME[@VERSION]
     * @return everything known about the model
     */
    @Descriptor("show a model's catalog entry, status and versions")
    public String info(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("NAME[@VERSION]") String ref) {
        var i = hub.info(ModelRef.parse(ref));
        return json ? Json.write(i) : Format.info(i);
    }

    /**
     * @param json JSON output
     * @return providers, GPUs, recommendation
     */
    @Descriptor("show execution providers, GPUs and the recommended device")
    public String device(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        var i = devices.info();
        return json ? Json.write(i) : Format.device(i);
    }

    /**
     * @param session the shell session, for its working directory
     * @param file descriptor file
     * @return what was registered
     */
    @Descriptor("register custom models from a YAML or JSON descriptor file")
    public String register(CommandSession session, @Descriptor("descriptor file (.yaml, .yml or .json)") String file) {
        List<ModelDescriptor> done = registry.register(resolve(session, file));
        return "registered " + String.join(", ", done.stream().map(d -> d.ref().toString()).toList());
    }

    /**
     * @param ref NAME@VERSION
     * @return what was removed
     */
    @Descriptor("remove a custom model from the catalog")
    public String unregister(@Descriptor("NAME@VERSION") String ref) {
        return "unregistered " + registry.unregister(ModelRef.parse(ref)).ref();
    }

    /**
     * @param json JSON output
     * @return cache figures
     */
    @Descriptor("show cache utilization and contents")
    public String cache(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        var c = store.cacheInfo();
        return json ? Json.write(c) : Format.cache(c);
    }

    /**
     * @param json JSON output
     * @return hub, framework and Java versions
     */
    @Descriptor("show the hub's version")
    public String version(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        Map<String, String> v = new LinkedHashMap<>();
        var b = context.getBundle().getVersion();
        v.put("hub", b.getMajor() + "." + b.getMinor() + "." + b.getMicro());
        v.put("build", b.toString());
        v.put("framework", context.getBundle(0).getSymbolicName() + " " + context.getBundle(0).getVersion());
        v.put("java", System.getProperty("java.version"));
        return json ? Json.write(v) : "Vision Model Hub " + v.get("hub") + " (build " + v.get("build") + ", "
                + v.get("framework") + ", Java " + v.get("java") + ")";
    }

    private static Path resolve(CommandSession session, String file) {
        Path p = Path.of(file);
        if (p.isAbsolute()) {
            return p;
        }
        Object cwd = session == null ? null : session.currentDir();
        return cwd instanceof Path dir ? dir.resolve(p) : p.toAbsolutePath();
    }
}
