package hub.core.internal.store;

import hub.api.ArtifactCheck;
import hub.api.ArtifactException;
import hub.api.ArtifactSpec;
import hub.api.LocalModel;
import hub.api.ModelRef;
import hub.api.PullOptions;
import hub.api.ValidationReport;
import hub.api.mirror.MirrorRecord;
import hub.api.mirror.ModelMirrors;
import hub.api.objectstore.ObjectInfo;
import hub.api.objectstore.UploadProgress;
import hub.api.state.StateStore;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Pushes a model version's verified files to a mirror through the object store of the location's scheme and records
 * the mirror in the shared state, where every hub's pulls find it ({@link FileArtifactStore} tries mirrors first).
 */
@Component(service = ModelMirrors.class)
public class StoreMirrors implements ModelMirrors {
    private static final System.Logger LOG = System.getLogger(StoreMirrors.class.getName());
    private final FileArtifactStore store;
    private final StateStore state;
    private final HubHome home;

    /**
     * @param store the artifact store (its cache and object stores)
     * @param state the shared state
     * @param home the hub home (its hub id)
     */
    @Activate
    public StoreMirrors(@Reference FileArtifactStore store,
            @Reference(target = hub.core.internal.state.FileStateStore.SELECTED) StateStore state,
            @Reference HubHome home) {
        this.store = store;
        this.state = state;
        this.home = home;
    }

    @Override
    public MirrorRecord push(ModelRef ref, URI location, UploadProgress progress) {
        URI base = base(location);
        hub.api.objectstore.ObjectStore objects = store.objectStore(base.getScheme());
        LocalModel local = store.pull(ref, PullOptions.DEFAULT, null);
        ModelRef r = local.descriptor().ref();
        // the bytes sent are the bytes the catalog vouches for: re-hashed now, not taken from the cache's record
        ValidationReport report = store.validate(r);
        Map<String, ArtifactCheck> checks = new java.util.HashMap<>();
        for (ArtifactCheck c : report.artifacts()) {
            if (!c.ok()) {
                throw new ArtifactException("cannot push " + r + ": its cached " + c.role() + " does not verify ("
                        + c.message() + "); pull it again first", null);
            }
            checks.put(c.role(), c);
        }
        URI dir = URI.create(base + r.name() + "/" + r.version() + "/");
        long total = 0;
        for (ArtifactSpec a : local.descriptor().artifacts()) {
            total += checks.get(a.role()).size();
        }
        long[] done = {0};
        long all = total;
        List<MirrorRecord.MirroredArtifact> artifacts = new ArrayList<>();
        for (ArtifactSpec a : local.descriptor().artifacts()) {
            ArtifactCheck c = checks.get(a.role());
            URI target = dir.resolve(a.fileName());
            long before = done[0];
            ObjectInfo stored = upload(objects, target, local.files().get(a.role()), c.actualSha256(),
                    progress == null ? null : (s, t, reused) -> progress.stored(before + s, all, reused));
            done[0] += c.size();
            if (stored.size() != c.size()) {
                throw new ArtifactException("mirror " + target + " holds " + stored.size() + " bytes after the push, not "
                        + c.size(), null);
            }
            artifacts.add(new MirrorRecord.MirroredArtifact(a.role(), target, c.actualSha256(), c.size()));
        }
        MirrorRecord record = new MirrorRecord(r, dir, Instant.now(), home.hubId(), artifacts);
        MirrorCatalog.record(state, record);
        LOG.log(System.Logger.Level.INFO, "{0} mirrored at {1} ({2} file(s))", r, dir, artifacts.size());
        return record;
    }

    /** Uploads one file, retrying transient failures: each retry resumes the multipart upload where it stopped. */
    private static ObjectInfo upload(hub.api.objectstore.ObjectStore objects, URI target, java.nio.file.Path file,
            String sha256, UploadProgress progress) {
        IOException last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                java.util.Optional<ObjectInfo> there = objects.stat(target);
                if (there.isPresent() && sha256.equals(there.get().metadata().get("sha256"))
                        && there.get().size() == java.nio.file.Files.size(file)) {
                    if (progress != null) {
                        progress.stored(there.get().size(), there.get().size(), there.get().size());
                    }
                    return there.get(); // pushed before: nothing to send
                }
                return objects.write(target, file, Map.of("sha256", sha256), progress);
            } catch (IOException e) {
                last = e;
                LOG.log(System.Logger.Level.WARNING, "upload to {0}: attempt {1} of 5 failed ({2}); resuming",
                        target, attempt, e.getMessage());
                try {
                    Thread.sleep(500L << (attempt - 1));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ArtifactException("push to " + target + " interrupted", ie);
                }
            }
        }
        throw new ArtifactException("push to " + target + " failed after 5 attempts: " + last.getMessage(), last);
    }

    @Override
    public List<MirrorRecord> list() {
        List<MirrorRecord> all = new ArrayList<>(MirrorCatalog.all(state));
        all.sort(Comparator.comparing((MirrorRecord m) -> m.model().toString()).thenComparing(m -> m.location()));
        return all;
    }

    /** {@code s3://BUCKET[/PREFIX]} with a trailing slash; refuses what is not an object store location. */
    static URI base(URI location) {
        if (location == null || location.getScheme() == null || location.getAuthority() == null
                || !SourceFetcher.OBJECT_SCHEMES.contains(location.getScheme().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("mirror location '" + location + "' is not s3://BUCKET[/PREFIX]");
        }
        if (location.getQuery() != null || location.getFragment() != null) {
            throw new IllegalArgumentException("mirror location '" + location + "' has a query or fragment");
        }
        String s = location.toString();
        return URI.create(s.endsWith("/") ? s : s + "/");
    }
}
