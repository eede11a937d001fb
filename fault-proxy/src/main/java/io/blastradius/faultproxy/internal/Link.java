package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.internal.ToxicConfig.Direction;
import io.blastradius.faultproxy.toxics.Chunk;
import io.blastradius.faultproxy.toxics.NoopToxic;
import io.blastradius.faultproxy.toxics.Stage;
import io.blastradius.faultproxy.toxics.StageContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One direction of one connection: chunks read from {@code source} go through the chain of toxic
 * stages and are written to {@code destination}. Lives on the connection's event loop only.
 */
final class Link {

    private final Connection connection;
    private final Direction direction;
    private final Channel destination;
    private final SplittableRandom random;
    private final Proxy proxy;
    private final LongAdder received;
    private final LongAdder sent;
    private final Map<String, Object> states = new HashMap<>();
    private final Map<String, Roll> rolls = new HashMap<>();
    private List<Slot> slots = List.of();
    private boolean sourceEnded;
    private boolean destinationClosed;

    Link(Connection connection, Direction direction, Channel destination, SplittableRandom random, Proxy proxy) {
        this.connection = connection;
        this.direction = direction;
        this.destination = destination;
        this.random = random;
        this.proxy = proxy;
        this.received = proxy.received.get(direction);
        this.sent = proxy.sent.get(direction);
    }

    /** Replaces the chain: held data is sent on at once, toxics that are gone get their cleanup. */
    void rebuild(List<ToxicConfig> toxics, Set<String> removed) {
        List<Slot> old = slots;
        List<Chunk> held = new ArrayList<>();
        for (int i = old.size() - 1; i >= 0; i--) {
            Slot slot = old.get(i);
            slot.context.retire();
            held.addAll(slot.stage.drain());
        }
        List<Slot> next = new ArrayList<>();
        for (ToxicConfig toxic : toxics) {
            Slot slot = new Slot(toxic, next.size());
            next.add(slot);
        }
        slots = next;
        for (Slot slot : next) {
            slot.stage = stageFor(slot);
        }
        for (Chunk chunk : held) {
            write(chunk);
        }
        for (Slot slot : old) {
            if (removed.contains(slot.toxic.name())) {
                states.remove(slot.toxic.name());
                rolls.remove(slot.toxic.name());
                slot.stage.onRemoved(slot.context);
            }
        }
        if (sourceEnded) {
            deliverEnd(0);
        }
    }

    /**
     * Whether a toxic acts on this connection: rolled against its toxicity when it is new here and again
     * whenever it is updated; the connection counts as reached the first time a roll hits. A toxic that
     * is removed forgets its roll, so one added again under the same name rolls afresh.
     */
    private record Roll(long version, boolean hit, boolean counted) {
    }

    private Stage stageFor(Slot slot) {
        ToxicConfig toxic = slot.toxic;
        Roll roll = rolls.get(toxic.name());
        if (roll == null || roll.version() != toxic.version()) {
            boolean hit = toxic.toxicity() >= 1.0 || (toxic.toxicity() > 0 && random.nextDouble() < toxic.toxicity());
            boolean counted = roll != null && roll.counted();
            if (hit && !counted) {
                proxy.counters(toxic.name()).connections.increment();
                counted = true;
            }
            roll = new Roll(toxic.version(), hit, counted);
            rolls.put(toxic.name(), roll);
        }
        return roll.hit()
                ? toxic.newStage(slot.context)
                : NoopToxic.pass(slot.context);
    }

    void onRead(ByteBuf data) {
        received.add(data.readableBytes());
        if (slots.isEmpty()) {
            write(data); // no toxic: straight on, without a chunk or a timestamp
            return;
        }
        deliver(0, new Chunk(data, System.nanoTime()));
    }

    void onSourceEnd() {
        if (sourceEnded) {
            return;
        }
        sourceEnded = true;
        deliverEnd(0);
    }

    private void deliver(int index, Chunk chunk) {
        if (index < slots.size()) {
            slots.get(index).stage.onChunk(chunk);
        } else {
            write(chunk);
        }
    }

    private void deliverEnd(int index) {
        if (index < slots.size()) {
            Slot slot = slots.get(index);
            slot.stage.onEnd(slot.context);
        } else {
            closeDestination();
        }
    }

    private void write(Chunk chunk) {
        write(chunk.data());
    }

    private void write(ByteBuf data) {
        if (destinationClosed || !destination.isActive()) {
            data.release();
            return;
        }
        int size = data.readableBytes();
        destination.writeAndFlush(data).addListener(f -> {
            if (f.isSuccess()) {
                sent.add(size);
            }
        });
        if (!destination.isWritable()) {
            connection.sourceOf(this).config().setAutoRead(false);
        }
    }

    private void closeDestination() {
        if (!destinationClosed) {
            destinationClosed = true;
            Connection.flushAndClose(destination);
        }
    }

    /** One toxic in this link's chain, with the context its stage acts through. */
    private final class Slot {
        final ToxicConfig toxic;
        final SlotContext context;
        Stage stage;

        Slot(ToxicConfig toxic, int index) {
            this.toxic = toxic;
            this.context = new SlotContext(index, toxic.name());
        }
    }

    private final class SlotContext implements StageContext {
        private final int index;
        private final String toxicName;
        private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
        private boolean retired;

        SlotContext(int index, String toxicName) {
            this.index = index;
            this.toxicName = toxicName;
        }

        void retire() {
            retired = true;
            scheduled.forEach(f -> f.cancel(false));
            scheduled.clear();
        }

        @Override
        public void emit(Chunk chunk) {
            if (retired) {
                write(chunk);
            } else {
                deliver(index + 1, chunk);
            }
        }

        @Override
        public void end() {
            if (!retired) {
                deliverEnd(index + 1);
            }
        }

        @Override
        public void reply(ByteBuf data) {
            Channel source = connection.sourceOf(Link.this);
            if (source.isActive()) {
                source.writeAndFlush(data);
            } else {
                data.release();
            }
        }

        @Override
        public void closeConnection(boolean reset) {
            connection.close(reset);
        }

        @Override
        public void schedule(Runnable task, long delayNanos) {
            if (retired) {
                return;
            }
            scheduled.removeIf(ScheduledFuture::isDone);
            scheduled.add(destination.eventLoop().schedule(() -> {
                if (!retired) {
                    task.run();
                }
            }, delayNanos, TimeUnit.NANOSECONDS));
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public SplittableRandom random() {
            return random;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T state(Supplier<T> initial) {
            return (T) states.computeIfAbsent(toxicName, n -> initial.get());
        }

        @Override
        public void countDelayed() {
            proxy.counters(toxicName).delayed.increment();
        }

        @Override
        public void countDropped() {
            proxy.counters(toxicName).dropped.increment();
        }
    }
}
