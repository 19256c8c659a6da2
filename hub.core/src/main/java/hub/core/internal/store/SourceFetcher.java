package hub.core.internal.store;

import hub.api.ArtifactException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Opens the byte stream of an artifact source: {@code file:}, {@code maven:G:A:V!/path} (local repository first,
 * then the configured remote), {@code https:} / {@code http:}, and {@code hf://ORG/REPO/PATH[@REVISION]}.
 */
public final class SourceFetcher {
    /** An open source stream and its length when known. */
    record Opened(InputStream in, long length) {
    }

    /** An HTTP(S) location and the bearer token to send there (only for hf: sources). */
    record HttpTarget(URI uri, String bearerToken) {
    }

    private final StoreConfig config;
    private final Path mavenLocal;
    private final HttpSource http;
    private final String hfEndpoint;
    private final String hfToken;
    private final java.util.function.Function<String, hub.api.objectstore.ObjectStore> objectStores;

    public SourceFetcher(StoreConfig config, String hfEndpoint, String hfToken) {
        this(config, hfEndpoint, hfToken, scheme -> null);
    }

    /**
     * @param config the store's settings
     * @param hfEndpoint the Hugging Face endpoint, or null
     * @param hfToken the Hugging Face token, or null
     * @param objectStores the object store serving a scheme ({@code s3}), or null when none does
     */
    public SourceFetcher(StoreConfig config, String hfEndpoint, String hfToken,
            java.util.function.Function<String, hub.api.objectstore.ObjectStore> objectStores) {
        this.objectStores = objectStores;
        this.config = config;
        this.mavenLocal = config.mavenLocalRepository().isBlank()
                ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                : Path.of(config.mavenLocalRepository());
        this.http = new HttpSource(config.timeoutSeconds() * 1000, config.maxRedirects(), config.allowHttp());
        this.hfEndpoint = hfEndpoint == null || hfEndpoint.isBlank() ? "https://huggingface.co"
                : hfEndpoint.replaceAll("/+$", "");
        this.hfToken = hfToken == null || hfToken.isBlank() ? null : hfToken;
    }

    boolean isHttp(URI source) {
        String scheme = source.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https") || scheme.equals("hf");
    }

    /** @return whether the source is read in ranges, so a transfer resumes after a drop (HTTP, object stores) */
    boolean isRanged(URI source) {
        return isHttp(source) || isObjectStore(source);
    }

    private boolean isObjectStore(URI source) {
        return OBJECT_SCHEMES.contains(source.getScheme().toLowerCase(Locale.ROOT));
    }

    /** Schemes that name an object store (served by a bundle of their own). */
    static final java.util.Set<String> OBJECT_SCHEMES = java.util.Set.of("s3");

    /**
     * @param scheme an object store's scheme
     * @return the store serving it
     * @throws ArtifactException when no installed bundle serves it
     */
    hub.api.objectstore.ObjectStore objectStore(String scheme) {
        hub.api.objectstore.ObjectStore s = objectStores.apply(scheme.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new ArtifactException("no object store for " + scheme + ": sources is running (the hub.store."
                    + scheme.toLowerCase(Locale.ROOT) + " bundle serves them)", null);
        }
        return s;
    }

    /**
     * One ranged read's answer, from an HTTP server or an object store.
     *
     * @param status 200 (the whole body) or 206 (from {@code rangeStart}); HTTP errors as their status
     * @param body the bytes
     * @param contentLength bytes in the body, or -1
     * @param etag the validator of the bytes (entity tag), or null
     * @param lastModified the HTTP Last-Modified, or null
     * @param rangeStart where a 206 body starts
     * @param where the final location, for messages (no credential)
     * @param closer closes the answer
     */
    record Ranged(int status, InputStream body, long contentLength, String etag, String lastModified,
            long rangeStart, String where, java.io.Closeable closer) implements AutoCloseable {
        @Override
        public void close() {
            try {
                closer.close();
            } catch (IOException e) {
                // closing a dropped connection
            }
        }
    }

    /** @return the host a ranged source reaches, for messages */
    String rangedHost(URI source) {
        if (isObjectStore(source)) {
            return objectStore(source.getScheme()).describe();
        }
        URI u = httpTarget(source).uri();
        return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
    }

    /**
     * Reads a ranged source from an offset.
     *
     * @param source the artifact's source
     * @param offset the first byte wanted
     * @param validator the validator of the bytes before it (HTTP {@code If-Range}, an object's entity tag), or null
     * @return the answer
     * @throws IOException on a transient failure
     */
    Ranged getRanged(URI source, long offset, String validator) throws IOException {
        if (isObjectStore(source)) {
            hub.api.objectstore.ObjectRead r = objectStore(source.getScheme()).read(source, offset, validator);
            long length = r.size() < 0 ? -1 : r.size() - r.offset();
            return new Ranged(r.offset() > 0 ? 206 : 200, r.body(), length, r.etag(), null, r.offset(),
                    source.toString(), r);
        }
        HttpTarget t = httpTarget(source);
        HttpSource.Response r = http.get(t.uri(), t.bearerToken(), offset, validator);
        return new Ranged(r.status(), r.body(), r.contentLength(), r.etag(), r.lastModified(), r.rangeStart(),
                redact(r.finalUri()), r::close);
    }

    HttpTarget httpTarget(URI source) {
        String scheme = source.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("hf")) {
            return new HttpTarget(resolveHf(source), hfToken);
        }
        return new HttpTarget(source, null);
    }

    /** Opens any source as a stream (no resume); HTTP sources go through {@link DownloadJob} instead when possible. */
    Opened open(URI source) throws IOException {
        String scheme = source.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file": {
                Path p = Path.of(source);
                return new Opened(Files.newInputStream(p), Files.size(p));
            }
            case "maven":
                return openMaven(source.getSchemeSpecificPart());
            case "https":
            case "http":
            case "hf": {
                HttpTarget t = httpTarget(source);
                HttpSource.Response r = http.get(t.uri(), t.bearerToken(), 0, null);
                if (r.status() / 100 != 2) {
                    r.close();
                    throw new ArtifactException("HTTP " + r.status() + " from " + redact(r.finalUri()), null);
                }
                return new Opened(new FilterInputStream(r.body()) {
                    @Override
                    public void close() {
                        r.close();
                    }
                }, r.contentLength());
            }
            case "s3": {
                hub.api.objectstore.ObjectRead r = objectStore(scheme).read(source, 0, null);
                return new Opened(r.body(), r.size());
            }
            default:
                throw new ArtifactException("unsupported source scheme '" + scheme + "' in " + source
                        + " (https, http, file, maven, hf, s3)", null);
        }
    }

    /** {@code hf://ORG/REPO/PATH[@REVISION]} to {@code {endpoint}/ORG/REPO/resolve/REVISION/PATH}. */
    URI resolveHf(URI source) {
        String spec = source.getSchemeSpecificPart().replaceFirst("^//", "");
        String revision = "main";
        int at = spec.lastIndexOf('@');
        if (at > 0) {
            revision = spec.substring(at + 1);
            spec = spec.substring(0, at);
        }
        String[] parts = spec.split("/", 3);
        if (parts.length < 3 || parts[2].isEmpty()) {
            throw new ArtifactException("invalid hf source '" + source + "' (expected hf://ORG/REPO/PATH[@REVISION])", null);
        }
        return URI.create(hfEndpoint + "/" + parts[0] + "/" + parts[1] + "/resolve/" + revision + "/" + parts[2]);
    }

    static String redact(URI uri) {
        return uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }

    private Opened openMaven(String spec) throws IOException {
        int bang = spec.indexOf("!/");
        if (bang < 0) {
            throw new ArtifactException("invalid maven source 'maven:" + spec
                    + "' (expected maven:GROUP:ARTIFACT:VERSION!/path/in/jar)", null);
        }
        String entryName = spec.substring(bang + 2);
        if (entryName.isEmpty()) {
            throw new ArtifactException("invalid maven source 'maven:" + spec
                    + "' (expected maven:GROUP:ARTIFACT:VERSION!/path/in/jar)", null);
        }
        Path jar = mavenJar(spec.substring(0, bang));
        ZipFile zip = new ZipFile(jar.toFile());
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            zip.close();
            throw new ArtifactException("no entry " + entryName + " in " + jar, null);
        }
        InputStream in = new FilterInputStream(zip.getInputStream(entry)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    zip.close();
                }
            }
        };
        return new Opened(in, entry.getSize());
    }

    /**
     * The jar of {@code GROUP:ARTIFACT:VERSION}: the local repository's copy, else fetched from the remote repository
     * together with its published {@code .sha1}. Where a {@code .sha1} sits beside the jar (Maven keeps the one it
     * downloaded), the jar must match it.
     *
     * @param coordinates {@code GROUP:ARTIFACT:VERSION}
     * @return the jar in the local repository
     * @throws IOException when it cannot be had or does not match its checksum
     */
    public Path mavenJar(String coordinates) throws IOException {
        String[] gav = coordinates.split(":");
        if (gav.length != 3 || java.util.Arrays.stream(gav).anyMatch(p -> !p.matches("[A-Za-z0-9_.-]+"))) {
            throw new ArtifactException("invalid maven coordinates '" + coordinates + "' (expected GROUP:ARTIFACT:VERSION)",
                    null);
        }
        String rel = gav[0].replace('.', '/') + "/" + gav[1] + "/" + gav[2] + "/" + gav[1] + "-" + gav[2] + ".jar";
        Path jar = mavenLocal.resolve(rel);
        Path sha1 = jar.resolveSibling(jar.getFileName() + ".sha1");
        if (!Files.isRegularFile(jar)) {
            String remote = config.mavenRemoteRepository().replaceAll("/+$", "") + "/" + rel;
            fetchJar(URI.create(remote + ".sha1"), sha1);
            fetchJar(URI.create(remote), jar);
        }
        if (Files.isRegularFile(sha1)) {
            String expected = Files.readString(sha1).trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
            String actual;
            try (InputStream in = Files.newInputStream(jar)) {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-1");
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0;) {
                    md.update(buf, 0, n);
                }
                actual = java.util.HexFormat.of().formatHex(md.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            if (!actual.equals(expected)) {
                throw new ArtifactException(jar + " does not match its published checksum: SHA-1 " + actual
                        + ", expected " + expected, null);
            }
        }
        return jar;
    }

    private void fetchJar(URI remote, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".download");
        try {
            Opened o = open(remote);
            try (InputStream in = o.in()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
