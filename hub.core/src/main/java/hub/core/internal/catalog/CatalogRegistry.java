package hub.core.internal.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hub.api.InvalidDescriptorException;
import hub.api.ModelConflictException;
import hub.api.ModelDescriptor;
import hub.api.ModelNotFoundException;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.Provenance;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The catalog: built-in entries from {@code catalog/builtin.yaml} plus custom entries kept as one JSON file per model
 * version under the hub home's {@code catalog/} directory. Files are written to a temporary name and renamed, so a
 * crash never leaves a half-written entry; another hub process's registrations are picked up when the directory
 * changes.
 */
@Component(service = ModelRegistry.class, configurationPid = "hub.catalog")
@org.osgi.service.metatype.annotations.Designate(ocd = CatalogConfig.class)
public class CatalogRegistry implements ModelRegistry {
    private static final System.Logger LOG = System.getLogger(CatalogRegistry.class.getName());
    private static final Comparator<ModelDescriptor> ORDER = Comparator.comparing(ModelDescriptor::name)
            .thenComparing(ModelDescriptor::version, VersionOrder.INSTANCE);

    private final hub.api.state.StateStore store;
    private final hub.core.internal.state.StateCopy<Map<String, NavigableMap<String, ModelDescriptor>>> custom;
    // read on first use: a command that never looks at the catalog (version, help) does not pay for YAML parsing
    private final java.util.function.Supplier<Map<String, NavigableMap<String, ModelDescriptor>>> builtinEntries;
    private volatile Map<String, NavigableMap<String, ModelDescriptor>> builtin;
    private volatile ObjectMapper json;
    private volatile long maxDescriptorBytes = 1L << 20;

    /**
     * @param home the hub home
     * @param store where custom entries are kept (the home's files, or the fleet's database)
     */
    @Activate
    public CatalogRegistry(@Reference HubHome home,
            @Reference(target = hub.core.internal.state.FileStateStore.SELECTED)
            hub.api.state.StateStore store) {
        this(store, () -> CatalogRegistry.class.getResourceAsStream("/catalog/builtin.yaml"));
    }

    /**
     * A registry on the home's files (tests and tools).
     *
     * @param home the hub home
     */
    public CatalogRegistry(HubHome home) {
        this(new hub.core.internal.state.FileStateStore(home.catalog(), home.state()),
                () -> CatalogRegistry.class.getResourceAsStream("/catalog/builtin.yaml"));
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() throws Exception {
        custom.close();
    }

    /**
     * @param config the descriptor size limit
     */
    @Activate
    void activate(CatalogConfig config) {
        modified(config);
    }

    @org.osgi.service.component.annotations.Modified
    void modified(CatalogConfig config) {
        maxDescriptorBytes = Math.max(1, config.maxDescriptorKb()) * 1024L;
    }

    /**
     * @param dir custom catalog directory
     * @param builtinCatalog the built-in catalog document
     * @return a registry on that directory (tests and tools; a factory because SCR picks the constructor it injects
     *         by its number of parameters, and the component's is two)
     */
    public static CatalogRegistry onFiles(Path dir, InputStream builtinCatalog) {
        CatalogRegistry r = new CatalogRegistry(
                new hub.core.internal.state.FileStateStore(dir, dir.resolveSibling("state")), () -> builtinCatalog);
        r.builtin();
        return r;
    }

    private CatalogRegistry(hub.api.state.StateStore store, java.util.function.Supplier<InputStream> builtinCatalog) {
        this.store = store;
        this.custom = new hub.core.internal.state.StateCopy<>(store, hub.api.state.StateKind.CATALOG, Map.of(),
                docs -> index(decode(docs)), null);
        this.builtinEntries = () -> {
            try (InputStream in = builtinCatalog.get()) {
                return index(DescriptorCodec.read(in, "builtin catalog", Provenance.BUILTIN));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private Map<String, NavigableMap<String, ModelDescriptor>> builtin() {
        Map<String, NavigableMap<String, ModelDescriptor>> b = builtin;
        if (b == null) {
            synchronized (this) {
                b = builtin;
                if (b == null) {
                    b = builtinEntries.get();
                    builtin = b;
                }
            }
        }
        return b;
    }

    private ObjectMapper json() {
        ObjectMapper m = json;
        if (m == null) {
            m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json = m;
        }
        return m;
    }

    private static Map<String, NavigableMap<String, ModelDescriptor>> index(List<ModelDescriptor> list) {
        Map<String, NavigableMap<String, ModelDescriptor>> m = new TreeMap<>();
        for (ModelDescriptor d : list) {
            m.computeIfAbsent(d.name(), k -> new TreeMap<>(VersionOrder.INSTANCE)).put(d.version(), d);
        }
        return m;
    }

    private Map<String, NavigableMap<String, ModelDescriptor>> customEntries() {
        return custom.get();
    }

    private static List<ModelDescriptor> decode(Map<String, String> docs) {
        List<ModelDescriptor> out = new ArrayList<>();
        for (Map.Entry<String, String> e : docs.entrySet()) {
            try (InputStream in = new java.io.ByteArrayInputStream(e.getValue().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8))) {
                out.addAll(DescriptorCodec.read(in, "catalog entry " + e.getKey(), Provenance.CUSTOM));
            } catch (InvalidDescriptorException | IOException ex) {
                LOG.log(Level.WARNING, "skipping unreadable custom catalog entry {0}: {1}", e.getKey(),
                        ex.getMessage());
            }
        }
        return out;
    }

    private Stream<ModelDescriptor> all() {
        Map<String, NavigableMap<String, ModelDescriptor>> c = customEntries();
        return Stream.concat(builtin().values().stream(), c.values().stream()).flatMap(m -> m.values().stream());
    }

    @Override
    public List<ModelDescriptor> list(ModelQuery query) {
        return all().filter(query::matches).sorted(ORDER).toList();
    }

    @Override
    public ModelDescriptor get(ModelRef ref) {
        return find(ref).orElseThrow(() -> {
            List<String> v = versions(ref.name());
            if (!v.isEmpty()) {
                return new ModelNotFoundException(ref.toString(), "known versions: " + String.join(", ", v));
            }
            Set<String> names = new java.util.TreeSet<>(builtin().keySet());
            names.addAll(customEntries().keySet());
            List<String> close = hub.core.text.Suggestions.closest(ref.name(), names);
            return new ModelNotFoundException(ref.toString(), close.isEmpty() ? "hub list shows the catalog"
                    : "did you mean " + String.join(" or ", close) + "?");
        });
    }

    @Override
    public Optional<ModelDescriptor> find(ModelRef ref) {
        NavigableMap<String, ModelDescriptor> versions = versionsOf(ref.name());
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        return ref.version() == null ? Optional.of(versions.lastEntry().getValue())
                : Optional.ofNullable(versions.get(ref.version()));
    }

    private NavigableMap<String, ModelDescriptor> versionsOf(String name) {
        NavigableMap<String, ModelDescriptor> m = new TreeMap<>(VersionOrder.INSTANCE);
        m.putAll(builtin().getOrDefault(name, new TreeMap<>()));
        m.putAll(customEntries().getOrDefault(name, new TreeMap<>()));
        return m;
    }

    @Override
    public List<String> versions(String name) {
        return List.copyOf(versionsOf(name).keySet());
    }

    @Override
    public ModelDescriptor register(ModelDescriptor descriptor) {
        return registerAll(List.of(descriptor)).get(0);
    }

    @Override
    public List<ModelDescriptor> register(Path file) {
        return registerAll(read(file));
    }

    @Override
    public List<ModelDescriptor> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDescriptorException(file.toString(), 0, null, "no such file");
        }
        try {
            long size = Files.size(file);
            if (size > maxDescriptorBytes) {
                // refused before parsing: a huge document costs the parser seconds of CPU
                throw new InvalidDescriptorException(file.toString(), 0, null, "the file is " + size
                        + " bytes; a descriptor is at most " + maxDescriptorBytes + " bytes (hub.catalog maxDescriptorKb)");
            }
        } catch (IOException e) {
            throw new InvalidDescriptorException(file.toString(), 0, null, "cannot read: " + e.getMessage());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return DescriptorCodec.read(in, file.toString(), Provenance.CUSTOM);
        } catch (IOException e) {
            throw new InvalidDescriptorException(file.toString(), 0, null, "cannot read: " + e.getMessage());
        }
    }

    private synchronized List<ModelDescriptor> registerAll(List<ModelDescriptor> entries) {
        Set<String> seen = new HashSet<>();
        List<ModelDescriptor> stored = new ArrayList<>();
        for (ModelDescriptor d : entries) {
            String key = d.name() + "@" + d.version();
            if (!seen.add(key)) {
                throw new ModelConflictException("model " + key + " appears twice in the registration");
            }
            Optional<ModelDescriptor> existing = find(d.ref());
            if (existing.isPresent()) {
                throw new ModelConflictException("model " + key + " is already registered ("
                        + existing.get().provenance().origin() + "); unregister it first or use another version");
            }
            Provenance p = d.provenance();
            stored.add(new ModelDescriptor(d.name(), d.version(), d.family(), d.task(), d.description(), d.license(),
                    d.tags(), d.tier(), d.devices(), d.artifacts(), d.parameters(),
                    new Provenance(Provenance.CUSTOM, p.publisher(), p.homepage(), p.checksumPublished(), p.note())));
        }
        Map<String, String> puts = new java.util.LinkedHashMap<>();
        for (ModelDescriptor d : stored) {
            try {
                puts.put(d.name() + "@" + d.version(), json().writeValueAsString(DescriptorCodec.toMap(d)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // insert only, all of them or none: another hub may have registered one of them since this copy was read
        Set<String> taken = store.create(hub.api.state.StateKind.CATALOG, puts);
        custom.invalidate();
        if (!taken.isEmpty()) {
            throw new ModelConflictException("model " + String.join(", ", taken) + " was registered meanwhile (by"
                    + " another hub); unregister it first or use another version");
        }
        return stored;
    }

    @Override
    public synchronized ModelDescriptor unregister(ModelRef ref) {
        if (ref.version() == null) {
            throw new IllegalArgumentException("unregister needs NAME@VERSION, got '" + ref + "'");
        }
        ModelDescriptor d = get(ref);
        if (Provenance.BUILTIN.equals(d.provenance().origin())) {
            throw new ModelConflictException("model " + ref + " is built in and cannot be unregistered");
        }
        String key = ref.name() + "@" + ref.version();
        if (store.document(hub.api.state.StateKind.CATALOG, key).isEmpty()) {
            throw new ModelNotFoundException(ref.toString(), "its catalog entry is gone");
        }
        store.write(hub.api.state.StateKind.CATALOG, Map.of(), Set.of(key));
        custom.invalidate();
        return d;
    }
}
