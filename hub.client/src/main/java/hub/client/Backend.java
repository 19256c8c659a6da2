package hub.client;

import java.io.PrintStream;
import java.util.List;

/** Where the interactive shell runs its commands: a hub over the control socket, or the hub in this process. */
public interface Backend {
    /** The completion candidate meaning "complete a file name here" (the client knows its own files). */
    String FILES = "\u0000files";

    /**
     * Runs one command line.
     *
     * @param args the words
     * @param out stdout
     * @param err stderr
     * @return the exit status
     */
    int run(List<String> args, PrintStream out, PrintStream err);

    /**
     * Completion candidates for the last word of a line.
     *
     * @param words the words so far, the last one (possibly empty) being completed
     * @return candidates as {value, description}, or {@link #FILES}
     */
    List<String[]> complete(List<String> words);

    /** Cancels the command running now (Ctrl-C); nothing when none runs. */
    void cancel();
}
