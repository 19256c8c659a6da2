package hub.shell.internal.commands;

import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelQuery;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Completion candidates the declarations name: fixed lists, and names from the live catalog. */
final class Candidates {
    private Candidates() {
    }

    /** Model names and {@code name@version} of the catalog. */
    static final class Models implements Iterable<String> {
        private final Ctx ctx;

        Models(Ctx ctx) {
            this.ctx = ctx;
        }

        @Override
        public Iterator<String> iterator() {
            TreeSet<String> names = new TreeSet<>();
            for (ModelDescriptor d : ctx.services().registry().get().list(new ModelQuery(null, null, null))) {
                names.add(d.name());
                names.add(d.ref().toString());
            }
            return names.iterator();
        }
    }

    /** Model families of the catalog. */
    static final class Families implements Iterable<String> {
        private final Ctx ctx;

        Families(Ctx ctx) {
            this.ctx = ctx;
        }

        @Override
        public Iterator<String> iterator() {
            TreeSet<String> names = new TreeSet<>();
            ctx.services().registry().get().list(new ModelQuery(null, null, null)).forEach(d -> names.add(d.family().id()));
            return names.iterator();
        }
    }

    /** {@code ALIAS=} for each alias. */
    static final class Aliases implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return new TreeSet<>(ModelHub.STANDARD_ALIASES.keySet()).stream().map(a -> a + "=").iterator();
        }
    }

    /** Devices. */
    static final class Devices implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("auto", "cpu", "gpu").iterator();
        }
    }

    /** Verification levels. */
    static final class Levels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("none", "size", "sha256").iterator();
        }
    }

    /** Access tiers. */
    static final class Tiers implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("lite", "standard", "professional").iterator();
        }
    }

    /** Shells with a completion script. */
    static final class Shells implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("bash", "zsh").iterator();
        }
    }
}
