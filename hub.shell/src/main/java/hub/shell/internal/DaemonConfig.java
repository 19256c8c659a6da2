package hub.shell.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The background hub (configuration PID {@code hub.daemon}, file {@code HOME/config/hub.daemon.cfg}). */
@ObjectClassDefinition(name = "Hub background process", description = "The hub the command line starts for a home")
public @interface DaemonConfig {
    /** @return idle minutes (no command running, no lease open) after which the background hub exits */
    @AttributeDefinition(description = "Idle minutes after which the background hub exits")
    double idleMinutes() default 30;
}
