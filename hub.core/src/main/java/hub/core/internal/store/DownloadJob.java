package hub.core.internal.store;

import hub.api.ArtifactException;
import hub.api.ArtifactSpec;
import hub.api.ChecksumMismatchException;
import hub.api.ModelRef;
import hub.api.ModelStatus;
import hub.api.ProgressListener;
import hub.api.TransferProgress;
import hub.api.VerificationLevel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One artifact's transfer, start to publish. Holds the artifact's lock file (so two hub processes never transfer
 * the same file; the OS drops the lock of a killed process), streams into {@code .part} with SHA-256 in the same
 * pass, resumes with {@code Range}/{@code If-Range} after drops, retries transient failures with backoff, verifies
 * and publishes by atomic rename.
 */
final class DownloadJob {
    private static final int BUFFER = 1 << 20;

    /** Status changes, for Event Admin. */
    interface StatusSink {
        void status(ModelRef ref, String role, ModelStatus status, long bytes, long total, String error);
    }

    /** Settings of one job. */
    record Settings(VerificationLevel level, boolean force, int maxRetries, long backoffMillis) {
    }

    /** What the job did. */
    record Outcome(FileArtifactStore.VerifiedFile file, long bytesTransferred, long resumedFrom, boolean reused) {
    }

    private final ModelRef ref;
    private final ArtifactSpec artifact;
    private final CacheLayout layout;
    private final SourceFetcher fetcher;
    private final Settings settings;
    private final ProgressListener listener;
    private final StatusSink sink;
    private final VerificationRecords records;
    private long started;
    private long lastReport;

    DownloadJob(ModelRef ref, ArtifactSpec artifact, CacheLayout layout, SourceFetcher fetcher,
            Settings settings, ProgressListener listener, StatusSink sink, VerificationRecords records) {
        this.ref = ref;
        this.artifact = artifact;
        this.layout = layout;
        this.fetcher = fetcher;
        this.settings = settings;
        this.listener = listener;
        this.sink = sink;
        this.records = records;
    }

    /** One transfer attempt that failed and was retried (or was the last): what the history records of it. */
    record Attempt(Instant started, Instant ended, long bytes, long resumedFrom, String error) {
    }

    private final List<Attempt> attempts = new ArrayList<>();
    private String host = "the source";
    private volatile boolean cancelled;

    /** Stops the transfer at its next chunk; the part file stays for the next pull to resume. */
    void cancel() {
        cancelled = true;
    }

    private void checkCancelled() {
        if (cancelled) {
            throw new ArtifactException("download of " + what() + " cancelled (the next pull resumes where it stopped)",
                    null);
        }
    }
    private boolean connected;
    private Instant attemptStart = Instant.now();
    private long attemptOffset;

    /** @return the artifact this job transfers (its source: a mirror's or the origin's) */
    ArtifactSpec artifact() {
        return artifact;
    }

    /** @return the attempts of this job that failed, in order (each is a line of the download history) */
    List<Attempt> failedAttempts() {
        return List.copyOf(attempts);
    }

    private String what() {
        return ref + " " + artifact.role();
    }

    Outcome run() throws IOException {
        Path target = layout.file(ref, artifact);
        Files.createDirectories(target.getParent());
        try (FileChannel lockChannel = FileChannel.open(layout.lock(ref, artifact), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = acquire(lockChannel)) {
            FileArtifactStore.VerifiedFile known = records.read(ref).get(artifact.role());
            if (!settings.force() && known != null && FileArtifactStore.matches(known, artifact)
                    && FileArtifactStore.sizeIs(target, known.size())) {
                report(ModelStatus.READY, known.size(), known.size());
                return new Outcome(known, 0, 0, true); // another process published it while we waited
            }
            if (settings.force()) {
                deletePart();
            }
            started = System.nanoTime();
            sink.status(ref, artifact.role(), ModelStatus.DOWNLOADING, 0, artifact.size(), null);
            Fetched f = fetcher.isRanged(artifact.source()) ? fetchRanged() : fetchStream();
            sink.status(ref, artifact.role(), ModelStatus.VALIDATING, f.size, f.size, null);
            report(ModelStatus.VALIDATING, f.size, f.size);
            verify(f);
            publish(target);
            boolean tofu = artifact.sha256() == null;
            FileArtifactStore.VerifiedFile v = new FileArtifactStore.VerifiedFile(artifact.fileName(), f.sha256, f.size,
                    tofu, Instant.now().toString());
            records.put(ref, artifact.role(), v);
            report(ModelStatus.READY, f.size, f.size);
            sink.status(ref, artifact.role(), ModelStatus.READY, f.size, f.size, null);
            return new Outcome(v, f.size - f.resumedFrom, f.resumedFrom, false);
        }
    }

    private FileLock acquire(FileChannel ch) throws IOException {
        boolean announced = false;
        while (true) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return lock;
            }
            if (!announced) {
                announced = true;
                report(ModelStatus.DOWNLOADING, 0, artifact.size()); // another hub process is transferring it
            }
            sleep(100);
        }
    }

    /** The bytes in {@code .part}: their checksum, size and where this run resumed from. */
    private record Fetched(String sha256, long size, long resumedFrom) {
    }

    private Fetched fetchStream() throws IOException {
        deletePart();
        SourceFetcher.Opened src = fetcher.open(artifact.source());
        long total = artifact.size() >= 0 ? artifact.size() : src.length();
        MessageDigest md = Sha256ChecksumService.newDigest();
        try (InputStream in = src.in(); FileChannel out = FileChannel.open(layout.part(ref, artifact),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = copy(in, out, md, 0, total, null);
            return new Fetched(Sha256ChecksumService.hex(md), size, 0);
        }
    }

    private Fetched fetchRanged() throws IOException {
        host = fetcher.rangedHost(artifact.source());
        Path part = layout.part(ref, artifact);
        Path sidecarFile = layout.sidecar(ref, artifact);
        String source = artifact.source().toString();
        int failures = 0;
        while (true) {
            attemptStart = Instant.now();
            PartSidecar side = PartSidecar.read(sidecarFile);
            long offset = 0;
            if (side != null && source.equals(side.source()) && Files.isRegularFile(part)) {
                offset = Files.size(part);
                if (artifact.size() >= 0 && offset > artifact.size()) {
                    offset = 0;
                }
            }
            if (offset == 0) {
                deletePart();
                side = null;
            }
            attemptOffset = offset;
            MessageDigest md = Sha256ChecksumService.newDigest();
            try (SourceFetcher.Ranged r = fetcher.getRanged(artifact.source(), offset,
                    side == null ? null : side.validator())) {
                connected = true; // from now on a refused connection may be a restarting server: worth a retry
                if (r.status() == 416) {
                    deletePart(); // our range no longer fits the file on the server: start over
                    failures = retryOrFail(failures, new IOException("HTTP 416 for a stale range"));
                    continue;
                }
                if (r.status() >= 400 && r.status() < 500) {
                    deletePart();
                    throw new ArtifactException("HTTP " + r.status() + " from " + r.where() + " for " + what(), null);
                }
                if (r.status() >= 500) {
                    throw new IOException("HTTP " + r.status() + " from " + r.where());
                }
                long resumedFrom = offset;
                if (r.status() == 206 && r.rangeStart() != offset) {
                    deletePart();
                    failures = retryOrFail(failures, new IOException("server answered a range at " + r.rangeStart()
                            + " instead of " + offset));
                    continue;
                }
                if (r.status() != 206 && offset > 0) {
                    resumedFrom = 0; // the file changed (ETag) or the server ignores ranges: everything comes again
                    offset = 0;
                }
                if (offset > 0 && side.etag() != null && r.etag() != null && !side.etag().equals(r.etag())) {
                    deletePart();
                    failures = retryOrFail(failures, new IOException("ETag changed between attempts"));
                    continue;
                }
                long announced = r.contentLength() < 0 ? -1 : offset + r.contentLength();
                if (artifact.size() >= 0 && announced >= 0 && announced != artifact.size()) {
                    deletePart();
                    // the same failure as a wrong size after the transfer (exit 9), found before any byte comes
                    throw ChecksumMismatchException.size(what(), artifact.size(), announced, true);
                }
                long expected = artifact.size() >= 0 ? artifact.size() : announced;
                PartSidecar now = new PartSidecar(source, r.etag(), r.lastModified(), expected, offset);
                now.write(sidecarFile);
                if (offset > 0) {
                    hashPrefix(part, md, offset);
                }
                try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    out.truncate(offset);
                    out.position(offset);
                    long size = copy(r.body(), out, md, offset, expected, now);
                    if (expected >= 0 && size < expected) {
                        throw new IOException("connection closed at " + size + " of " + expected + " bytes");
                    }
                    return new Fetched(Sha256ChecksumService.hex(md), size, resumedFrom);
                }
            } catch (IOException e) {
                failures = retryOrFail(failures, e);
            }
        }
    }

    private int retryOrFail(int failures, IOException e) {
        long bytes = 0;
        try {
            Path part = layout.part(ref, artifact);
            bytes = Files.isRegularFile(part) ? Math.max(0, Files.size(part) - attemptOffset) : 0;
        } catch (IOException ignored) {
            // the bytes of this attempt are unknown
        }
        attempts.add(new Attempt(attemptStart, Instant.now(), bytes, attemptOffset, e.getMessage()));
        String unreachable = connected ? null : unreachable(e, host);
        if (unreachable != null) {
            // no retry will find a host DNS does not know or a port nobody listens on: say so at once
            throw new ArtifactException("cannot reach " + unreachable + " (offline?) for " + what() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        int n = failures + 1;
        if (n > settings.maxRetries()) {
            throw new ArtifactException("download of " + what() + " from " + SourceFetcher.redact(artifact.source())
                    + " failed after " + n + " attempts: " + e.getMessage(), e);
        }
        long base = settings.backoffMillis() * (1L << Math.min(n - 1, 6));
        long wait = Math.min(base, 10_000) + ThreadLocalRandom.current().nextLong(Math.max(1, base / 4));
        listener.onRetry(new hub.api.TransferRetry(ref, artifact.role(), n, settings.maxRetries() + 1,
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), Duration.ofMillis(wait)));
        System.getLogger(DownloadJob.class.getName()).log(System.Logger.Level.WARNING,
                "{0}: attempt {1} of {2} failed ({3}); retrying in {4} ms", what(), n, settings.maxRetries() + 1,
                e.getMessage(), wait);
        for (long slept = 0; slept < wait; slept += 100) {
            checkCancelled();
            sleep(Math.min(100, wait - slept));
        }
        return n;
    }

    private long copy(InputStream in, FileChannel out, MessageDigest md, long start, long expected, PartSidecar side)
            throws IOException {
        long pos = start;
        long lastSidecar = System.nanoTime();
        try (PipelinedHasher hasher = new PipelinedHasher(md, 4, BUFFER)) {
            while (true) {
                byte[] buf = hasher.buffer();
                // read one byte past what is declared, so that an overlong body is caught, not truncated
                int want = expected >= 0 ? (int) Math.min(buf.length, expected - pos + 1) : buf.length;
                checkCancelled();
                int n = in.readNBytes(buf, 0, Math.max(1, want));
                if (n == 0) {
                    hasher.release(buf);
                    break;
                }
                if (expected >= 0 && pos + n > expected) {
                    deletePart();
                    throw new ArtifactException("source " + SourceFetcher.redact(artifact.source())
                            + " sent more than the declared " + expected + " bytes for " + what(), null);
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                hasher.hash(buf, n);
                pos += n;
                long now = System.nanoTime();
                if (now - lastReport > 100_000_000L) {
                    report(ModelStatus.DOWNLOADING, pos, expected);
                }
                if (side != null && now - lastSidecar > 1_000_000_000L) {
                    lastSidecar = now;
                    new PartSidecar(side.source(), side.etag(), side.lastModified(), side.expectedSize(), pos)
                            .write(layout.sidecar(ref, artifact));
                }
            }
            hasher.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("interrupted while transferring " + what(), e);
        }
        return pos;
    }

    private static void hashPrefix(Path part, MessageDigest md, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
            long left = length;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException("partial file shorter than recorded");
                }
                buf.flip();
                md.update(buf);
                left -= n;
            }
        }
    }

    private void verify(Fetched f) throws IOException {
        VerificationLevel level = settings.level();
        if (level == VerificationLevel.NONE) {
            return;
        }
        if (artifact.size() >= 0 && f.size != artifact.size()) {
            deletePart();
            throw ChecksumMismatchException.size(what(), artifact.size(), f.size, false);
        }
        // the SHA-256 is computed in the same pass whatever the level: a published one that does not match is
        // refused at the size level too, never placed
        if (artifact.sha256() != null && !artifact.sha256().equals(f.sha256)) {
            deletePart();
            throw new ChecksumMismatchException(what(), artifact.sha256(), f.sha256, true);
        }
        if (level == VerificationLevel.SHA256 && artifact.sha256() == null) {
            System.getLogger(DownloadJob.class.getName()).log(System.Logger.Level.WARNING,
                    "{0}: no published checksum; recording sha256 {1} at first download", what(), f.sha256);
        }
    }

    private void publish(Path target) throws IOException {
        Path part = layout.part(ref, artifact);
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        hub.core.internal.home.HubHome.ownerOnly(target); // cached models are not readable by other users
        Files.deleteIfExists(layout.sidecar(ref, artifact));
    }

    private void deletePart() throws IOException {
        Files.deleteIfExists(layout.part(ref, artifact));
        Files.deleteIfExists(layout.sidecar(ref, artifact));
    }

    private void report(ModelStatus status, long bytes, long total) {
        lastReport = System.nanoTime();
        double secs = Math.max(1e-9, (lastReport - started) / 1e9);
        double rate = started == 0 ? 0 : bytes / secs;
        Duration eta = total > 0 && rate > 0 ? Duration.ofMillis((long) ((total - bytes) / rate * 1000)) : null;
        listener.onProgress(new TransferProgress(ref, artifact.role(), status, bytes, total, rate, eta));
    }

    /**
     * @param e why an attempt failed
     * @return the host, when the failure is one no retry mends (DNS does not know the host, nothing listens on the
     *         port, no route), or null
     */
    static String unreachable(Throwable e, String host) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return host;
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException) {
                return host;
            }
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("interrupted", e);
        }
    }

}
