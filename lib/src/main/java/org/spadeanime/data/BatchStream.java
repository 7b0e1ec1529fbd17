package org.spadeanime.data;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.spadeanime.Interrupts;
import org.spadeanime.io.BadInputException;

/**
 * The training feed: an endless sequence of batches over a {@link DataView}. Each epoch is every
 * example once (twice with mirroring: plain and mirrored) in an order shuffled by
 * {@code new Random(seed ⊕ epoch)}; batches run on across epoch boundaries, so batch {@code k}
 * depends only on (seed, k) and a resumed run can start at any batch. Worker threads decode
 * {@link DatasetOptions#prefetch()} batches ahead, so only those few are held decoded in the heap;
 * the tensors are created in {@link #next} on the caller's thread and manager. One consumer thread
 * at a time; close the stream to stop its threads.
 */
public final class BatchStream implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final DataView view;
    private final int batchSize;
    private final long seed;
    private final boolean mirror;
    private final int epochLength;
    private final ExecutorService workers;
    private final ArrayDeque<Future<List<Sample>>> ahead = new ArrayDeque<>();
    private final int prefetch;
    private long nextBatch;      // the batch the head of `ahead` holds
    private long submitted;      // the next batch to submit
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    BatchStream(DataView view, int batchSize, long seed, boolean mirror, long firstBatch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + ": expected at least 1");
        }
        if (view.size() == 0) {
            throw new IllegalArgumentException("the " + view.role() + " view is empty: nothing to stream");
        }
        if (firstBatch < 0) {
            throw new IllegalArgumentException("first batch " + firstBatch + ": expected ≥ 0");
        }
        this.view = view;
        this.batchSize = batchSize;
        this.seed = seed;
        this.mirror = mirror;
        this.epochLength = view.size() * (mirror ? 2 : 1);
        DatasetOptions o = view.dataset().options();
        this.prefetch = o.prefetch();
        this.workers = Executors.newFixedThreadPool(o.workers(), r -> {
            Thread t = new Thread(r, "batch-decoder-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.nextBatch = firstBatch;
        this.submitted = firstBatch;
    }

    /** Examples per epoch: the view's size, doubled with mirroring. */
    public int epochLength() {
        return epochLength;
    }

    /** Number of the batch {@link #next} returns next (batches already served, plus the start). */
    public long position() {
        return nextBatch;
    }

    /** The epoch (0, 1, ...) of the first example of the next batch. */
    public long epoch() {
        return nextBatch * batchSize / epochLength;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The next batch, as tensors on {@code manager}'s device; bad files throw unless skipped. */
    public Batch next(NDManager manager) throws IOException {
        while (submitted < nextBatch + prefetch) {
            long k = submitted++;
            ahead.add(workers.submit(() -> decodeBatch(k)));
        }
        Future<List<Sample>> head = ahead.poll();
        nextBatch++;
        List<Sample> samples;
        try {
            samples = Interrupts.await(head); // decoding takes milliseconds: a Stop waits for the batch
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io instanceof BadInputException b ? new BadInputException(b.file(), stripFile(b), b) : io;
            }
            throw new IllegalStateException("decoding a batch of " + view + " failed: " + c, c);
        }
        return Batch.of(samples, manager);
    }

    private static String stripFile(BadInputException b) {
        String m = b.getMessage();
        String prefix = b.file() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private List<Sample> decodeBatch(long k) throws IOException {
        List<Sample> out = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            long item = k * batchSize + i;
            int epoch = (int) (item / epochLength);
            int j = order(epoch)[(int) (item % epochLength)];
            int n = view.size();
            out.add(view.sample(j % n, j >= n));
        }
        return out;
    }

    /** The shuffled item order of an epoch: items 0..n-1 plain, n..2n-1 mirrored. */
    private synchronized int[] order(int epoch) {
        if (epoch != cachedEpoch) {
            int[] o = new int[epochLength];
            for (int i = 0; i < o.length; i++) {
                o[i] = i;
            }
            AnimeDataset.shuffle(o, new Random(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))));
            cachedOrder = o;
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    /** Stops the decoding threads; batches already returned stay valid. */
    @Override
    public void close() {
        workers.shutdownNow();
        ahead.clear();
    }
}
