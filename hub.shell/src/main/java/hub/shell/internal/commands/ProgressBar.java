package hub.shell.internal.commands;

import hub.api.ModelStatus;
import hub.api.ProgressListener;
import hub.api.TransferProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Renders transfer progress on stderr: one redrawn line on a terminal, a line per 10% or 5 s (and per status
 * change) otherwise, so logs stay readable; retries get a line of their own.
 */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private String lastKey = "";
    private int lastDecile = -1;
    private long lastDraw;

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void onProgress(TransferProgress p) {
        String key = p.ref() + " " + p.role();
        double f = p.fraction();
        int decile = f < 0 ? -1 : (int) (f * 10);
        boolean statusChange = !key.equals(lastKey) || p.status() != ModelStatus.DOWNLOADING;
        long now = System.nanoTime();
        if (terminal) {
            if (!statusChange && now - lastDraw < 100_000_000L) {
                return;
            }
            out.print("\r" + line(p) + (p.status() == ModelStatus.READY || p.status() == ModelStatus.ERROR ? "\n" : ""));
        } else {
            if (!statusChange && decile == lastDecile && now - lastDraw < 5_000_000_000L) {
                return; // a line per 10 %, and at least one per 5 s when the size is unknown or the link slow
            }
            if (p.status() == ModelStatus.VALIDATING) {
                return;
            }
            out.println(line(p));
        }
        out.flush();
        lastDraw = now;
        lastKey = key;
        lastDecile = decile;
    }

    @Override
    public synchronized void onRetry(hub.api.TransferRetry r) {
        if (terminal) {
            out.print("\r\033[K"); // the bar's line makes room for the message
        }
        out.println(String.format(Locale.ROOT, "%s %s: attempt %d of %d failed (%s); retrying in %.1f s", r.ref(),
                r.role(), r.attempt(), r.maxAttempts(), r.error(), r.delay().toMillis() / 1000.0));
        out.flush();
        lastKey = "";
    }

    static String line(TransferProgress p) {
        double f = p.fraction();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-28s", p.ref() + " " + p.role()));
        if (f >= 0) {
            int filled = (int) Math.round(f * WIDTH);
            b.append(" [").append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            b.append(String.format(Locale.ROOT, "%3d%%", Math.round(f * 100)));
        }
        b.append(' ').append(Format.bytes(p.bytes()));
        if (p.total() >= 0) {
            b.append('/').append(Format.bytes(p.total()));
        }
        if (p.bytesPerSecond() > 0 && p.status() == ModelStatus.DOWNLOADING) {
            b.append("  ").append(Format.bytes((long) p.bytesPerSecond())).append("/s");
            if (p.eta() != null) {
                b.append("  ETA ").append(p.eta().toSeconds()).append('s');
            }
        }
        b.append("  ").append(p.status().name().toLowerCase(Locale.ROOT));
        return b.toString();
    }
}
