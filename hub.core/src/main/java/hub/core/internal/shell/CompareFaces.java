package hub.core.internal.shell;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code compare-faces A B [--detector D] [--embedder E] [--threshold T] [--json]}. Gogo finds functions by Java
 * method name, which cannot hold a dash, so this command is its own component answering through {@code _main}.
 */
@Component(service = CompareFaces.class, immediate = true, property = {"osgi.command.scope=hub",
        "osgi.command.function=compare-faces"})
public class CompareFaces {
    private final TaskCommands tasks;

    /**
     * @param tasks the task commands, which do the work
     */
    @Activate
    public CompareFaces(@Reference TaskCommands tasks) {
        this.tasks = tasks;
    }

    /**
     * @param session the shell session
     * @param args the command line
     * @return the similarity and the verdict
     * @throws IOException when an image cannot be read
     */
    @Descriptor("compare the most confident face of two images: cosine similarity and same-person verdict")
    public String _main(CommandSession session, String... args) throws IOException {
        String detector = "";
        String embedder = "sface";
        float threshold = Float.NaN;
        boolean json = false;
        List<String> images = new ArrayList<>();
        // Gogo passes the function name first
        int first = args.length > 0 && args[0].endsWith("compare-faces") ? 1 : 0;
        for (int i = first; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-d", "--detector" -> detector = value(args, ++i, a);
                case "-e", "--embedder" -> embedder = value(args, ++i, a);
                case "-t", "--threshold" -> {
                    try {
                        threshold = Float.parseFloat(value(args, ++i, a));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--threshold needs a number, got '" + args[i] + "'");
                    }
                }
                case "--json" -> json = true;
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + a
                                + " (compare-faces A B [--detector D] [--embedder E] [--threshold T] [--json])");
                    }
                    images.add(a);
                }
            }
        }
        if (images.size() != 2) {
            throw new IllegalArgumentException("compare-faces needs exactly two images, got " + images.size());
        }
        return tasks.compareFaces(session, detector, embedder, threshold, json, images.get(0), images.get(1));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
