package io.keel.store;

import java.util.concurrent.CompletableFuture;

/** An {@link AppendCallback} that completes a future with the {@link AppendResult}. */
public final class AppendFuture extends CompletableFuture<AppendResult> implements AppendCallback {

    @Override
    public void appended(long physicalOffset, long queueOffset, int size, long storeTimestamp) {
        complete(new AppendResult(physicalOffset, queueOffset, size, storeTimestamp));
    }

    @Override
    public void failed(StoreException error) {
        completeExceptionally(error);
    }
}
