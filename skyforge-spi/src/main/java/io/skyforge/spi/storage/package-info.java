/**
 * Object storage SPI: one {@link io.skyforge.spi.storage.ObjectStore} per configured cloud account,
 * created by the {@link io.skyforge.spi.storage.ObjectStoreFactory} whose {@code type()} matches
 * ({@link io.skyforge.spi.storage.ObjectStores#open}).
 *
 * <p>Conventions every adapter follows, so callers never branch on the backend:
 * <ul>
 *   <li>Every failure is a {@link io.skyforge.spi.error.SkyforgeException}: a missing bucket is
 *       {@code SF-BUCKET-NOT-FOUND}, a missing key {@code SF-NOT-FOUND}, a failed condition
 *       {@code SF-PRECONDITION-FAILED}, refused credentials {@code SF-ACCESS-DENIED}, throttling and
 *       outages the retryable {@code SF-THROTTLED}/{@code SF-UNAVAILABLE}.</li>
 *   <li>ETags are opaque strings without the surrounding HTTP quotes.</li>
 *   <li>Keys are validated by {@link io.skyforge.spi.storage.ObjectKeys} before any I/O.</li>
 *   <li>No secret from {@link io.skyforge.spi.storage.ObjectStoreConfig} ever appears in a message.</li>
 * </ul>
 */
package io.skyforge.spi.storage;
