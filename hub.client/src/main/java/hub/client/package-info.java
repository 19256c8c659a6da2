/**
 * The command line's client side: the control-socket protocol between {@code bin/hub} and a hub serving its home,
 * the client that starts and reaches that hub, and the interactive shell.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package hub.client;
