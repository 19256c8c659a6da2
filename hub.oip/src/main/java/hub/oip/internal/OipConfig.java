package hub.oip.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The Open Inference Protocol surface's configuration (PID {@code hub.oip}). */
@ObjectClassDefinition(name = "Vision Model Hub Open Inference Protocol")
public @interface OipConfig {
    /** @return inference requests running at once */
    @AttributeDefinition(description = "Inference requests running at once (0: one per core)")
    int workers() default 0;

    /** @return requests that may wait for a worker before 429 */
    @AttributeDefinition(description = "Inference requests waiting for a worker at most; beyond that: 429")
    int queue() default 16;

    /** @return largest request body */
    @AttributeDefinition(description = "Largest inference request body (JSON and binary tensors), in MB (413 beyond)")
    int maxRequestMb() default 64;

    /** @return seconds a request waits for a worker */
    @AttributeDefinition(description = "Seconds a queued request waits for a worker before 503")
    int queueWaitSeconds() default 60;
}
