package hub.shell.internal.commands;

/** A command with {@code --json}: JSON for programs, text for people. */
abstract class JsonCmd extends Cmd {
    @picocli.CommandLine.Option(names = "--json", description = "JSON output")
    boolean json;

    JsonCmd(Ctx ctx) {
        super(ctx);
    }

    /**
     * @param value what the service returned
     * @param text its text rendering
     * @return JSON with {@code --json}, else the text
     */
    String output(Object value, java.util.function.Function<Object, String> text) {
        return json ? hub.core.json.Json.write(value) : text.apply(value);
    }
}
