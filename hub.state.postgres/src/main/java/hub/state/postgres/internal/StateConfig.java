package hub.state.postgres.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where the shared state is (PID {@code hub.state}). With {@code store=postgresql} and a JDBC URL, the hub keeps its
 * shared state in PostgreSQL; the password comes from a file or an environment variable, never from this
 * configuration, and is never logged.
 */
@ObjectClassDefinition(name = "Vision Model Hub shared state")
public @interface StateConfig {
    /** @return files (the default) or postgresql */
    @AttributeDefinition(description = "files (the hub home, the default) or postgresql")
    String store() default "files";

    /** @return the JDBC URL */
    @AttributeDefinition(description = "JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/hub")
    String url() default "";

    /** @return the database user */
    @AttributeDefinition(description = "Database user")
    String user() default "hub";

    /** @return a file holding the password */
    @AttributeDefinition(description = "File holding the database password (its first line)")
    String passwordFile() default "";

    /** @return an environment variable holding the password */
    @AttributeDefinition(description = "Environment variable holding the database password")
    String passwordEnv() default "HUB_STATE_PASSWORD";

    /** @return the largest number of pooled connections */
    @AttributeDefinition(description = "Pooled connections at most")
    int poolSize() default 4;

    /** @return seconds to wait for a connection */
    @AttributeDefinition(description = "Seconds a request waits for a database connection before failing")
    int connectTimeoutSeconds() default 5;
}
