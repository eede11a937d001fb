package io.blastradius.faultproxy.toxics;


/**
 * {@code limit_data} {bytes}: forwards at most {@code bytes} in its direction (cutting the chunk that
 * crosses the limit), then closes the connection. The count is per connection and direction and
 * survives updates of the toxic.
 */
public final class LimitDataToxic implements ToxicKind<LimitDataToxic.Attributes> {

    /** Bytes. */
    public record Attributes(long bytes) {
    }


    @Override
    public String type() {
        return "limit_data";
    }

    @Override
    public Class<Attributes> attributes() {
        return Attributes.class;
    }

    @Override
    public void validate(Attributes values) {
        ToxicKind.require(values.bytes() >= 0, "bytes", ">= 0", values.bytes());
    }

    /** Bytes forwarded so far on one link. */
    static final class Count {
        long sent;
    }

    @Override
    public Stage newStage(Attributes values, StageContext context) {
        long limit = values.bytes();
        Count count = context.state(Count::new);
        return chunk -> {
            long room = limit - count.sent;
            if (room <= 0) {
                context.countDropped();
                chunk.release();
                context.closeConnection(false);
                return;
            }
            if (chunk.size() <= room) {
                count.sent += chunk.size();
                context.emit(chunk);
                if (count.sent >= limit) {
                    context.closeConnection(false);
                }
                return;
            }
            Chunk head = chunk.split((int) room);
            count.sent += head.size();
            context.countDropped();
            chunk.release();
            context.emit(head);
            context.closeConnection(false);
        };
    }
}
