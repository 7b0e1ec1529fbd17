package org.spadeanime.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs notebook snippets inside the kernel's JVM, so that results reach the renderers as real objects
 * (images, tables, tensors), on one long-lived thread, so that thread-local state such as DJL's grad mode
 * or an open NDScope behaves the same from cell to cell.
 *
 * <p>Stopping a snippet: {@link #requestStop()} raises {@link StopCheck}'s flag (instrumented notebook code
 * throws at its next loop iteration) and interrupts the thread (ends sleeps and waits). Code that is stuck
 * in library code ignoring both is force-stopped with Thread.stop after a grace period where the JDK still
 * supports it (up to 19).
 */
final class NotebookExecutionControl extends DirectExecutionControl {

    /** The default grace period before a force stop, in ms: property {@code spade.kernel.forceStopMillis}. */
    static final long FORCE_STOP_MILLIS = Long.getLong("spade.kernel.forceStopMillis", 5000L);

    private static final String VALUE_KEY_PREFIX = "\u0000notebook-value-";

    private final ExecutorService cellThread = Executors.newSingleThreadExecutor(r -> daemon(r, "notebook-cell"));
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicLong valueIds = new AtomicLong();
    private volatile Thread running;
    /** Counts snippet runs, so that a late force stop cannot hit a later snippet on the same thread. */
    private final AtomicLong runs = new AtomicLong();
    private volatile boolean stopped;
    private volatile boolean weaveFailureReported;
    private final long forceStopMillis;

    /** @param forceStopMillis grace period before Thread.stop, 0 = never force */
    NotebookExecutionControl(long forceStopMillis) {
        this.forceStopMillis = forceStopMillis;
    }

    @Override
    public void load(ClassBytecodes[] classes)
            throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] woven = new ClassBytecodes[classes.length];
        for (int i = 0; i < classes.length; i++) {
            woven[i] = new ClassBytecodes(classes[i].name(), weave(classes[i].bytecodes()));
        }
        super.load(woven);
    }

    private byte[] weave(byte[] classFile) {
        try {
            return StopCheckWeaver.instrument(classFile);
        } catch (RuntimeException e) {
            if (!weaveFailureReported) {
                weaveFailureReported = true;
                System.err.println("spade-kernel: cannot instrument notebook classes (" + e
                        + "); an interrupt will only end sleeps, waits and code that checks Thread.interrupted()");
            }
            return classFile;
        }
    }

    /**
     * Runs the snippet on the cell thread and returns a key for {@link #takeValue} instead of the value's
     * text: JShell only passes strings on.
     */
    @Override
    protected String invoke(Method doit) throws Exception {
        if (Thread.currentThread() == running) {
            return keep(doit.invoke(null)); // notebook code evaluating code (eval): already on the cell thread
        }
        ClassLoader notebookLoader = doit.getDeclaringClass().getClassLoader();
        Future<Object> result = cellThread.submit(() -> {
            Thread self = Thread.currentThread();
            Thread.interrupted(); // an interrupt left over from a previous stop
            self.setContextClassLoader(notebookLoader); // ServiceLoader lookups see %jars (DJL engines)
            runs.incrementAndGet();
            running = self;
            try {
                return doit.invoke(null);
            } finally {
                running = null;
            }
        });
        try {
            return keep(result.get());
        } catch (ExecutionException e) {
            Throwable failure = e.getCause() instanceof InvocationTargetException
                    ? e.getCause().getCause() : e.getCause();
            if (StopCheck.isRequested() || isStop(failure)) {
                stopped = true;
                throw new StoppedException();
            }
            if (e.getCause() instanceof InvocationTargetException) {
                throw (InvocationTargetException) e.getCause(); // JShell reports it with the snippet's frames
            }
            throw new InternalException(String.valueOf(failure));
        }
    }

    @SuppressWarnings("deprecation") // ThreadDeath: what Thread.stop throws
    private static boolean isStop(Throwable t) {
        return t instanceof StopRequestedError || t instanceof ThreadDeath;
    }

    private String keep(Object value) {
        String key = VALUE_KEY_PREFIX + valueIds.incrementAndGet();
        values.put(key, value == null ? Null.VALUE : value);
        return key;
    }

    /** The object a snippet returned, given the value string JShell reported for it (null if none). */
    Object takeValue(String key) {
        Object value = key == null ? null : values.remove(key);
        return value == Null.VALUE ? null : value;
    }

    /** Drops kept values nobody asked for (declarations and statements also return through invoke). */
    void forgetValues() {
        values.clear();
    }

    /** Whether the last invocations ended because of a stop request; resets the answer. */
    boolean consumeStopped() {
        boolean s = stopped;
        stopped = false;
        return s;
    }

    /** Asks the running snippet, if any, to stop; see the class comment. Returns at once. */
    void requestStop() {
        StopCheck.request();
        Thread target = running;
        long run = runs.get();
        if (target == null) {
            return;
        }
        target.interrupt();
        if (forceStopMillis > 0) {
            daemon(() -> forceStopLater(target, run), "notebook-stop").start();
        }
    }

    @SuppressWarnings({"deprecation", "removal"}) // Thread.stop: the last resort, where the JDK still has it
    private void forceStopLater(Thread target, long run) {
        try {
            Thread.sleep(forceStopMillis);
        } catch (InterruptedException e) {
            return;
        }
        // Not when the stop check fired, nor when code took the interrupt (a training loop that is ending
        // with a checkpoint): killing that would lose the very state the stop is meant to keep.
        if (running != target || runs.get() != run || !StopCheck.isRequested() || !target.isInterrupted()) {
            return;
        }
        try {
            target.stop();
        } catch (UnsupportedOperationException e) {
            System.err.println("spade-kernel: the cell ignores the interrupt (it runs library code that does not"
                    + " check Thread.interrupted()) and this JDK cannot force-stop it; wait or restart the kernel");
        }
    }

    @Override
    public void stop() {
        requestStop();
    }

    @Override
    public void close() {
        cellThread.shutdownNow();
        super.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Stands for a null value in the map. */
    private enum Null { VALUE }
}
