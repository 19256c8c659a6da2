package hub.shell.internal;

import hub.shell.internal.commands.Session;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The framework's own Gogo commands in the hub's command line and shell, as Apache Karaf's console offers them:
 * {@code lb}, {@code install -s file:...}, {@code start}, {@code stop}, {@code headers}, {@code inspect}... A word
 * that is not a hub command but names a Gogo function (other than the hub's own {@code hub:} scope) runs here, in a
 * Gogo session whose output goes to the command's streams. The Felix shell's {@code install -s URL} (install and
 * start) is there too, as Gogo's {@code start URL}.
 */
@Component(service = FrameworkShell.class)
public class FrameworkShell {
    private static final Pattern PLAIN = Pattern.compile("[\\w@%+=:,./~-]+");
    private final CommandProcessor processor;
    private final BundleContext context;

    /**
     * @param processor Gogo's command processor
     * @param context where the functions are looked up
     */
    @Activate
    public FrameworkShell(@Reference CommandProcessor processor, BundleContext context) {
        this.processor = processor;
        this.context = context;
    }

    /**
     * @param word the first word of a command line ({@code lb} or {@code felix:lb})
     * @return whether a Gogo function outside the {@code hub} scope answers to it
     */
    public boolean has(String word) {
        if (word == null || word.isEmpty() || !PLAIN.matcher(word).matches() || word.startsWith("-")) {
            return false;
        }
        int colon = word.indexOf(':');
        String scope = colon < 0 ? null : word.substring(0, colon);
        String function = colon < 0 ? word : word.substring(colon + 1);
        if ("hub".equals(scope) || function.isEmpty()) {
            return false;
        }
        String filter = "(&(" + CommandProcessor.COMMAND_FUNCTION + "=" + function + ")"
                + (scope == null ? "(!(" + CommandProcessor.COMMAND_SCOPE + "=hub))" : "(" + CommandProcessor.COMMAND_SCOPE
                        + "=" + scope + ")") + ")";
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, filter);
            return refs != null && refs.length > 0;
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    /**
     * Runs one Gogo command line.
     *
     * @param args its words, the first a Gogo function ({@link #has})
     * @param session streams and working directory
     * @return 0, or 1 with the failure on one line of the error stream
     */
    public int execute(List<String> args, Session session) {
        List<String> words = args;
        if (words.size() > 1 && (words.get(0).equals("install") || words.get(0).equals("felix:install"))
                && (words.contains("-s") || words.contains("--start"))) {
            // the Felix shell's install -s, which Gogo's install lacks: Gogo's start installs a URL and starts it
            words = new java.util.ArrayList<>(words.stream().filter(w -> !w.equals("-s") && !w.equals("--start")).toList());
            words.set(0, "felix:start");
        }
        StringBuilder line = new StringBuilder();
        for (String a : words) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(PLAIN.matcher(a).matches() ? a : "'" + a.replace("'", "'\"'\"'") + "'");
        }
        try (CommandSession gogo = processor.createSession(new ByteArrayInputStream(new byte[0]), session.out(),
                session.err())) {
            gogo.currentDir(session.path(".").normalize());
            Object result = gogo.execute(line);
            if (result != null) {
                session.out().println(gogo.format(result, Converter.INSPECT));
            }
            return 0;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (message.startsWith("Cannot coerce")) { // Gogo's words for arguments that fit no signature
                message = "these arguments do not fit the command (a bundle is named by its id or symbolic name; "
                        + "felix:help " + words.get(0).replaceFirst("^[^:]*:", "") + " shows its usage)";
            }
            session.err().println("hub: " + args.get(0) + ": " + message.lines().findFirst().orElse(message));
            return 1;
        } finally {
            session.out().flush();
            session.err().flush();
        }
    }
}
