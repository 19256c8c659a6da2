package hub.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The HTTP API's configuration (PID {@code hub.http}); host and port are Felix HTTP's ({@code org.apache.felix.http}). */
@ObjectClassDefinition(name = "Vision Model Hub HTTP API")
public @interface HttpConfig {
    /** @return inference workers (0: one per core) */
    @AttributeDefinition(description = "Inference requests running at once (0: one per core)")
    int workers() default 0;

    /** @return requests that may wait for a worker before the API answers 429 */
    @AttributeDefinition(description = "Inference requests waiting for a worker at most; beyond that: 429")
    int queue() default 16;

    /** @return largest image upload */
    @AttributeDefinition(description = "Largest request body with images, in MB (413 beyond)")
    int maxImageMb() default 32;

    /** @return largest JSON or descriptor body */
    @AttributeDefinition(description = "Largest JSON or descriptor body, in KB (413 beyond)")
    int maxJsonKb() default 1024;

    /** @return uploads one key may have in progress at once */
    @AttributeDefinition(description = "Request bodies one API key may be sending at once; beyond that: 429 at once")
    int maxUploadsPerKey() default 4;

    /** @return the slowest upload accepted, after the grace period */
    @AttributeDefinition(description = "Slowest request body accepted, in bytes per second, after the grace period (408 below)")
    int minUploadBytesPerSecond() default 4096;

    /** @return seconds an upload may take before its rate is checked */
    @AttributeDefinition(description = "Seconds a request body may take before its data rate is checked")
    int uploadGraceSeconds() default 5;
}
