package hub.core.internal.shell;

import hub.api.AccessTier;
import hub.api.DeviceService;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.ArtifactCheck;
import hub.api.ArtifactException;
import hub.api.ArtifactStore;
import hub.api.ChecksumMismatchException;
import hub.api.CleanupReport;
import hub.api.DownloadRecord;
import hub.api.LocalModel;
import hub.api.ModelsMissingException;
import hub.api.PullOptions;
import hub.api.TransferProgress;
import hub.api.ValidationReport;
import hub.api.VerificationLevel;
import hub.core.json.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
        "osgi.command.function=version", "osgi.command.function=pull", "osgi.command.function=verify",
        "osgi.command.function=rm", "osgi.command.function=cleanup", "osgi.command.function=history"})
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

    /**
     * @param force download again even when cached
     * @param verification none, size or sha256 (default: the store's setting)
     * @param ref NAME[@VERSION]
     * @return what was pulled
     */
    @Descriptor("download and verify a model's files into the cache")
    public String pull(
            @Descriptor("download again even when a verified copy is cached") @Parameter(names = {"-f", "--force"}, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("none, size or sha256") @Parameter(names = {"--verify"}, absentValue = ABSENT) String verification,
            @Descriptor("NAME[@VERSION]") String ref) throws InterruptedException {
        PullOptions options = new PullOptions(force, verification.isEmpty() ? null : VerificationLevel.parse(verification), false);
        // Transfers report from their own threads, where Gogo's redirected System.err is not theirs: queue the
        // progress and draw it from this, the command's thread.
        BlockingQueue<TransferProgress> progress = new LinkedBlockingQueue<>();
        CompletableFuture<LocalModel> pulling = store.pullAsync(ModelRef.parse(ref), options, progress::add)
                .toCompletableFuture();
        ProgressBar bar = new ProgressBar(System.err, System.console() != null);
        while (!pulling.isDone() || !progress.isEmpty()) {
            TransferProgress p = progress.poll(100, TimeUnit.MILLISECONDS);
            if (p != null) {
                bar.onProgress(p);
            }
        }
        LocalModel m;
        try {
            m = pulling.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        long bytes = m.files().values().stream().mapToLong(HubCommands::size).sum();
        return "pulled " + m.descriptor().ref() + ": " + m.files().size() + " file(s), " + Format.bytes(bytes) + " in "
                + m.modelFile().getParent();
    }

    /**
     * @param json JSON output
     * @param ref NAME[@VERSION]
     * @return the report
     */
    @Descriptor("re-hash a cached model's files and report; fails when one is missing or does not match")
    public String verify(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("NAME[@VERSION]") String ref) {
        ValidationReport r = store.validate(ModelRef.parse(ref));
        String text = json ? Json.write(r) : Format.validation(r);
        for (ArtifactCheck c : r.artifacts()) {
            if (c.message().equals("missing")) {
                throw new ModelsMissingException(List.of(r.ref() + " " + c.role() + ": " + c.file() + " missing"));
            }
            if (c.message().equals("checksum mismatch")) {
                throw new ChecksumMismatchException(r.ref() + " " + c.role(), c.expectedSha256(), c.actualSha256(), false);
            }
            if (!c.ok()) {
                throw new ArtifactException(r.ref() + " " + c.role() + ": " + c.message(), null);
            }
        }
        return text;
    }

    /**
     * @param ref NAME or NAME@VERSION
     * @return what was removed
     */
    @Descriptor("remove a model's cached files (every version when none is given)")
    public String rm(@Descriptor("NAME[@VERSION]") String ref) {
        List<ModelRef> removed = store.remove(ModelRef.parse(ref));
        return removed.isEmpty() ? "nothing cached for " + ref
                : "removed " + String.join(", ", removed.stream().map(ModelRef::toString).toList());
    }

    /**
     * @param json JSON output
     * @return what was removed
     */
    @Descriptor("remove orphan partial files, files no catalog entry owns and files that fail verification")
    public String cleanup(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json) {
        CleanupReport r = store.cleanup();
        if (json) {
            return Json.write(r);
        }
        return r.removed().isEmpty() ? "nothing to clean up"
                : String.join("\n", r.removed()) + "\nfreed " + Format.bytes(r.bytesFreed());
    }

    /**
     * @param json JSON output
     * @param name model name, or none for all
     * @return download records
     */
    @Descriptor("show download records (start, end, bytes, outcome, error)")
    public String history(
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("model name (optional)") String... name) {
        List<DownloadRecord> h = store.history(name.length == 0 ? null : ModelRef.validateName(name[0]));
        return json ? Json.write(h) : Format.history(h);
    }

    private static long size(Path p) {
        try {
            return java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
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
