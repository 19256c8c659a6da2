package hub.shell.internal.commands;

/**
 * What every command is made with: the services it calls and the session it runs in.
 *
 * @param services the hub's services
 * @param session streams, working directory, terminal, offline, cancellation
 */
public record Ctx(Services services, Session session) {
}
