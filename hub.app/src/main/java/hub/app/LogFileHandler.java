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

    /** Opens the file named by {@code hub.log.file} for appending. */
    public LogFileHandler() {
        String file = System.getProperty("hub.log.file");
        if (file == null) {
            throw new IllegalStateException("hub.log.file is not set");
        }
        try {
            setOutputStream(new FileOutputStream(file, true));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log " + file, e);
        }
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

    @Override
    public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush(); // one write per record, so that concurrent processes never split a line
    }
}
