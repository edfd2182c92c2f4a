package io.skyforge.datagen.writer;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for the generator's background tasks (row chunks, column encoding) as if they had run inline. */
public final class TaskResults {

    private TaskResults() {
    }

    /**
     * The task's result, or what it failed with, rethrown as itself: an {@link IOException}, an unchecked
     * exception or an error; anything else (and an interrupted wait) becomes an {@link IOException}.
     */
    public static <T> T get(Future<T> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }
}
