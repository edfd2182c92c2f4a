package io.skyforge.datagen.output;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream of one object being written. Its bytes become visible only through {@link #commit()};
 * closing without a commit (an exception on the way) discards them, as aborting a multipart upload
 * does, so no reader ever sees a truncated part.
 */
public abstract class PartOutput extends OutputStream {

    /** Makes the written bytes the object's content, replacing any earlier version. */
    public abstract void commit() throws IOException;
}
