package hub.core.internal.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.api.ArtifactCheck;
import hub.api.ArtifactException;
import hub.api.ArtifactSpec;
import hub.api.ArtifactStore;
import hub.api.CacheEntry;
import hub.api.CacheInfo;
import hub.api.Checksum;
import hub.api.ChecksumService;
import hub.api.CleanupReport;
import hub.api.LocalModel;
import hub.api.ModelDescriptor;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.ModelStatus;
import hub.api.ProgressListener;
import hub.api.TransferProgress;
import hub.api.ValidationReport;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The disk cache. Each artifact streams into a {@code .part} file with its SHA-256 computed in the same pass, is
 * verified, then published by an atomic rename; a {@code .verified} record per version lists what was checked.
 * Concurrent pulls of one artifact share one transfer.
 */
@Component(service = ArtifactStore.class, configurationPid = "hub.store")
@Designate(ocd = StoreConfig.class)
public class FileArtifactStore implements ArtifactStore {
    private static final System.Logger LOG = System.getLogger(FileArtifactStore.class.getName());
    private static final TypeReference<Map<String, VerifiedFile>> RECORD_TYPE = new TypeReference<>() {
    };

    /** One verified artifact in a version's record. */
    record VerifiedFile(String file, String sha256, long size, boolean trustedOnFirstUse, String verifiedAt) {
    }

    private final ModelRegistry registry;
    private final ChecksumService checksums;
    private final CacheLayout layout;
    private final StoreConfig config;
    private final SourceFetcher fetcher;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, CompletableFuture<Path>> transfers = new ConcurrentHashMap<>();
    private final Map<ModelRef, String> failures = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hub-artifact-transfer");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param registry the catalog
     * @param checksums checksum service
     * @param home the hub home
     * @param config settings
     */
    @Activate
    public FileArtifactStore(@Reference ModelRegistry registry, @Reference ChecksumService checksums,
            @Reference HubHome home, StoreConfig config) {
        this.registry = registry;
        this.checksums = checksums;
        this.config = config;
        this.layout = new CacheLayout(config.cacheDir().isBlank() ? home.defaultCache() : Path.of(config.cacheDir()));
        this.fetcher = new SourceFetcher(config, System.getenv("HF_ENDPOINT"), System.getenv("HF_TOKEN"));
        try {
            Files.createDirectories(layout.root());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cache directory " + layout.root(), e);
        }
    }

    @Deactivate
    void deactivate() {
        pool.shutdownNow();
    }

    private ModelDescriptor resolve(ModelRef ref) {
        return registry.get(ref);
    }

    @Override
    public LocalModel pull(ModelRef ref, ProgressListener listener) {
        try {
            return pullAsync(ref, listener).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ArtifactException("pull of " + ref + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public CompletionStage<LocalModel> pullAsync(ModelRef ref, ProgressListener listener) {
        ModelDescriptor d = resolve(ref);
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        List<CompletableFuture<Path>> jobs = new ArrayList<>();
        for (ArtifactSpec a : d.artifacts()) {
            jobs.add(transfer(d, a, l));
        }
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).handle((ok, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                failures.put(d.ref(), String.valueOf(cause.getMessage()));
                throw cause instanceof RuntimeException re ? re
                        : new ArtifactException("pull of " + d.ref() + " failed: " + cause.getMessage(), cause);
            }
            failures.remove(d.ref());
            touch(d.ref());
            Map<String, Path> files = new LinkedHashMap<>();
            for (ArtifactSpec a : d.artifacts()) {
                files.put(a.role(), layout.file(d.ref(), a));
            }
            return new LocalModel(d, files);
        });
    }

    private CompletableFuture<Path> transfer(ModelDescriptor d, ArtifactSpec a, ProgressListener l) {
        Path target = layout.file(d.ref(), a);
        VerifiedFile known = readRecord(d.ref()).get(a.role());
        if (known != null && matches(known, a) && sizeIs(target, known.size())) {
            l.onProgress(new TransferProgress(d.ref(), a.role(), hub.api.ModelStatus.READY, known.size(), known.size(), 0,
                    Duration.ZERO));
            return CompletableFuture.completedFuture(target);
        }
        String key = target.toString();
        CompletableFuture<Path> job = transfers.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> {
            try {
                return download(d, a, l);
            } catch (IOException e) {
                throw new ArtifactException("download of " + d.ref() + " " + a.role() + " from "
                        + SourceFetcher.redact(a.source()) + " failed: " + e.getMessage(), e);
            } finally {
                transfers.remove(k);
            }
        }, pool));
        return job;
    }

    private static boolean matches(VerifiedFile v, ArtifactSpec a) {
        return a.sha256() == null || a.sha256().equals(v.sha256());
    }

    private static boolean sizeIs(Path p, long size) {
        try {
            return Files.size(p) == size;
        } catch (IOException e) {
            return false;
        }
    }

    private Path download(ModelDescriptor d, ArtifactSpec a, ProgressListener l) throws IOException {
        ModelRef ref = d.ref();
        Path part = layout.part(ref, a);
        Path target = layout.file(ref, a);
        Files.createDirectories(part.getParent());
        MessageDigest md = Sha256ChecksumService.newDigest();
        long bytes = 0;
        long start = System.nanoTime();
        SourceFetcher.Opened src = fetcher.open(a.source());
        long total = a.size() >= 0 ? a.size() : src.length();
        try (InputStream in = src.in(); OutputStream out = Files.newOutputStream(part)) {
            byte[] buf = new byte[1 << 16];
            int n;
            long lastReport = 0;
            while ((n = in.read(buf)) >= 0) {
                if (a.size() >= 0 && bytes + n > a.size()) {
                    throw new ArtifactException("source " + SourceFetcher.redact(a.source()) + " sent more than the declared "
                            + a.size() + " bytes for " + ref + " " + a.role(), null);
                }
                out.write(buf, 0, n);
                md.update(buf, 0, n);
                bytes += n;
                long now = System.nanoTime();
                if (now - lastReport > 200_000_000L) {
                    lastReport = now;
                    report(l, ref, a, hub.api.ModelStatus.DOWNLOADING, bytes, total, start);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        report(l, ref, a, hub.api.ModelStatus.VALIDATING, bytes, total, start);
        String actual = Sha256ChecksumService.hex(md);
        if (a.size() >= 0 && bytes != a.size()) {
            Files.deleteIfExists(part);
            throw new ArtifactException("size mismatch for " + ref + " " + a.role() + ": expected " + a.size()
                    + " bytes, got " + bytes, null);
        }
        if (a.sha256() != null && !a.sha256().equals(actual)) {
            Files.deleteIfExists(part);
            throw new ArtifactException("checksum mismatch for " + ref + " " + a.role() + ": expected sha256 "
                    + a.sha256() + ", actual " + actual, null);
        }
        boolean tofu = a.sha256() == null;
        if (tofu) {
            LOG.log(Level.WARNING, "{0} {1}: no published checksum; recording sha256 {2} at first download",
                    ref, a.role(), actual);
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        recordVerified(ref, a, new VerifiedFile(a.fileName(), actual, bytes, tofu, Instant.now().toString()));
        report(l, ref, a, hub.api.ModelStatus.READY, bytes, bytes, start);
        return target;
    }

    private static void report(ProgressListener l, ModelRef ref, ArtifactSpec a, hub.api.ModelStatus s, long bytes,
            long total, long startNanos) {
        double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double rate = bytes / secs;
        Duration eta = total > 0 && rate > 0 ? Duration.ofMillis((long) ((total - bytes) / rate * 1000)) : null;
        l.onProgress(new TransferProgress(ref, a.role(), s, bytes, total, rate, eta));
    }

    private synchronized void recordVerified(ModelRef ref, ArtifactSpec a, VerifiedFile v) throws IOException {
        Map<String, VerifiedFile> rec = new HashMap<>(readRecord(ref));
        rec.put(a.role(), v);
        Path file = layout.record(ref);
        Path tmp = Files.createTempFile(file.getParent(), ".verified", ".tmp");
        try {
            json.writeValue(tmp.toFile(), rec);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Map<String, VerifiedFile> readRecord(ModelRef ref) {
        Path file = layout.record(ref);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return json.readValue(file.toFile(), RECORD_TYPE);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "unreadable verification record {0}: {1}", file, e.getMessage());
            return Map.of();
        }
    }

    private void touch(ModelRef ref) {
        try {
            Files.setLastModifiedTime(layout.versionDir(ref), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // last-use time is advisory
        }
    }

    @Override
    public Optional<LocalModel> local(ModelRef ref) {
        Optional<ModelDescriptor> d = registry.find(ref);
        if (d.isEmpty() || status(d.get()) != ModelStatus.READY) {
            return Optional.empty();
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (ArtifactSpec a : d.get().artifacts()) {
            files.put(a.role(), layout.file(d.get().ref(), a));
        }
        return Optional.of(new LocalModel(d.get(), files));
    }

    @Override
    public ModelStatus status(ModelRef ref) {
        return status(resolve(ref));
    }

    private ModelStatus status(ModelDescriptor d) {
        for (ArtifactSpec a : d.artifacts()) {
            if (transfers.containsKey(layout.file(d.ref(), a).toString())) {
                return ModelStatus.DOWNLOADING;
            }
        }
        if (failures.containsKey(d.ref())) {
            return ModelStatus.ERROR;
        }
        Map<String, VerifiedFile> rec = readRecord(d.ref());
        for (ArtifactSpec a : d.artifacts()) {
            VerifiedFile v = rec.get(a.role());
            if (v == null || !matches(v, a) || !sizeIs(layout.file(d.ref(), a), v.size())) {
                return ModelStatus.NOT_DOWNLOADED;
            }
        }
        return ModelStatus.READY;
    }

    @Override
    public ValidationReport validate(ModelRef ref) {
        ModelDescriptor d = resolve(ref);
        Map<String, VerifiedFile> rec = readRecord(d.ref());
        List<ArtifactCheck> checks = new ArrayList<>();
        for (ArtifactSpec a : d.artifacts()) {
            Path f = layout.file(d.ref(), a);
            VerifiedFile v = rec.get(a.role());
            String expected = a.sha256() != null ? a.sha256() : v == null ? null : v.sha256();
            if (!Files.isRegularFile(f)) {
                checks.add(new ArtifactCheck(a.role(), f.toString(), expected, null, -1, false, "missing"));
                continue;
            }
            try {
                Checksum c = checksums.checksum(f);
                boolean ok = expected != null && expected.equals(c.sha256()) && (a.size() < 0 || a.size() == c.size());
                String msg = ok ? "ok" : expected == null ? "no checksum to compare with (never verified)"
                        : !expected.equals(c.sha256()) ? "checksum mismatch" : "size mismatch";
                checks.add(new ArtifactCheck(a.role(), f.toString(), expected, c.sha256(), c.size(), ok, msg));
            } catch (IOException e) {
                checks.add(new ArtifactCheck(a.role(), f.toString(), expected, null, -1, false, "unreadable: " + e.getMessage()));
            }
        }
        return new ValidationReport(d.ref(), checks);
    }

    @Override
    public List<ModelRef> remove(ModelRef ref) {
        List<ModelDescriptor> targets = ref.version() == null
                ? registry.versions(ref.name()).stream().map(v -> registry.get(new ModelRef(ref.name(), v))).toList()
                : List.of(resolve(ref));
        if (targets.isEmpty()) {
            throw new hub.api.ModelNotFoundException(ref.toString(), null);
        }
        List<ModelRef> removed = new ArrayList<>();
        for (ModelDescriptor d : targets) {
            if (status(d) == ModelStatus.DOWNLOADING) {
                throw new ArtifactException("cannot remove " + d.ref() + " while it is downloading", null);
            }
            Path dir = layout.versionDir(d.ref());
            if (Files.isDirectory(dir)) {
                deleteTree(dir);
                removed.add(d.ref());
            }
            failures.remove(d.ref());
        }
        return removed;
    }

    @Override
    public CleanupReport cleanup() {
        List<String> removed = new ArrayList<>();
        long[] freed = {0};
        try (Stream<Path> names = Files.list(layout.root())) {
            for (Path nameDir : names.filter(Files::isDirectory).toList()) {
                List<Path> versions;
                try (Stream<Path> vs = Files.list(nameDir)) {
                    versions = vs.filter(Files::isDirectory).toList();
                }
                for (Path vdir : versions) {
                    cleanVersion(nameDir.getFileName().toString(), vdir, removed, freed);
                }
                try (Stream<Path> left = Files.list(nameDir)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(nameDir);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cleanup of " + layout.root() + " failed: " + e.getMessage(), e);
        }
        return new CleanupReport(removed, freed[0]);
    }

    private void cleanVersion(String name, Path vdir, List<String> removed, long[] freed) throws IOException {
        String version = vdir.getFileName().toString();
        Optional<ModelDescriptor> d;
        try {
            d = registry.find(new ModelRef(name, version));
        } catch (IllegalArgumentException e) {
            d = Optional.empty();
        }
        if (d.isEmpty()) {
            freed[0] += deleteTree(vdir);
            removed.add("no catalog entry owns it: " + vdir);
            return;
        }
        ModelDescriptor desc = d.get();
        if (status(desc) == ModelStatus.DOWNLOADING) {
            return;
        }
        Map<String, VerifiedFile> rec = readRecord(desc.ref());
        List<Path> files;
        try (Stream<Path> fs = Files.list(vdir)) {
            files = fs.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String fn = f.getFileName().toString();
            if (fn.equals(CacheLayout.RECORD)) {
                continue;
            }
            long size = Files.size(f);
            if (fn.endsWith(CacheLayout.PART)) {
                Files.delete(f);
                freed[0] += size;
                removed.add("orphan partial: " + f);
                continue;
            }
            Optional<ArtifactSpec> a = desc.artifacts().stream().filter(x -> x.fileName().equals(fn)).findFirst();
            if (a.isEmpty()) {
                Files.delete(f);
                freed[0] += size;
                removed.add("not an artifact of " + desc.ref() + ": " + f);
                continue;
            }
            VerifiedFile v = rec.get(a.get().role());
            String expected = a.get().sha256() != null ? a.get().sha256() : v == null ? null : v.sha256();
            if (expected == null || !checksums.matches(f, expected)) {
                Files.delete(f);
                freed[0] += size;
                removed.add((expected == null ? "never verified: " : "invalid checksum: ") + f);
            }
        }
    }

    private static long deleteTree(Path root) {
        long[] bytes = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    bytes[0] += attrs.size();
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
        return bytes[0];
    }

    @Override
    public CacheInfo cacheInfo() {
        List<CacheEntry> entries = new ArrayList<>();
        long used = 0;
        try (Stream<Path> names = Files.list(layout.root())) {
            for (Path nameDir : names.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> vs = Files.list(nameDir)) {
                    for (Path vdir : vs.filter(Files::isDirectory).sorted().toList()) {
                        long bytes = treeSize(vdir);
                        used += bytes;
                        ModelRef ref;
                        try {
                            ref = new ModelRef(nameDir.getFileName().toString(), vdir.getFileName().toString());
                        } catch (IllegalArgumentException e) {
                            continue;
                        }
                        ModelStatus s = registry.find(ref).map(this::status).orElse(ModelStatus.ERROR);
                        entries.add(new CacheEntry(ref, bytes, s, Files.getLastModifiedTime(vdir).toInstant(), false));
                    }
                }
            }
            long free = Files.getFileStore(layout.root()).getUsableSpace();
            return new CacheInfo(layout.root(), (long) (config.maxSizeGb() * 1e9), used, free, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
