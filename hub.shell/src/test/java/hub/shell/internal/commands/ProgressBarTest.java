package hub.shell.internal.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import hub.api.ModelRef;
import hub.api.ModelStatus;
import hub.api.TransferProgress;
import hub.api.TransferRetry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.Test;

public class ProgressBarTest {
    @Test
    public void withoutATerminalEachTenPercentIsOneLineAndRetriesAreSaid() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(b, true, StandardCharsets.UTF_8), false);
        ModelRef ref = ModelRef.parse("m@1");
        for (int i = 0; i <= 1000; i++) {
            bar.onProgress(new TransferProgress(ref, "model", ModelStatus.DOWNLOADING, i * 1000L, 1_000_000, 1e6, null));
        }
        bar.onRetry(new TransferRetry(ref, "model", 1, 6, "connection reset", Duration.ofMillis(1500)));
        bar.onProgress(new TransferProgress(ref, "model", ModelStatus.READY, 1_000_000, 1_000_000, 0, null));
        String[] lines = b.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(String.join("\n", lines), 13, lines.length); // 0..100 % in 11 lines, the retry, ready
        assertEquals("m@1 model: attempt 1 of 6 failed (connection reset); retrying in 1.5 s", lines[11]);
        assertTrue(lines[12], lines[12].endsWith("ready"));
    }

    @Test
    public void timesReadAsPeopleSayThem() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        assertEquals("just now", Format.relative(now, now.minusSeconds(2)));
        assertEquals("2 minutes ago", Format.relative(now, now.minusSeconds(125)));
        assertEquals("in 28 minutes", Format.relative(now, now.plusSeconds(28 * 60)));
        assertEquals("1 hour ago", Format.relative(now, now.minusSeconds(3600)));
        assertEquals("in 3 days", Format.relative(now, now.plusSeconds(3 * 86_400)));
    }
}
