package hub.core.internal.access;

import hub.api.AccessTier;
import hub.api.ArtifactSpec;
import hub.api.ModelDescriptor;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.access.AccessDeniedException;
import hub.api.access.AccessPolicy;
import hub.api.access.Caller;
import hub.api.access.Operation;
import hub.core.internal.store.StoreConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The hub's access rules (the README's table): an operation on a model needs the caller's tier to include the
 * model's (a model without a tier is lite); the operations {@link Operation#adminOnly()} marks need the admin role;
 * {@link Operation#FETCH} needs a caller that may fetch.
 */
@Component(service = AccessPolicy.class, configurationPid = "hub.store")
public class DefaultAccessPolicy implements AccessPolicy {
    private volatile List<Path> fileRoots = List.of();
    private final ModelRegistry registry;

    /**
     * @param registry the catalog, to look up the tier of a model named by reference
     * @param config the store's settings: {@code fileRoots}
     */
    @Activate
    public DefaultAccessPolicy(@Reference ModelRegistry registry, StoreConfig config) {
        this.registry = registry;
        modified(config);
    }

    @Modified
    void modified(StoreConfig config) {
        fileRoots = Arrays.stream(config.fileRoots()).filter(r -> !r.isBlank())
                .map(r -> Path.of(r.trim()).toAbsolutePath().normalize()).toList();
    }

    @Override
    public boolean allows(Caller caller, Operation operation, ModelDescriptor model) {
        return refusal(caller, operation, model) == null;
    }

    @Override
    public boolean maySee(Caller caller, ModelRef ref) {
        try {
            return registry.find(ref).map(d -> maySee(caller, d)).orElse(caller.admin());
        } catch (RuntimeException e) {
            return caller.admin(); // an unreadable reference (an old event, say)
        }
    }

    @Override
    public void check(Caller caller, Operation operation, ModelDescriptor model) {
        String why = refusal(caller, operation, model);
        if (why != null) {
            throw new AccessDeniedException(why);
        }
    }

    private String refusal(Caller caller, Operation operation, ModelDescriptor model) {
        if (model != null) {
            AccessTier tier = model.tier() == null ? AccessTier.LITE : model.tier();
            if (!caller.tier().includes(tier)) {
                return model.ref() + " is in the " + tier.id() + " tier; " + caller.id() + " is " + caller.tier().id();
            }
        }
        if (operation.adminOnly() && !caller.admin()) {
            return label(operation) + " needs an admin key; " + caller.id() + " is not one";
        }
        if (operation == Operation.REGISTER && model != null && !caller.localFiles()) {
            for (ArtifactSpec a : model.artifacts()) {
                if ("file".equalsIgnoreCase(a.source().getScheme()) && !underRoot(a.source())) {
                    return model.ref() + " artifact '" + a.role() + "': file: sources are refused for remote callers"
                            + " unless under a configured root (hub.store fileRoots" + (fileRoots.isEmpty() ? ", none set"
                            : " " + fileRoots) + ")";
                }
            }
        }
        if (operation == Operation.FETCH && !caller.mayFetch()) {
            return "downloading " + (model == null ? "models" : model.ref().toString()) + " needs an admin key; "
                    + caller.id() + " may not cause downloads";
        }
        return null;
    }

    private boolean underRoot(java.net.URI source) {
        try {
            Path p = Path.of(source).toAbsolutePath().normalize();
            return fileRoots.stream().anyMatch(p::startsWith);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String label(Operation operation) {
        return switch (operation) {
            case FETCH -> "downloading models";
            case VALIDATE -> "validating (re-hashing) models";
            case REGISTER -> "registering models";
            case DELETE -> "deleting models";
            case UNLOAD -> "unloading models";
            case SWITCH -> "switching aliases";
            case PIN -> "pinning models";
            case WATCH_JOBS -> "watching download jobs";
            case PLUGINS -> "managing plug-ins";
            case FLEET -> "seeing the hubs of the fleet";
            default -> operation.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
