package hub.core.internal.runtime;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Model runtime settings (PID {@code hub.runtime}). */
@ObjectClassDefinition(name = "Hub model runtime", description = "Loading and threading of models")
public @interface RuntimeConfig {
    /** @return threads inside one operator, 0 for ONNX Runtime's default */
    @AttributeDefinition(description = "Intra-op threads per model session (0: runtime default)")
    int intraOpThreads() default 0;

    /** @return threads across operators, 0 for ONNX Runtime's default */
    @AttributeDefinition(description = "Inter-op threads per model session (0: runtime default)")
    int interOpThreads() default 0;
}
