package hub.shell.internal;

import hub.client.Wire;
import hub.shell.internal.commands.Session;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Builds command sessions. */
final class Sessions {
    private Sessions() {
    }

    /** @return a session whose output goes nowhere (declarations and completion need no streams) */
    static Session discard() {
        PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return new Session(none, none, Path.of("").toAbsolutePath(), false, false, 80, false, null);
    }

    /**
     * @param request what a client sent
     * @param out stdout
     * @param err stderr
     * @param host the serving process
     * @return the session the client described
     */
    static Session of(Wire.Request request, PrintStream out, PrintStream err, Session.Host host) {
        String cwd = request.env().get(Wire.CWD);
        int columns = 80;
        try {
            columns = Integer.parseInt(request.env().getOrDefault(Wire.COLUMNS, "80"));
        } catch (NumberFormatException e) {
            // the default
        }
        return new Session(out, err, cwd == null ? Path.of("").toAbsolutePath() : Path.of(cwd), request.flag(Wire.OUT_TTY),
                request.flag(Wire.ERR_TTY), columns, request.flag(Wire.OFFLINE), host).trace(request.flag(Wire.TRACE));
    }
}
