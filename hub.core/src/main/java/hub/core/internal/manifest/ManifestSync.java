package hub.core.internal.manifest;

import hub.api.ArtifactCheck;
import hub.api.ArtifactStore;
import hub.api.ChecksumMismatchException;
import hub.api.InvalidDescriptorException;
import hub.api.ModelConflictException;
import hub.api.ModelDescriptor;
import hub.api.ModelRegistry;
import hub.api.ModelStatus;
import hub.api.ModelsMissingException;
import hub.api.PullOptions;
import hub.api.manifest.ManifestLine;
import hub.api.manifest.Manifests;
import hub.api.manifest.SyncOptions;
import hub.api.ValidationReport;
import hub.core.internal.store.FileArtifactStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Ensures the models of a manifest: resolves every entry first (so a configuration error downloads nothing), then
 * pulls them in parallel through the artifact store and pins them; or only verifies, or only checks they are
 * there (offline). {@code CI_MINIMAL_MODELS=true|1|yes} selects the {@code minimal} profile.
 */
@Component(service = Manifests.class)
public class ManifestSync implements Manifests {

    private final ModelRegistry registry;
    private final FileArtifactStore store;
    private final Function<String, String> env;

    /**
     * @param registry catalog
     * @param store the hub's artifact store (which also makes stores for a manifest's own cache directory)
     */
    @Activate
    public ManifestSync(@Reference ModelRegistry registry, @Reference FileArtifactStore store) {
        this(registry, store, System::getenv);
    }

    ManifestSync(ModelRegistry registry, FileArtifactStore store, Function<String, String> env) {
        this.registry = registry;
        this.store = store;
        this.env = env;
    }

    /**
     * @param file the manifest
     * @param o options
     * @return one line per selected model
     */
    @Override
    public List<ManifestLine> sync(Path file, SyncOptions o) {
        Manifest m = ManifestReader.read(file);
        List<Manifest.Entry> selected = select(m, o);
        List<ModelDescriptor> descriptors = new ArrayList<>();
        for (Manifest.Entry e : selected) {
            descriptors.add(resolve(m, e));
        }
        WithStore ws = storeFor(m);
        try {
            ArtifactStore s = ws.store();
            if (o.offline() || o.verifyOnly()) {
                List<String> missing = new ArrayList<>();
                for (ModelDescriptor d : descriptors) {
                    if (s.status(d.ref()) != ModelStatus.READY) {
                        missing.add(d.ref() + ": not downloaded");
                    }
                }
                if (!missing.isEmpty()) {
                    throw new ModelsMissingException(missing);
                }
                List<ManifestLine> out = new ArrayList<>();
                for (ModelDescriptor d : descriptors) {
                    if (o.verifyOnly()) {
                        checkValid(s.validate(d.ref()));
                    }
                    out.add(new ManifestLine(d.ref(), o.verifyOnly() ? "verified" : "present"));
                }
                return out;
            }
            PullOptions po = new PullOptions(false, m.verification(), false);
            List<CompletableFuture<ManifestLine>> jobs = new ArrayList<>();
            for (ModelDescriptor d : descriptors) {
                boolean cached = s.status(d.ref()) == ModelStatus.READY;
                jobs.add(s.pullAsync(d.ref(), po, null).toCompletableFuture()
                        .thenApply(lm -> new ManifestLine(d.ref(), cached ? "cached" : "downloaded")));
            }
            List<ManifestLine> out = new ArrayList<>();
            RuntimeException first = null;
            for (CompletableFuture<ManifestLine> j : jobs) {
                try {
                    out.add(j.join());
                } catch (CompletionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException re ? re : e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
            for (ModelDescriptor d : descriptors) {
                s.pin(d.ref(), m.pinOwner());
            }
            return out;
        } finally {
            ws.close();
        }
    }

    /**
     * @param file the manifest
     * @param model only this model, or null for all
     * @return what was removed
     */
    @Override
    public List<ManifestLine> clean(Path file, String model) {
        Manifest m = ManifestReader.read(file);
        List<Manifest.Entry> selected = select(m, new SyncOptions(null, model, false, false));
        WithStore ws = storeFor(m);
        try {
            List<ManifestLine> out = new ArrayList<>();
            for (Manifest.Entry e : selected) {
                Optional<ModelDescriptor> d = registry.find(e.ref());
                if (d.isEmpty()) {
                    out.add(new ManifestLine(e.ref(), "not in the catalog"));
                    continue;
                }
                ws.store().unpin(d.get().ref(), m.pinOwner());
                boolean removed = !ws.store().remove(d.get().ref()).isEmpty();
                out.add(new ManifestLine(d.get().ref(), removed ? "removed" : "not cached"));
            }
            return out;
        } finally {
            ws.close();
        }
    }

    private List<Manifest.Entry> select(Manifest m, SyncOptions o) {
        String profile = o.profile();
        if (profile == null && Set.of("true", "1", "yes").contains(String.valueOf(env.apply(CI_MINIMAL)).trim()
                .toLowerCase(Locale.ROOT))) {
            profile = "minimal";
        }
        List<Manifest.Entry> selected = new ArrayList<>(m.models());
        if (profile != null) {
            List<String> names = m.profiles().get(profile);
            if (names == null) {
                throw new InvalidDescriptorException(m.file().toString(), 0, "profiles",
                        "no profile '" + profile + "' (profiles: " + m.profiles().keySet() + ")");
            }
            selected.removeIf(e -> !names.contains(e.name()));
        }
        if (o.model() != null) {
            selected.removeIf(e -> !e.name().equals(o.model()));
            if (selected.isEmpty()) {
                throw new hub.api.ModelNotFoundException(o.model(), "not among the selected models of " + m.file());
            }
        }
        return selected;
    }

    private ModelDescriptor resolve(Manifest m, Manifest.Entry e) {
        if (e.inline() == null) {
            return registry.get(e.ref());
        }
        Optional<ModelDescriptor> existing = registry.find(e.ref());
        if (existing.isPresent()) {
            if (!existing.get().artifacts().equals(e.inline().artifacts())) {
                throw new ModelConflictException(m.file() + ":" + e.line() + ": " + e.ref()
                        + " is already in the catalog with other files; give the manifest entry another version");
            }
            return existing.get();
        }
        return registry.register(e.inline());
    }

    private static void checkValid(ValidationReport r) {
        for (ArtifactCheck c : r.artifacts()) {
            if (!c.ok() && c.actualSha256() != null && c.expectedSha256() != null) {
                throw new ChecksumMismatchException(r.ref() + " " + c.role(), c.expectedSha256(), c.actualSha256(), false);
            }
            if (!c.ok()) {
                throw new ModelsMissingException(List.of(r.ref() + " " + c.role() + ": " + c.message()));
            }
        }
    }

    /** The hub's store, or one of the manifest's own on its cache directory (closed after the sync). */
    private record WithStore(ArtifactStore store, FileArtifactStore owned) {
        void close() {
            if (owned != null) {
                owned.close();
            }
        }
    }

    private WithStore storeFor(Manifest m) {
        if (m.cacheDir() == null) {
            return new WithStore(store, null);
        }
        FileArtifactStore own = store.withCacheDir(m.cacheDir());
        return new WithStore(own, own);
    }
}
