package hub.shell.internal.commands;

import hub.api.AccessTier;
import hub.api.access.Caller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command: thin, it calls the services and renders what they return (text, or JSON with {@code --json}). The text
 * it returns goes to stdout; failures are exceptions the command line turns into one line and an exit status.
 */
abstract class Cmd implements Callable<Integer> {
    /** The home's owner while the command line is offline: everything but downloading. */
    static final Caller OFFLINE_OWNER = new Caller("owner (offline)", AccessTier.PROFESSIONAL, true, false, true);

    @Spec
    CommandSpec spec;
    @picocli.CommandLine.Mixin
    HelpOption help;
    final Services s;
    final Session session;

    Cmd(Ctx ctx) {
        this.s = ctx.services();
        this.session = ctx.session();
    }

    @Override
    public Integer call() throws Exception {
        String text = run();
        if (text != null && !text.isEmpty()) {
            session.out().println(text);
        }
        return 0;
    }

    /**
     * @return the text for stdout, or null
     * @throws Exception a failure, reported in one line
     */
    abstract String run() throws Exception;

    /** @return who the command acts as: the home's owner, without downloads when offline */
    Caller caller() {
        return session.offline() ? OFFLINE_OWNER : Caller.owner();
    }

    /**
     * Reads image files as typed (relative to the caller's directory).
     *
     * @param files the files
     * @return their bytes, named as typed
     * @throws IOException when one cannot be read
     */
    List<hub.api.task.ImageInput> read(List<Path> files) throws IOException {
        List<hub.api.task.ImageInput> out = new ArrayList<>();
        for (Path f : files) {
            Path p = session.path(f.toString());
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no such image file: " + f);
            }
            out.add(new hub.api.task.ImageInput(f.toString(), Files.readAllBytes(p)));
        }
        return out;
    }

    static String blank(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * Runs a call on the request path with the download of a model it needs (not yet in the cache) shown as
     * {@code pull} shows it, on stderr.
     *
     * @param work the call
     * @param <T> its result
     * @return its result
     */
    <T> T progress(java.util.function.Supplier<T> work) {
        return s.inference().get().withProgress(new ProgressBar(session.err(), session.errTerminal()), work);
    }
}
