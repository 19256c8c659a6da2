package hub.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Who may read {@code /metrics} (PID {@code hub.metrics}). */
@ObjectClassDefinition(name = "Vision Model Hub metrics")
public @interface MetricsConfig {
    /** @return the bearer token a scrape must send; empty: none */
    @AttributeDefinition(description = "Bearer token a scrape must send (Authorization: Bearer TOKEN); empty: no"
            + " token, and only loopback clients may scrape unless 'open' is set")
    String token() default "";

    /** @return whether clients on other hosts may scrape without a token */
    @AttributeDefinition(description = "Let clients on other hosts scrape without a token")
    boolean open() default false;
}
