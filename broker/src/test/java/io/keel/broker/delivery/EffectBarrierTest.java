package io.keel.broker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * The snapshot cut's contract: every operation whose record may lie below the offset it returns has
 * applied its effect; one it does not wait for appends above the offset.
 */
class EffectBarrierTest {

    @Test
    void anOperationThatAppendedBeforeTheOffsetWasReadIsWaitedFor() {
        EffectBarrier barrier = new EffectBarrier();
        int[] token = new int[1];
        // The operation enters and appends while the cut is about to read the offset: its record lies
        // below the offset read, so the cut must wait for its effect (here: never applied, so it times out).
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> barrier.cut(() -> {
            token[0] = barrier.enter();
            return 4_096;
        }, 50));
        assertTrue(e.getMessage().contains("1 state changes still pending"), e.getMessage());
        barrier.exit(token[0]);
        assertEquals(8_192, barrier.cut(() -> 8_192, 50), "nothing pending once it exited");
    }

    @Test
    void theCutReturnsOnlyOnceEarlierOperationsAppliedTheirEffects() throws Exception {
        EffectBarrier barrier = new EffectBarrier();
        int token = barrier.enter();
        AtomicBoolean applied = new AtomicBoolean();
        CompletableFuture<Boolean> cut = CompletableFuture.supplyAsync(() -> {
            barrier.cut(() -> 1, 10_000);
            return applied.get();
        });
        Thread operation = new Thread(() -> {
            applied.set(true);
            barrier.exit(token);
        });
        operation.start();
        assertTrue(cut.get(10, TimeUnit.SECONDS), "the cut returned before the operation's effect was applied");
        operation.join();
    }
}
