package hub.core.internal.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The hub home: configuration, custom catalog entries, the cache and state. The launcher names it in the framework
 * property {@value #PROPERTY} (from {@code --home} or {@code HUB_HOME}); the default is {@code ~/.vision-hub}.
 */
@Component(service = HubHome.class)
public class HubHome {
    /** Framework property naming the home directory. */
    public static final String PROPERTY = "hub.home";

    private final Path root;
    private String hubId;

    /**
     * @param context the bundle context, for the framework property
     */
    @Activate
    public HubHome(BundleContext context) {
        this(resolve(context.getProperty(PROPERTY), System.getenv("HUB_HOME")));
    }

    /**
     * A home outside the framework (tests and tools). A factory, not a second one-argument constructor: SCR picks the
     * constructor to inject by its number of parameters, so a component has only one public constructor of each size.
     *
     * @param root the home directory; created if missing
     * @return the home
     */
    public static HubHome at(Path root) {
        return new HubHome(root);
    }

    private HubHome(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            boolean created = !Files.exists(this.root);
            Files.createDirectories(this.root);
            if (created) {
                ownerOnly(this.root); // a new home is the owner's alone: keys, state and cached models
            }
            Files.createDirectories(catalog());
            Files.createDirectories(state());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create hub home " + this.root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes a directory (0700) or file (0600) readable by its owner only, where the file system has POSIX modes.
     *
     * @param path a directory or file
     */
    public static void ownerOnly(Path path) {
        try {
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: its own access rules apply
        }
    }

    static Path resolve(String property, String env) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".vision-hub");
    }

    /**
     * This home's hub id in a fleet: made once ({@code HOSTNAME-xxxxxx}) and kept in {@code state/hub-id}.
     *
     * @return the id
     */
    public synchronized String hubId() {
        if (hubId == null) {
            hubId = readOrMakeHubId();
        }
        return hubId;
    }

    private String readOrMakeHubId() {
        Path f = state().resolve("hub-id");
        try {
            if (Files.exists(f)) {
                String id = Files.readString(f).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "");
            } catch (IOException e) {
                host = "hub";
            }
            byte[] random = new byte[3];
            new java.security.SecureRandom().nextBytes(random);
            String id = (host.isEmpty() ? "hub" : host) + "-" + java.util.HexFormat.of().formatHex(random);
            Path tmp = Files.createTempFile(state(), "hub-id", ".tmp");
            Files.writeString(tmp, id + "\n");
            try {
                Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return Files.readString(f).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the hub id in " + f + ": " + e.getMessage(), e);
        }
    }

    /** @return the home directory */
    public Path root() {
        return root;
    }

    /** @return where custom catalog entries are kept, one JSON file per model version */
    public Path catalog() {
        return root.resolve("catalog");
    }

    /** @return the default cache directory */
    public Path defaultCache() {
        return root.resolve("cache");
    }

    /** @return the plug-ins folder, watched by File Install in every process of the home */
    public Path plugins() {
        return root.resolve("plugins");
    }

    /** @return runtime state (aliases, records) */
    public Path state() {
        return root.resolve("state");
    }

    /** @return vector index collections, one file each */
    public Path index() {
        return root.resolve("index");
    }

    /** @return configuration files watched by File Install */
    public Path config() {
        return root.resolve("config");
    }
}
