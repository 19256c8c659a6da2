package hub.api.access;

import hub.api.ModelDescriptor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The hub's access rules, in one place: which caller may do which {@link Operation} on which model. Every surface
 * asks it (through the request path of {@link hub.api.inference.Inference} for tasks); none decides on its own.
 */
@ProviderType
public interface AccessPolicy {
    /**
     * @param caller who asks
     * @param operation what
     * @param model the model it concerns, or null for an operation on the hub
     * @return whether it is allowed
     */
    boolean allows(Caller caller, Operation operation, ModelDescriptor model);

    /**
     * @param caller who asks
     * @param operation what
     * @param model the model it concerns, or null
     * @throws AccessDeniedException naming the operation, the model's tier or the missing role
     */
    void check(Caller caller, Operation operation, ModelDescriptor model);

    /**
     * @param caller who asks
     * @param model a model
     * @return whether the caller may see it at all (its tier includes the model's)
     */
    default boolean maySee(Caller caller, ModelDescriptor model) {
        return allows(caller, Operation.SEE, model);
    }

    /**
     * @param caller who asks
     * @param ref a model version named somewhere (an alias target, a loaded model, a cache entry, an event)
     * @return whether the caller may see it; a reference the catalog no longer knows only admins see
     */
    boolean maySee(Caller caller, hub.api.ModelRef ref);
}
