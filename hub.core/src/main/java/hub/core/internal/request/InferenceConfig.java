package hub.core.internal.request;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The request path's limits (PID {@code hub.inference}). */
@ObjectClassDefinition(name = "Hub request path", description = "Limits on decoding the images of requests")
public @interface InferenceConfig {
    /** @return the largest decoded size of one image, in MB */
    @AttributeDefinition(description = "Largest decoded size of one image in MB (width x height x bands x bytes per sample)")
    long maxImageDecodedMb() default 256;

    /** @return the decoded size all requests being decoded at once may take together, in MB; 0: a quarter of the heap */
    @AttributeDefinition(description = "Decoded size all concurrent requests may take together, in MB (0: a quarter of the maximum heap)")
    long decodeBudgetMb() default 0;

    /** @return how long a request waits for room in the decoding budget */
    @AttributeDefinition(description = "Seconds a request waits for room in the decoding budget before it is refused")
    int decodeWaitSeconds() default 30;
}
