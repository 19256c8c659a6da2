package hub.core.internal.plugin;

import hub.api.embedding.VisionEmbeddingService;
import hub.api.plugin.PluginException;
import hub.api.plugin.PluginInfo;
import hub.api.plugin.PluginManager;
import hub.api.spi.ModelLoader;
import hub.core.internal.home.HubHome;
import hub.core.internal.store.SourceFetcher;
import hub.core.internal.store.StoreConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * The plug-ins folder {@code HOME/plugins/}, which Felix File Install watches in every process of the home (the
 * launcher adds it to {@code felix.fileinstall.dir}): this service only writes and reads the folder and reports what
 * each jar became in this hub; installing, updating, starting and uninstalling the bundles is File Install's.
 */
@Component(service = PluginManager.class, configurationPid = "hub.store")
public class FilePluginManager implements PluginManager {
    static final String NOT_INSTALLED = "NOT_INSTALLED";
    private static final Logger LOG = Logger.getLogger(FilePluginManager.class.getName());

    private final BundleContext context;
    private final Path folder;
    private final ServiceComponentRuntime scr;
    private final SourceFetcher fetcher;

    /**
     * @param context this bundle's context (the framework's bundles and services)
     * @param home the hub home
     * @param scr the component runtime, to say which service a plug-in's component waits for
     * @param config the store's settings (Maven repositories)
     */
    @Activate
    public FilePluginManager(BundleContext context, @Reference HubHome home, @Reference ServiceComponentRuntime scr,
            StoreConfig config) {
        this.context = context;
        this.folder = home.plugins();
        this.scr = scr;
        this.fetcher = new SourceFetcher(config, null, null);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            LOG.warning("cannot create the plug-ins folder " + folder + ": " + e.getMessage());
        }
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public List<PluginInfo> list() {
        List<PluginInfo> out = new ArrayList<>();
        for (Path jar : jars()) {
            out.add(info(jar));
        }
        return out;
    }

    private List<Path> jars() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, "*.jar")) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new PluginException("cannot read the plug-ins folder " + folder + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** File Install's location of a jar: its file URI. */
    static String location(Path jar) {
        return jar.toFile().toURI().normalize().toString();
    }

    private Optional<Bundle> bundleOf(Path jar) {
        String location = location(jar);
        for (Bundle b : context.getBundles()) {
            if (location.equals(b.getLocation())) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    PluginInfo info(Path jar) {
        String file = jar.getFileName().toString();
        Optional<Bundle> bundle = bundleOf(jar);
        if (bundle.isEmpty()) {
            Manifest m = manifest(jar);
            Attributes a = m == null ? null : m.getMainAttributes();
            String bsn = a == null ? null : symbolicName(a.getValue(Constants.BUNDLE_SYMBOLICNAME));
            String version = a == null ? null : a.getValue(Constants.BUNDLE_VERSION);
            String problem;
            if (bsn == null) {
                problem = "not an OSGi bundle (its manifest has no Bundle-SymbolicName)";
            } else {
                problem = clash(bsn, version).filter(b -> !isPlugin(b) || Files.exists(Path.of(java.net.URI.create(b.getLocation()))))
                        .map(b -> "the hub already has " + bsn + " " + b.getVersion() + " (" + b.getLocation() + ")")
                        .orElse("not installed yet (File Install checks the folder every 2 s)");
            }
            return new PluginInfo(file, bsn, version, NOT_INSTALLED, List.of(), List.of(), problem);
        }
        Bundle b = bundle.get();
        List<String> families = new ArrayList<>();
        List<String> embedders = new ArrayList<>();
        ServiceReference<?>[] provided = b.getRegisteredServices();
        if (provided != null) {
            for (ServiceReference<?> r : provided) {
                List<String> classes = List.of((String[]) r.getProperty(Constants.OBJECTCLASS));
                if (classes.contains(ModelLoader.class.getName()) && r.getProperty("hub.model.family") != null) {
                    families.add(String.valueOf(r.getProperty("hub.model.family")));
                }
                if (classes.contains(VisionEmbeddingService.class.getName()) && r.getProperty("hub.embedding.id") != null) {
                    embedders.add(String.valueOf(r.getProperty("hub.embedding.id")));
                }
            }
        }
        return new PluginInfo(file, b.getSymbolicName(), b.getVersion().toString(), state(b), families.stream().distinct().toList(),
                embedders.stream().distinct().toList(), problem(b));
    }

    private static String symbolicName(String header) {
        return header == null ? null : header.split(";")[0].trim();
    }

    /** A bundle of the same name and version from elsewhere, which makes File Install's install fail. */
    private Optional<Bundle> clash(String bsn, String version) {
        Version v = version == null ? Version.emptyVersion : Version.parseVersion(version.trim());
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && v.equals(b.getVersion())) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    /** Why the bundle does not work, in one line: a package nothing exports, or a service a component waits for. */
    private String problem(Bundle b) {
        if (b.getState() == Bundle.INSTALLED) {
            return missingPackage(b).orElse("not resolved");
        }
        if (b.getState() == Bundle.RESOLVED) {
            return (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) ? null : "resolved but not started";
        }
        if (b.getState() != Bundle.ACTIVE) {
            return null;
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && c.unsatisfiedReferences.length > 0) {
                    UnsatisfiedReferenceDTO r = c.unsatisfiedReferences[0];
                    String service = java.util.Arrays.stream(d.references).filter(x -> x.name.equals(r.name))
                            .map(x -> x.interfaceName).findFirst().orElse(r.name);
                    return "component " + d.name + " waits for a " + service + " service"
                            + (r.target == null || r.target.isBlank() ? "" : " matching " + r.target);
                }
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return "component " + d.name + " failed to activate: " + c.failure.lines().findFirst().orElse("");
                }
            }
        }
        return null;
    }

    /** The first mandatory package import no bundle of the hub exports, with the versions that are there. */
    private Optional<String> missingPackage(Bundle b) {
        BundleRevision revision = b.adapt(BundleRevision.class);
        if (revision == null) {
            return Optional.empty();
        }
        for (BundleRequirement req : revision.getDeclaredRequirements(BundleRevision.PACKAGE_NAMESPACE)) {
            if ("optional".equals(req.getDirectives().get(Constants.RESOLUTION_DIRECTIVE))) {
                continue;
            }
            String filter = req.getDirectives().get(Constants.FILTER_DIRECTIVE);
            String name = packageName(filter);
            List<String> there = new ArrayList<>();
            boolean matched = false;
            try {
                var f = FrameworkUtil.createFilter(filter);
                for (Bundle other : context.getBundles()) {
                    BundleRevision r = other.adapt(BundleRevision.class);
                    if (r == null || other.getBundleId() == b.getBundleId()) {
                        continue;
                    }
                    for (BundleCapability cap : r.getDeclaredCapabilities(BundleRevision.PACKAGE_NAMESPACE)) {
                        if (name != null && name.equals(cap.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE))) {
                            there.add(String.valueOf(cap.getAttributes().get("version")));
                        }
                        if (f.matches(cap.getAttributes())) {
                            matched = true;
                        }
                    }
                }
            } catch (InvalidSyntaxException e) {
                continue;
            }
            if (!matched) {
                String range = versionRange(filter);
                return Optional.of("needs package " + name + (range == null ? "" : " version " + range)
                        + (there.isEmpty() ? ", which no bundle of the hub exports"
                                : ", but this hub has " + String.join(", ", there.stream().distinct().toList())));
            }
        }
        return Optional.empty();
    }

    private static String packageName(String filter) {
        var m = java.util.regex.Pattern.compile("osgi\\.wiring\\.package=([^)]+)\\)").matcher(filter == null ? "" : filter);
        return m.find() ? m.group(1) : filter;
    }

    /** {@code (version>=1.2.0)(!(version>=2.0.0))} as {@code [1.2.0,2.0.0)}. */
    private static String versionRange(String filter) {
        var low = java.util.regex.Pattern.compile("\\(version>=([^)]+)\\)").matcher(filter);
        String from = null;
        String to = null;
        while (low.find()) {
            int at = low.start();
            if (at >= 2 && filter.startsWith("(!", at - 2)) {
                to = low.group(1);
            } else {
                from = low.group(1);
            }
        }
        if (from == null) {
            return null;
        }
        return to == null ? from + " or later" : "[" + from + "," + to + ")";
    }

    private static Manifest manifest(Path jar) {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            return in.getManifest();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public PluginInfo install(Path jar, Duration wait) {
        if (!Files.isRegularFile(jar)) {
            throw new PluginException("no such file: " + jar);
        }
        Manifest m = manifest(jar);
        if (m == null) {
            throw new PluginException(jar.getFileName() + " is not a jar with a manifest");
        }
        Attributes a = m.getMainAttributes();
        String bsn = symbolicName(a.getValue(Constants.BUNDLE_SYMBOLICNAME));
        if (bsn == null) {
            throw new PluginException(jar.getFileName() + " is not an OSGi bundle (its manifest has no Bundle-SymbolicName)");
        }
        Version version = Version.parseVersion(Optional.ofNullable(a.getValue(Constants.BUNDLE_VERSION)).orElse("0").trim());
        checkApi(jar, a);
        clash(bsn, version.toString()).filter(b -> !isPlugin(b)).ifPresent(b -> {
            throw new PluginException(jar.getFileName() + " is " + bsn + " " + version + ", which the hub already has ("
                    + b.getLocation() + ")");
        });
        String name = bsn + "-" + version + ".jar";
        Path target = folder.resolve(name);
        try {
            Files.createDirectories(folder);
            // written beside, then moved in: File Install never sees half a jar (it reads only *.jar)
            Path part = folder.resolve(name + ".part");
            Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // the same bundle in another version is replaced
            for (Path other : jars()) {
                if (!other.equals(target) && bsn.equals(symbolicName(Optional.ofNullable(manifest(other))
                        .map(x -> x.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME)).orElse(null)))) {
                    Files.deleteIfExists(other);
                }
            }
        } catch (IOException e) {
            throw new PluginException("cannot copy " + jar + " into " + folder + ": " + e.getMessage(), e);
        }
        LOG.info("plug-in " + name + " put into " + folder);
        // done when active and working here, or when what stops it is not going to change by waiting
        return await(target, wait, info -> info.version() != null && Version.parseVersion(info.version()).equals(version)
                && ("ACTIVE".equals(info.state()) && info.problem() == null && settled(target) || info.problem() != null
                        && (info.problem().startsWith("needs package") || info.problem().startsWith("the hub already has")
                                || info.problem().contains("failed to activate"))));
    }

    /**
     * Whether Service Component Runtime has finished with the started bundle: a bundle turns ACTIVE before SCR reads
     * its components, and a satisfied component registers its services a moment later; until every enabled
     * component is satisfied or active, its families are not there yet.
     */
    private boolean settled(Path jar) {
        Optional<Bundle> bundle = bundleOf(jar);
        if (bundle.isEmpty() || bundle.get().getState() != Bundle.ACTIVE) {
            return false;
        }
        Bundle b = bundle.get();
        java.util.Collection<ComponentDescriptionDTO> described = scr.getComponentDescriptionDTOs(b);
        if (described.isEmpty()) {
            return b.getHeaders().get("Service-Component") == null;
        }
        for (ComponentDescriptionDTO d : described) {
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            java.util.Collection<ComponentConfigurationDTO> configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty() && !"require".equals(d.configurationPolicy)) {
                return false;
            }
            for (ComponentConfigurationDTO c : configs) {
                if (c.state != ComponentConfigurationDTO.SATISFIED && c.state != ComponentConfigurationDTO.ACTIVE) {
                    return false;
                }
            }
            // SCR reports a component satisfied a moment before its service is registered
            if (!configs.isEmpty() && d.serviceInterfaces != null && d.serviceInterfaces.length > 0
                    && !registers(b, d.name)) {
                return false;
            }
        }
        return true;
    }

    private static boolean registers(Bundle b, String component) {
        ServiceReference<?>[] refs = b.getRegisteredServices();
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                if (component.equals(r.getProperty("component.name"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean isPlugin(Bundle b) {
        return b.getLocation().startsWith(folder.toFile().toURI().normalize().toString());
    }

    /**
     * The jar's imports of the hub's published packages ({@code hub.*}) must be satisfied by what this hub exports:
     * a plug-in built against an older minor version resolves, one that needs a newer major version is refused here,
     * naming the version it needs.
     */
    private void checkApi(Path jar, Attributes a) {
        for (ManifestHeader.Clause c : ManifestHeader.parse(a.getValue(Constants.IMPORT_PACKAGE))) {
            if (!c.name().startsWith("hub.") || "optional".equals(c.attributes().get("resolution:"))) {
                continue;
            }
            String range = c.attributes().getOrDefault("version", "0.0.0");
            VersionRange wanted = new VersionRange(range);
            List<Version> there = exported(c.name());
            if (there.isEmpty()) {
                throw new PluginException(jar.getFileName() + " needs package " + c.name() + " " + range
                        + ", which this hub does not have");
            }
            if (there.stream().noneMatch(wanted::includes)) {
                throw new PluginException(jar.getFileName() + " needs " + c.name() + " version " + range
                        + ", but this hub has " + there.stream().map(Version::toString).distinct().toList()
                        .stream().reduce((x, y) -> x + ", " + y).orElse("") + " (built against a newer hub API)");
            }
        }
    }

    private List<Version> exported(String pkg) {
        List<Version> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            BundleRevision r = b.adapt(BundleRevision.class);
            if (r == null) {
                continue;
            }
            for (BundleCapability cap : r.getDeclaredCapabilities(BundleRevision.PACKAGE_NAMESPACE)) {
                if (pkg.equals(cap.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE))) {
                    Object v = cap.getAttributes().get("version");
                    out.add(v instanceof Version version ? version : Version.parseVersion(String.valueOf(v)));
                }
            }
        }
        return out;
    }

    @Override
    public PluginInfo installMaven(String coordinates, Duration wait) {
        Path jar;
        try {
            jar = fetcher.mavenJar(coordinates.startsWith("maven:") ? coordinates.substring(6) : coordinates);
        } catch (IOException e) {
            throw new PluginException("cannot get " + coordinates + ": " + e.getMessage(), e);
        }
        return install(jar, wait);
    }

    @Override
    public PluginInfo remove(String name, Duration wait) {
        Path found = null;
        PluginInfo before = null;
        for (Path jar : jars()) {
            PluginInfo info = info(jar);
            if (jar.getFileName().toString().equals(name) || name.equals(info.symbolicName())) {
                found = jar;
                before = info;
                break;
            }
        }
        if (found == null) {
            throw new PluginException(PluginException.NOT_FOUND, "no plug-in named '" + name + "' in " + folder
                    + " (hub plugin list shows them)");
        }
        String location = location(found);
        try {
            Files.delete(found);
        } catch (IOException e) {
            throw new PluginException("cannot remove " + found + ": " + e.getMessage(), e);
        }
        LOG.info("plug-in " + found.getFileName() + " removed from " + folder);
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && java.util.Arrays.stream(context.getBundles())
                .anyMatch(b -> location.equals(b.getLocation()))) {
            sleep();
        }
        return before;
    }

    private PluginInfo await(Path jar, Duration wait, java.util.function.Predicate<PluginInfo> done) {
        long deadline = System.nanoTime() + wait.toNanos();
        PluginInfo info = info(jar);
        boolean twice = false;
        // done twice in a row: a bundle File Install starts and then updates (its second look at a new jar) has its
        // services for a moment in between
        while (!twice && System.nanoTime() < deadline) {
            boolean now = done.test(info);
            if (!now) {
                sleep();
                info = info(jar);
                continue;
            }
            sleep();
            PluginInfo again = info(jar);
            twice = done.test(again) && again.families().equals(info.families());
            info = again;
        }
        return info;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginException("interrupted while waiting for the plug-in", e);
        }
    }
}
