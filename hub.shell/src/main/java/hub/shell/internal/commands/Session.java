package hub.shell.internal.commands;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One command's surroundings: its streams, the caller's working directory and terminal, offline, how the process
 * hosting it serves, and what to do when the caller cancels (Ctrl-C).
 */
public final class Session {
    private final PrintStream out;
    private final PrintStream err;
    private final Path cwd;
    private final boolean outTerminal;
    private final boolean errTerminal;
    private final int columns;
    private final Host host;
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile boolean offline;
    private volatile boolean trace = System.getenv("HUB_TRACE") != null;
    private volatile boolean cancelled;

    /** The process running the command: how it serves its home. */
    public interface Host {
        /** @return {@code daemon} (background hub), {@code serve} (hub serve), or {@code process} (one command) */
        String kind();

        /**
         * Stops the hub serving the home.
         *
         * @param out where to say so
         * @return the exit status
         */
        int stop(PrintStream out);

        /** @return when the hub serving the home stops by itself when idle, in seconds, or 0 for never */
        long idleSeconds();

        /**
         * Serves the home from this process until stopped ({@code hub serve}).
         *
         * @param options how
         * @param session where to report
         * @return the exit status
         */
        int serve(Serve options, Session session);
    }

    /**
     * How to serve.
     *
     * @param port HTTP port, or null for the configured one
     * @param host HTTP address, or null for the configured one
     * @param noHttp no HTTP API and web page
     * @param daemon the background hub: no HTTP, stops when idle, steps aside for hub serve
     */
    public record Serve(Integer port, String host, boolean noHttp, boolean daemon) {
    }

    /**
     * @param out stdout
     * @param err stderr
     * @param cwd working directory for relative file names
     * @param outTerminal stdout is a terminal
     * @param errTerminal stderr is a terminal (progress is redrawn in place)
     * @param columns terminal width
     * @param offline use the cache only
     * @param host the process running the command
     */
    public Session(PrintStream out, PrintStream err, Path cwd, boolean outTerminal, boolean errTerminal, int columns,
            boolean offline, Host host) {
        this.out = out;
        this.err = err;
        this.cwd = cwd;
        this.outTerminal = outTerminal;
        this.errTerminal = errTerminal;
        this.columns = columns;
        this.offline = offline;
        this.host = host;
    }

    /** @return stdout */
    public PrintStream out() {
        return out;
    }

    /** @return stderr */
    public PrintStream err() {
        return err;
    }

    /** @return stdout is a terminal */
    public boolean outTerminal() {
        return outTerminal;
    }

    /** @return stderr is a terminal */
    public boolean errTerminal() {
        return errTerminal;
    }

    /** @return terminal width */
    public int columns() {
        return columns;
    }

    /** @return the process running the command */
    public Host host() {
        return host;
    }

    /** @return whether failures print their stack trace */
    public boolean trace() {
        return trace;
    }

    /**
     * @param value whether failures print their stack trace (the client's {@code HUB_TRACE})
     * @return this session
     */
    public Session trace(boolean value) {
        trace = value;
        return this;
    }

    /** @return whether only the cache may be used */
    public boolean offline() {
        return offline;
    }

    void offline(boolean value) {
        offline = offline || value;
    }

    /**
     * @param file a file name as the caller typed it
     * @return it, resolved against the caller's working directory
     */
    public Path path(String file) {
        Path p = Path.of(file);
        return p.isAbsolute() ? p : cwd.resolve(p).normalize();
    }

    /**
     * @param action what to do when the caller cancels (a download, say)
     */
    public void onCancel(Runnable action) {
        onCancel.add(action);
        if (cancelled) {
            action.run();
        }
    }

    /** The caller cancelled (Ctrl-C, or its connection ended). */
    public void cancel() {
        cancelled = true;
        onCancel.forEach(Runnable::run);
    }

    /** @return whether the caller cancelled */
    public boolean cancelled() {
        return cancelled;
    }
}
