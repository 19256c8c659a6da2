package hub.core.internal.access;

import hub.core.internal.Mappers;
import com.fasterxml.jackson.core.type.TypeReference;
import hub.api.AccessTier;
import hub.api.access.ApiKey;
import hub.api.access.ApiKeys;
import hub.api.access.CreatedKey;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * API keys in {@code HOME/state/api-keys.json} (owner-only): per key its id, tier, role, label, creation time and the
 * SHA-256 of its secret. A key is {@code vmh_ID_SECRET} with 256 random bits of secret, so a plain hash is enough (no
 * slow hash is needed for keys nobody can guess); it is compared in constant time and never logged. The file is
 * re-read when it changes, so keys created by a command line process are valid at once in a serving hub.
 */
@Component(service = ApiKeys.class)
public class FileApiKeys implements ApiKeys {
    private static final String PREFIX = "vmh_";
    private final Path file;
    private final SecureRandom random = new SecureRandom();
    private Map<String, Stored> keys = Map.of();
    private Object readStamp = "unread";

    /** What the file keeps per key. */
    public record Stored(String id, String tier, boolean admin, String label, String created, String sha256) {
    }

    /**
     * @param home the hub home
     */
    @Activate
    public FileApiKeys(@Reference HubHome home) {
        this(home.state().resolve("api-keys.json"));
    }

    /**
     * @param file where keys are kept
     */
    public FileApiKeys(Path file) {
        this.file = file;
    }

    private synchronized Map<String, Stored> keys() {
        try {
            Object stamp = stamp();
            if (!stamp.equals(readStamp)) {
                Map<String, Stored> m = new LinkedHashMap<>();
                if (!stamp.equals("absent")) {
                    for (Stored s : Mappers.json().readValue(file.toFile(), new TypeReference<List<Stored>>() { })) {
                        m.put(s.id(), s);
                    }
                }
                keys = m;
                readStamp = stamp;
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API keys in " + file + ": " + e.getMessage(), e);
        }
    }

    /** What changes when the file is replaced: its identity (a new inode on each atomic write), time and size. */
    private Object stamp() throws IOException {
        if (!Files.isRegularFile(file)) {
            return "absent";
        }
        var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        return java.util.List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toString(), a.size());
    }

    private void write(Map<String, Stored> m) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".api-keys", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the home's own permissions protect it
                }
                Mappers.json().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new ArrayList<>(m.values()));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            keys = m;
            readStamp = stamp();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API keys to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized CreatedKey create(AccessTier tier, boolean admin, String label) {
        if (tier == null) {
            throw new IllegalArgumentException("a key needs a tier (lite, standard, professional)");
        }
        byte[] idBytes = new byte[6];
        byte[] secretBytes = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Instant now = Instant.now();
        Map<String, Stored> m = new LinkedHashMap<>(keys());
        m.put(id, new Stored(id, tier.id(), admin, label == null ? "" : label, now.toString(), sha256(secret)));
        write(m);
        return new CreatedKey(new ApiKey(id, tier, admin, label == null ? "" : label, now), secret);
    }

    @Override
    public List<ApiKey> list() {
        return keys().values().stream().map(FileApiKeys::key).toList();
    }

    @Override
    public synchronized boolean revoke(String id) {
        Map<String, Stored> m = new LinkedHashMap<>(keys());
        if (m.remove(id) == null) {
            return false;
        }
        write(m);
        return true;
    }

    @Override
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        int sep = secret.indexOf('_', PREFIX.length());
        if (sep < 0) {
            return Optional.empty();
        }
        Stored s = keys().get(secret.substring(PREFIX.length(), sep));
        byte[] expected = HexFormat.of().parseHex(s == null ? "00".repeat(32) : s.sha256());
        byte[] actual = HexFormat.of().parseHex(sha256(secret));
        // constant time whatever the key: a missing id still compares against a dummy hash
        boolean ok = MessageDigest.isEqual(expected, actual) && s != null;
        return ok ? Optional.of(key(s)) : Optional.empty();
    }

    private static ApiKey key(Stored s) {
        return new ApiKey(s.id(), AccessTier.parse(s.tier()), s.admin(), s.label(), Instant.parse(s.created()));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
