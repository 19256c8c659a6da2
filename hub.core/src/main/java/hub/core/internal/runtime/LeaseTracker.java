package hub.core.internal.runtime;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;

/**
 * Releases the leases their callers forgot to close, once the garbage collector finds them unreachable: each open
 * lease's phantom is kept here, and dropped when the lease is closed. Unlike a {@link java.lang.ref.Cleaner} it needs
 * no thread of its own and no lock shared by every request: the phantoms sit in one of several lists chosen by the
 * taking thread, so concurrent requests rarely meet (a concurrent set costs a hash and a shared counter per lease).
 * Forgotten leases are released when the next lease is taken, at each sweep and before the loaded models are listed.
 */
final class LeaseTracker {
    /** A lease's phantom; running it releases the lease's hold (once, whoever runs it first). */
    abstract static class Tracked extends PhantomReference<Lease> implements Runnable {
        private Stripe stripe;
        private Tracked prev;
        private Tracked next;
        private boolean listed;

        Tracked(Lease lease, LeaseTracker tracker) {
            super(lease, tracker.queue);
        }
    }

    /** One list of live phantoms, guarded by itself. */
    private static final class Stripe {
        private Tracked head;
    }

    private static final int STRIPES = 16;
    private final ReferenceQueue<Lease> queue = new ReferenceQueue<>();
    private final Stripe[] stripes = new Stripe[STRIPES];

    LeaseTracker() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** @param t the phantom of a new lease, run if the lease is never closed */
    void track(Tracked t) {
        expunge();
        Stripe s = stripes[(int) Thread.currentThread().getId() & (STRIPES - 1)];
        t.stripe = s;
        synchronized (s) {
            t.next = s.head;
            if (s.head != null) {
                s.head.prev = t;
            }
            s.head = t;
            t.listed = true;
        }
    }

    /** @param t the phantom of a lease closed by its caller */
    void untrack(Tracked t) {
        unlink(t);
        t.clear();
    }

    /** @return whether {@code t} was listed (and is not now) */
    private static boolean unlink(Tracked t) {
        Stripe s = t.stripe;
        synchronized (s) {
            if (!t.listed) {
                return false;
            }
            if (t.prev != null) {
                t.prev.next = t.next;
            } else {
                s.head = t.next;
            }
            if (t.next != null) {
                t.next.prev = t.prev;
            }
            t.prev = null;
            t.next = null;
            t.listed = false;
            return true;
        }
    }

    /** @return how many forgotten leases were released now */
    int expunge() {
        int n = 0;
        Reference<? extends Lease> r;
        while ((r = queue.poll()) != null) {
            if (unlink((Tracked) r)) {
                ((Tracked) r).run();
                n++;
            }
        }
        return n;
    }
}
