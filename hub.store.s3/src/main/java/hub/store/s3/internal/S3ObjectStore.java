package hub.store.s3.internal;

import hub.api.ArtifactException;
import hub.api.objectstore.ObjectInfo;
import hub.api.objectstore.ObjectRead;
import hub.api.objectstore.ObjectStore;
import hub.api.objectstore.UploadProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://BUCKET/KEY} through the AWS SDK for Java 2 with the JDK's HTTP client (passed explicitly: the SDK's
 * {@code ServiceLoader} lookup of an HTTP client is not needed inside OSGi). The SDK does not retry: the hub's transfer
 * does, with its own back-off and reporting, on what this store calls transient ({@link IOException}).
 */
@Component(service = ObjectStore.class, configurationPid = "hub.store", property = ObjectStore.SCHEME + "=s3")
public class S3ObjectStore implements ObjectStore {
    private static final long MIB = 1L << 20;
    private final S3Client s3;
    private final String described;
    private final long partSize;

    /**
     * @param config the {@code hub.store} configuration
     */
    @Activate
    public S3ObjectStore(S3Config config) {
        this(config, System::getenv);
    }

    private S3ObjectStore(S3Config config, Function<String, String> env) {
        Settings s = Settings.of(config, env);
        this.described = s.describe();
        this.partSize = Math.max(5, config.s3PartSizeMb()) * MIB;
        // the SDK reads resources (interceptors, endpoint rules) through the context class loader: this bundle's
        this.s3 = withBundleLoader(() -> {
            var b = S3Client.builder()
                    .httpClient(UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(Math.max(1, config.timeoutSeconds())))
                            .socketTimeout(Duration.ofSeconds(Math.max(1, config.timeoutSeconds()))).build())
                    .region(Region.of(s.region()))
                    .credentialsProvider(s.credentials())
                    .forcePathStyle(s.pathStyle())
                    // only the checksums S3 requires: S3-compatible stores do not all know the newer trailing ones,
                    // and the hub verifies every artifact's SHA-256 itself
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
            if (s.endpoint() != null) {
                b.endpointOverride(s.endpoint());
            }
            return b.build();
        });
    }

    /**
     * A store with an environment of its own (tests).
     *
     * @param config settings
     * @param env the environment
     * @return the store
     */
    public static S3ObjectStore withEnv(S3Config config, Function<String, String> env) {
        return new S3ObjectStore(config, env);
    }

    /** @return the SDK client (tests create buckets with it) */
    S3Client client() {
        return s3;
    }

    @Deactivate
    public void close() {
        s3.close();
    }

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public String describe() {
        return described;
    }

    @Override
    public ObjectRead read(URI uri, long offset, String ifMatch) throws IOException {
        Loc l = Loc.of(uri);
        return call(uri, "read", () -> {
            try {
                return open(l, offset, ifMatch);
            } catch (AwsServiceException e) {
                if (offset > 0 && (e.statusCode() == 412 || e.statusCode() == 416)) {
                    return open(l, 0, null); // changed since the earlier bytes, or shorter: all of it again
                }
                throw e;
            }
        });
    }

    private ObjectRead open(Loc l, long offset, String ifMatch) {
        ResponseInputStream<GetObjectResponse> in = s3.getObject(g -> {
            g.bucket(l.bucket()).key(l.key());
            if (offset > 0) {
                g.range("bytes=" + offset + "-");
                if (ifMatch != null) {
                    g.ifMatch(ifMatch);
                }
            }
        });
        GetObjectResponse r = in.response();
        long start = 0;
        long size = r.contentLength() == null ? -1 : r.contentLength();
        String range = r.contentRange();
        if (range != null && range.startsWith("bytes ")) { // bytes START-END/SIZE
            String spec = range.substring(6);
            start = Long.parseLong(spec.substring(0, spec.indexOf('-')).trim());
            String total = spec.substring(spec.indexOf('/') + 1).trim();
            size = total.equals("*") ? -1 : Long.parseLong(total);
        } else if (offset > 0) {
            start = 0; // the whole object came
        }
        return new ObjectRead(in, start, size, r.eTag());
    }

    @Override
    public Optional<ObjectInfo> stat(URI uri) throws IOException {
        Loc l = Loc.of(uri);
        return call(uri, "stat", () -> {
            try {
                HeadObjectResponse h = s3.headObject(b -> b.bucket(l.bucket()).key(l.key()));
                return Optional.of(new ObjectInfo(uri, h.contentLength(), h.eTag(), h.lastModified(), h.metadata()));
            } catch (AwsServiceException e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public List<ObjectInfo> list(URI prefix) throws IOException {
        Loc l = Loc.of(prefix);
        return call(prefix, "list", () -> {
            List<ObjectInfo> out = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(l.bucket()).prefix(l.key())).contents()) {
                out.add(new ObjectInfo(URI.create("s3://" + l.bucket() + "/" + o.key()), o.size(), o.eTag(),
                        o.lastModified(), Map.of()));
            }
            return out;
        });
    }

    @Override
    public ObjectInfo write(URI uri, Path file, Map<String, String> metadata, UploadProgress progress)
            throws IOException {
        Loc l = Loc.of(uri);
        long size = Files.size(file);
        UploadProgress p = progress == null ? (s, t, r) -> { } : progress;
        return call(uri, "write", () -> {
            if (size <= partSize) {
                s3.putObject(b -> b.bucket(l.bucket()).key(l.key()).metadata(metadata), RequestBody.fromFile(file));
                p.stored(size, size, 0);
            } else {
                multipart(l, file, size, metadata, p);
            }
            HeadObjectResponse h = s3.headObject(b -> b.bucket(l.bucket()).key(l.key()));
            return new ObjectInfo(uri, h.contentLength(), h.eTag(), h.lastModified(), h.metadata());
        });
    }

    /**
     * A multipart upload that resumes: an unfinished upload of the same key is continued, each of its parts kept only
     * when its MD5 (S3's part ETag) matches the file's bytes at that place, so a different file never mixes in.
     */
    private void multipart(Loc l, Path file, long size, Map<String, String> metadata, UploadProgress p) {
        String uploadId = null;
        Map<Integer, Part> stored = new HashMap<>();
        for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(l.bucket()).prefix(l.key())).uploads()) {
            if (u.key().equals(l.key())) {
                uploadId = u.uploadId();
            }
        }
        if (uploadId != null) {
            String id = uploadId;
            for (Part part : s3.listPartsPaginator(b -> b.bucket(l.bucket()).key(l.key()).uploadId(id)).parts()) {
                stored.put(part.partNumber(), part);
            }
        } else {
            uploadId = s3.createMultipartUpload(b -> b.bucket(l.bucket()).key(l.key()).metadata(metadata)).uploadId();
        }
        String id = uploadId;
        int parts = (int) ((size + partSize - 1) / partSize);
        List<CompletedPart> done = new ArrayList<>();
        long sent = 0;
        long reused = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n = 1; n <= parts; n++) {
                long off = (n - 1) * partSize;
                long len = Math.min(partSize, size - off);
                String md5 = md5(ch, off, len);
                Part have = stored.get(n);
                String etag;
                if (have != null && have.size() == len && unquote(have.eTag()).equalsIgnoreCase(md5)) {
                    etag = have.eTag();
                    reused += len;
                } else {
                    int number = n;
                    ch.position(off);
                    InputStream in = Channels.newInputStream(ch);
                    etag = s3.uploadPart(b -> b.bucket(l.bucket()).key(l.key()).uploadId(id).partNumber(number)
                            .contentLength(len).contentMD5(java.util.Base64.getEncoder()
                                    .encodeToString(HexFormat.of().parseHex(md5))),
                            RequestBody.fromInputStream(bounded(in, len), len)).eTag();
                }
                done.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                sent += len;
                p.stored(sent, size, reused);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.completeMultipartUpload(b -> b.bucket(l.bucket()).key(l.key()).uploadId(id)
                .multipartUpload(m -> m.parts(done)));
    }

    private static InputStream bounded(InputStream in, long len) {
        return new java.io.FilterInputStream(in) {
            long left = len;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int n) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int r = super.read(buf, off, (int) Math.min(n, left));
                if (r > 0) {
                    left -= r;
                }
                return r;
            }

            @Override
            public void close() {
                // the channel is the caller's
            }
        };
    }

    private static String md5(FileChannel ch, long off, long len) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 20);
            long pos = off;
            long end = off + len;
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new IOException("file shorter than expected");
                }
                buf.flip();
                md.update(buf);
                pos += n;
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    /**
     * Runs an SDK call with this bundle's class loader as context loader and sorts its failures: transient ones
     * (I/O, 5xx, throttling) become {@link IOException}, final ones one line of {@link ArtifactException}.
     */
    private <T> T call(URI uri, String what, Supplier<T> call) throws IOException {
        try {
            return withBundleLoader(call);
        } catch (AwsServiceException e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                    ? firstLine(e.getMessage()) : e.awsErrorDetails().errorMessage();
            String line = "S3 " + what + " of " + uri + " refused: " + message + " (" + (code == null ? "" : code + ", ")
                    + "HTTP " + status + ", " + described + ")";
            if (status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code)) {
                throw new IOException(line, e);
            }
            throw new ArtifactException(line + hint(status, code), null);
        } catch (SdkClientException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IOException io) {
                    throw new IOException("S3 " + what + " of " + uri + " at " + described + ": "
                            + firstLine(io.toString()), io);
                }
            }
            throw new ArtifactException("S3 " + what + " of " + uri + " failed: " + firstLine(e.getMessage()) + " ("
                    + described + ")", null);
        } catch (SdkException e) {
            throw new IOException("S3 " + what + " of " + uri + " at " + described + ": " + firstLine(e.getMessage()), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String hint(int status, String code) {
        if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code) || status == 403) {
            return "; check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the profile, or s3AccessKeyId"
                    + " and s3SecretKeyFile in config/hub.store.cfg)";
        }
        return "";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static <T> T withBundleLoader(Supplier<T> call) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(S3ObjectStore.class.getClassLoader());
        try {
            return call.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** A bucket and key. */
    record Loc(String bucket, String key) {
        static Loc of(URI uri) {
            if (uri == null || !"s3".equalsIgnoreCase(uri.getScheme()) || uri.getAuthority() == null) {
                throw new ArtifactException("invalid S3 location '" + uri + "' (expected s3://BUCKET/KEY)", null);
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            return new Loc(uri.getAuthority(), path.startsWith("/") ? path.substring(1) : path);
        }
    }

    /** The client's settings from configuration, the environment and the profile files, in that order. */
    record Settings(URI endpoint, String region, boolean pathStyle, AwsCredentialsProvider credentials,
            String credentialSource) {
        static Settings of(S3Config c, Function<String, String> env) {
            String profile = first(c.s3Profile(), env.apply("AWS_PROFILE"), "default");
            String endpoint = first(c.s3Endpoint(), env.apply("AWS_ENDPOINT_URL_S3"), env.apply("AWS_ENDPOINT_URL"));
            String region = first(c.s3Region(), env.apply("AWS_REGION"), env.apply("AWS_DEFAULT_REGION"));
            if (region == null) {
                region = profileRegion(profile);
            }
            AwsCredentialsProvider creds;
            String source;
            String id = first(c.s3AccessKeyId(), null, null);
            if (id != null) {
                String secretFile = c.s3SecretKeyFile();
                if (secretFile == null || secretFile.isBlank()) {
                    throw new IllegalArgumentException("hub.store s3AccessKeyId is set without s3SecretKeyFile");
                }
                String secret;
                try {
                    secret = Files.readAllLines(Path.of(secretFile)).stream().findFirst().orElse("").trim();
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read s3SecretKeyFile " + secretFile + ": " + e, e);
                }
                creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
                source = "hub.store configuration";
            } else if (first(env.apply("AWS_ACCESS_KEY_ID"), null, null) != null) {
                String key = env.apply("AWS_ACCESS_KEY_ID");
                String secret = first(env.apply("AWS_SECRET_ACCESS_KEY"), "", null);
                String token = env.apply("AWS_SESSION_TOKEN");
                creds = StaticCredentialsProvider.create(token == null || token.isBlank()
                        ? AwsBasicCredentials.create(key, secret) : AwsSessionCredentials.create(key, secret, token));
                source = "environment";
            } else {
                creds = ProfileCredentialsProvider.builder().profileName(profile).build();
                source = "profile " + profile;
            }
            return new Settings(endpoint == null ? null : URI.create(endpoint), region == null ? "us-east-1" : region,
                    c.s3PathStyle(), creds, source);
        }

        String describe() {
            return (endpoint == null ? "AWS S3" : endpoint.toString()) + " in " + region
                    + (pathStyle ? ", path-style" : "") + ", credentials from the " + credentialSource;
        }

        private static String profileRegion(String profile) {
            try {
                return ProfileFile.defaultProfileFile().profile(profile).flatMap(p -> p.property("region"))
                        .orElse(null);
            } catch (RuntimeException e) {
                return null; // no profile files
            }
        }

        private static String first(String a, String b, String c) {
            for (String s : new String[] {a, b, c}) {
                if (s != null && !s.isBlank()) {
                    return s.trim();
                }
            }
            return null;
        }
    }

}
