package hub.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell on JLine: line editing, history kept in the home ({@code HOME/history}), completion of
 * commands, options, model names and files (asked of the {@link Backend}), Ctrl-C cancelling the running command,
 * {@code exit}, {@code quit} or Ctrl-D leaving. Errors are the commands' own one-line messages.
 */
public final class Repl {
    private Repl() {
    }

    /**
     * Commands piped in (no terminal): each line runs as a command, with no banner or prompt, as {@code sh -s} does;
     * the status is the last command's.
     */
    private static int script(Backend backend) throws IOException {
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[0]);
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        int status = 0;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            List<String> words = new ArrayList<>(parser.parse(line, line.length()).words());
            words.removeIf(String::isEmpty);
            String first = words.get(0).toLowerCase(Locale.ROOT);
            if (words.size() == 1 && (first.equals("exit") || first.equals("quit"))) {
                break;
            }
            status = backend.run(words, out, err);
        }
        return status;
    }

    /**
     * Opens the system terminal. Inside OSGi, JLine finds its terminal providers through the thread's context class
     * loader: it has to be JLine's own.
     *
     * @return the terminal (a dumb one when stdin is not a terminal)
     * @throws IOException when no terminal can be opened at all
     */
    public static Terminal terminal() throws IOException {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(TerminalBuilder.class.getClassLoader());
        try {
            return TerminalBuilder.builder().name("hub").system(true).nativeSignals(true)
                    .encoding(StandardCharsets.UTF_8).build();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /**
     * Runs the shell until {@code exit}, {@code quit} or end of input.
     *
     * @param backend where commands run
     * @param home the hub home (history file)
     * @param banner the first lines shown
     * @return 0
     * @throws IOException when the terminal fails
     */
    public static int run(Backend backend, Path home, String banner) throws IOException {
        if (System.console() == null) {
            return script(backend);
        }
        java.util.logging.Logger.getLogger("org.jline").setLevel(java.util.logging.Level.SEVERE);
        try (Terminal terminal = terminal()) {
            DefaultParser parser = new DefaultParser();
            parser.setEscapeChars(new char[0]); // a backslash is a path character, not an escape
            Completers.FileNameCompleter files = new Completers.FileNameCompleter();
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("hub").parser(parser)
                    .variable(LineReader.HISTORY_FILE, home.resolve("history"))
                    .variable(LineReader.HISTORY_SIZE, 2000)
                    .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .completer((r, line, candidates) -> {
                        List<String> words = new ArrayList<>(line.words().subList(0, line.wordIndex() + 1));
                        words.set(words.size() - 1, line.word().substring(0, line.wordCursor()));
                        for (String[] c : backend.complete(words)) {
                            if (c[0].equals(Backend.FILES)) {
                                files.complete(r, line, candidates);
                            } else {
                                candidates.add(new Candidate(c[0], c[0], null, c.length > 1 ? c[1] : null, null,
                                        null, true));
                            }
                        }
                    }).build();
            PrintStream out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
            out.println(banner);
            while (true) {
                String line;
                try {
                    line = reader.readLine("hub> ");
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt: a fresh line
                } catch (EndOfFileException e) {
                    break;
                }
                List<String> words = new ArrayList<>(reader.getParsedLine().words());
                words.removeIf(String::isEmpty);
                if (words.isEmpty() || line.isBlank()) {
                    continue;
                }
                String first = words.get(0).toLowerCase(Locale.ROOT);
                if (words.size() == 1 && (first.equals("exit") || first.equals("quit") || first.equals("bye"))) {
                    break;
                }
                Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> backend.cancel());
                try {
                    backend.run(words, out, new PrintStream(terminal.output(), true, StandardCharsets.UTF_8));
                } finally {
                    terminal.handle(Terminal.Signal.INT, previous);
                }
                out.flush();
            }
            reader.getHistory().save();
            return 0;
        }
    }
}
