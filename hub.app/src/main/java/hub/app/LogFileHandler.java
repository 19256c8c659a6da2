package hub.app;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * java.util.logging into the home's one log file, {@code HOME/logs/hub.log} (system property {@code hub.log.file}),
 * appended to by every hub process of the home at once. JUL's own FileHandler locks its file and makes a second
 * process write to {@code hub.log.1}; here each record is one append (O_APPEND), so the processes' lines interleave
 * whole. Each line names the process ({@code hub.log.process}: its mode and pid).
 */
public final class LogFileHandler extends StreamHandler {
    private final String process;
    private final java.nio.file.Path file;
    private Object opened;
    private long checked;

    /** Opens the file named by {@code hub.log.file} for appending. */
    public LogFileHandler() {
        String name = System.getProperty("hub.log.file");
        if (name == null) {
            throw new IllegalStateException("hub.log.file is not set");
        }
        file = java.nio.file.Path.of(name);
        open();
        process = System.getProperty("hub.log.process", "hub") + " " + ProcessHandle.current().pid();
        setFormatter(new java.util.logging.Formatter() {
            @Override
            public String format(LogRecord r) {
                String thrown = "";
                if (r.getThrown() != null) {
                    java.io.StringWriter w = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                    thrown = System.lineSeparator() + w;
                }
                return String.format("%1$tF %1$tT [%2$s] %3$s %4$s: %5$s%6$s%n",
                        java.time.ZonedDateTime.ofInstant(r.getInstant(), java.time.ZoneId.systemDefault()), process,
                        r.getLevel().getName(), r.getLoggerName(), formatMessage(r), thrown);
            }
        });
        setLevel(Level.ALL);
    }

    /** (Re)opens the file for appending and remembers which file it is. */
    private void open() {
        try {
            setOutputStream(new FileOutputStream(file.toFile(), true));
            opened = key();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log " + file, e);
        }
    }

    private Object key() {
        try {
            return java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized void publish(LogRecord record) {
        long now = System.nanoTime();
        if (now - checked > 5_000_000_000L) {
            checked = now;
            Object current = key();
            if (current == null || !current.equals(opened)) {
                open(); // another process rotated the log: write to the new hub.log, not on into hub.log.1
            }
        }
        super.publish(record);
        flush(); // one write per record, so that concurrent processes never split a line
    }
}
