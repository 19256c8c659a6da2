package hub.core.internal.store;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Artifact store settings (PID {@code hub.store}). */
@ObjectClassDefinition(name = "Hub artifact store", description = "Model cache and downloads")
public @interface StoreConfig {
    /** @return cache directory; empty means {@code <hub home>/cache} */
    @AttributeDefinition(description = "Cache directory (empty: <hub home>/cache)")
    String cacheDir() default "";

    /** @return size limit of the cache in GB */
    @AttributeDefinition(description = "Cache size limit in GB")
    double maxSizeGb() default 10.0;

    /** @return directories under which file: sources may be registered over HTTP */
    @AttributeDefinition(description = "Directories under which a remote caller (HTTP) may register file: sources (default: none)")
    String[] fileRoots() default {};

    /** @return allow plain http sources */
    @AttributeDefinition(description = "Allow plain http:// sources")
    boolean allowHttp() default false;

    /** @return local Maven repository for maven: sources; empty means ~/.m2/repository */
    @AttributeDefinition(description = "Local Maven repository for maven: sources (empty: ~/.m2/repository)")
    String mavenLocalRepository() default "";

    /** @return remote Maven repository used when an artifact is absent locally */
    @AttributeDefinition(description = "Remote Maven repository for maven: sources missing locally")
    String mavenRemoteRepository() default "https://repo.maven.apache.org/maven2";

    /** @return verification before publish: none, size or sha256 */
    @AttributeDefinition(description = "Verification before publish: none, size or sha256")
    String verification() default "sha256";

    /** @return retries of a transfer after transient failures (drops, timeouts, 5xx) */
    @AttributeDefinition(description = "Retries after transient failures")
    int maxRetries() default 5;

    /** @return first backoff between retries in ms; doubles each time */
    @AttributeDefinition(description = "First retry backoff in milliseconds (doubles each retry)")
    long retryBackoffMillis() default 500;

    /** @return redirects followed before giving up */
    @AttributeDefinition(description = "Redirects followed before giving up")
    int maxRedirects() default 10;

    /** @return whether pulls try the mirrors the shared catalog records before the origin */
    @AttributeDefinition(description = "Pull from the mirrors recorded in the shared catalog (hub mirror push) before the origin")
    boolean preferMirrors() default true;

    /** @return connect and read timeout in seconds */
    @AttributeDefinition(description = "Connect and read timeout in seconds")
    int timeoutSeconds() default 30;
}
