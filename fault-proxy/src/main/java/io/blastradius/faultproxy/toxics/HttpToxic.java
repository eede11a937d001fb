package io.blastradius.faultproxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code http} {status, delay ms, percent (default 100), method, path}: beyond Toxiproxy (its oldest open request). On a
 * proxy's upstream stream it reads the HTTP/1.1 requests a client sends, and for {@code percent} of those
 * whose method is {@code method} (any when "") and whose path starts with {@code path} (any when ""):
 * <ul>
 *   <li>with a {@code status} (100–599), answers it itself {@code delay} ms later, with a small JSON body, and
 *       the request (body included) never reaches the upstream;</li>
 *   <li>with status 0, passes the request on {@code delay} ms late (and what follows it behind it).</li>
 * </ul>
 * Other requests pass at once. Bodies are read by their Content-Length or their chunked encoding. What it cannot
 * read as HTTP/1.1 (a head past {@link #MAX_HEAD} bytes, not a request line, a bad chunk size) makes it pass the
 * rest of the connection untouched. Answers go straight to the
 * client, past any downstream toxic; a client that pipelines requests may get an answer before one for an
 * earlier request still upstream (clients that wait for each answer, as browsers and pools do, cannot).
 * The API lists it only when asked ({@code GET /proxies/{proxy}/toxics?all=true}), so that Toxiproxy's own
 * clients, which fail on a type they do not know, are not broken by it.
 */
public final class HttpToxic implements ToxicKind<HttpToxic.Attributes> {

    /** The largest request head it reads; past it, the connection passes untouched. */
    static final int MAX_HEAD = 64 * 1024;
    /** The longest delay, in milliseconds: 10 minutes. */
    static final long MAX_DELAY_MILLIS = 600_000;

    /** {@code status} (0: delay only), {@code delay} (ms), {@code percent} of the matching requests, {@code method}, {@code path} prefix. */
    public record Attributes(long status, long delay, long percent, String method, String path) {
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Class<Attributes> attributes() {
        return Attributes.class;
    }

    /** Every matching request unless {@code percent} says otherwise. */
    @Override
    public Map<String, Object> defaults() {
        return Map.of("percent", 100L);
    }

    @Override
    public boolean beyondToxiproxy() {
        return true;
    }

    @Override
    public String onlyStream() {
        return "upstream";
    }

    @Override
    public void validate(Attributes values) {
        ToxicKind.require(values.status() == 0 || (values.status() >= 100 && values.status() <= 599), "status",
                "0 (delay only) or an HTTP status from 100 to 599", values.status());
        ToxicKind.require(values.delay() >= 0 && values.delay() <= MAX_DELAY_MILLIS, "delay", "from 0 to " + MAX_DELAY_MILLIS + " (milliseconds)",
                values.delay());
        ToxicKind.require(values.percent() >= 0 && values.percent() <= 100, "percent", "from 0 to 100", values.percent());
        if (!values.method().matches("[A-Z]{0,16}")) {
            throw new IllegalArgumentException("method must be an HTTP method in capitals (GET, POST, ...) or empty for any, but was " + values.method());
        }
        if (!values.path().isEmpty() && !values.path().startsWith("/")) {
            throw new IllegalArgumentException("path must start with / (a prefix of the request's path) or be empty for any, but was " + values.path());
        }
    }

    @Override
    public Stage newStage(Attributes values, StageContext context) {
        return new Requests(values, context);
    }

    /** The longest chunk-size or trailer line it reads in a chunked body. */
    static final int MAX_LINE = 4096;

    /** Where the reading of a connection's requests stands; kept across rebuilds of the chain. */
    private static final class Reading {
        /**
         * Reading a request's head; in its body or in one chunk of it ({@code bodyLeft} bytes to go); reading a
         * chunk-size or trailer line of a chunked body; or passing everything.
         */
        enum Mode { HEAD, BODY, CHUNK_LINE, PASS }

        Mode mode = Mode.HEAD;
        long bodyLeft;
        /** The body in progress is chunked; after its last chunk, {@code trailers} are read up to a blank line. */
        boolean chunked;
        boolean trailers;
        final StringBuilder line = new StringBuilder();
        /** The body in progress belongs to a request answered here: it is dropped. */
        boolean answered;
        /** When the body in progress may leave. */
        long dueNanos;
    }

    private static final class Requests implements Stage {
        private final Attributes values;
        private final StageContext context;
        private final Paced paced;
        private final Reading reading;
        private final long delayNanos;
        /** The head read so far, not yet complete. */
        private CompositeByteBuf head;
        private long headStarted;

        Requests(Attributes values, StageContext context) {
            this.values = values;
            this.context = context;
            this.paced = new Paced(context);
            this.reading = context.state(Reading::new);
            this.delayNanos = TimeUnit.MILLISECONDS.toNanos(values.delay());
        }

        @Override
        public void onChunk(Chunk chunk) {
            ByteBuf data = chunk.data();
            long received = chunk.timestampNanos();
            while (data.isReadable()) {
                switch (reading.mode) {
                    case PASS -> {
                        paced.sendAt(new Chunk(data.readRetainedSlice(data.readableBytes()), received), received);
                    }
                    case BODY -> {
                        int length = (int) Math.min(reading.bodyLeft, data.readableBytes());
                        forward(data.readRetainedSlice(length), received);
                        reading.bodyLeft -= length;
                        if (reading.bodyLeft == 0) {
                            reading.mode = reading.chunked ? Reading.Mode.CHUNK_LINE : Reading.Mode.HEAD;
                        }
                    }
                    case CHUNK_LINE -> readChunkLine(data, received);
                    case HEAD -> readHead(data, received);
                }
            }
            chunk.release();
        }

        /** A piece of the request in progress: on to the upstream (when it is due), or dropped if it is answered here. */
        private void forward(ByteBuf piece, long received) {
            if (reading.answered) {
                piece.release();
            } else {
                paced.sendAt(new Chunk(piece, received), Math.max(received, reading.dueNanos));
            }
        }

        /** Takes a chunk-size line (then the chunk, or the trailers after the last) or a trailer line of a chunked body. */
        private void readChunkLine(ByteBuf data, long received) {
            int start = data.readerIndex();
            int newline = data.indexOf(start, data.writerIndex(), (byte) '\n');
            int end = newline < 0 ? data.writerIndex() : newline + 1;
            reading.line.append(data.toString(start, end - start, StandardCharsets.ISO_8859_1));
            forward(data.readRetainedSlice(end - start), received);
            if (reading.line.length() > MAX_LINE) {
                reading.mode = Reading.Mode.PASS;
                return;
            }
            if (newline < 0) {
                return;
            }
            String line = reading.line.toString().trim();
            reading.line.setLength(0);
            if (reading.trailers) {
                if (line.isEmpty()) {
                    reading.trailers = false;
                    reading.chunked = false;
                    reading.mode = Reading.Mode.HEAD;
                }
                return;
            }
            int extension = line.indexOf(';');
            long size;
            try {
                size = Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                reading.mode = Reading.Mode.PASS;
            } else if (size == 0) {
                reading.trailers = true;
            } else {
                reading.bodyLeft = size + 2; // the chunk's data and its CRLF
                reading.mode = Reading.Mode.BODY;
            }
        }

        /** Takes what {@code data} has of a head; once the head is complete, decides the request's fate. */
        private void readHead(ByteBuf data, long received) {
            if (head == null) {
                head = Unpooled.compositeBuffer();
                headStarted = received;
            }
            int before = head.readableBytes();
            head.addComponent(true, data.readRetainedSlice(data.readableBytes()));
            int end = endOfHead(head, Math.max(0, before - 3));
            if (end < 0) {
                if (head.readableBytes() > MAX_HEAD) {
                    giveUp();
                }
                return;
            }
            ByteBuf complete = head.readRetainedSlice(end);
            ByteBuf rest = head.readableBytes() > 0 ? head.readRetainedSlice(head.readableBytes()) : null;
            head.release();
            head = null;
            decide(complete, headStarted);
            if (rest != null) {
                // what came after the head: a body, or the next request, read by the loop in onChunk
                onChunk(new Chunk(rest, received));
            }
        }

        /** The request whose head is {@code complete}: answered here, passed on late, or passed on. */
        private void decide(ByteBuf complete, long started) {
            Request request = Request.parse(complete.toString(StandardCharsets.ISO_8859_1));
            if (request == null) {
                paced.sendAt(new Chunk(complete, started), started);
                reading.mode = Reading.Mode.PASS;
                return;
            }
            boolean hit = request.matches(values.method(), values.path())
                    && values.percent() > 0 && (values.percent() >= 100 || context.random().nextLong(100) < values.percent());
            reading.answered = hit && values.status() > 0;
            reading.dueNanos = hit ? started + delayNanos : started;
            reading.chunked = request.chunked();
            reading.trailers = false;
            reading.line.setLength(0);
            reading.bodyLeft = request.chunked() ? 0 : request.contentLength();
            reading.mode = request.chunked() ? Reading.Mode.CHUNK_LINE : reading.bodyLeft > 0 ? Reading.Mode.BODY : Reading.Mode.HEAD;
            if (reading.answered) {
                complete.release();
                context.countDropped();
                ByteBuf answer = answer((int) values.status());
                if (delayNanos == 0) {
                    context.reply(answer);
                } else {
                    context.schedule(() -> context.reply(answer), delayNanos);
                }
            } else {
                paced.sendAt(new Chunk(complete, started), reading.dueNanos);
            }
        }

        private void giveUp() {
            reading.mode = Reading.Mode.PASS;
            ByteBuf held = head;
            head = null;
            paced.sendAt(new Chunk(held, headStarted), headStarted);
        }

        @Override
        public void onEnd(StageContext ignored) {
            if (head != null) {
                giveUp();
            }
            paced.end();
        }

        @Override
        public List<Chunk> drain() {
            List<Chunk> held = new ArrayList<>(paced.drain());
            if (head != null) {
                // a head cut in two by a rebuild cannot be read whole again: the rest of the connection passes
                reading.mode = Reading.Mode.PASS;
                held.add(new Chunk(head, headStarted));
                head = null;
            }
            return held;
        }

        /** The answer given in the upstream's place: the status, and a JSON error in the replica's shape. */
        private ByteBuf answer(int status) {
            String body = "{\"type\":\"error\",\"error\":{\"type\":\"injected_fault\",\"message\":\"answered by the fault proxy's http toxic\"}}";
            String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
            String text = "HTTP/1.1 " + status + " " + reason + "\r\n"
                    + "content-type: application/json\r\n"
                    + "content-length: " + body.length() + "\r\n"
                    + "x-blastradius-fault: http\r\n\r\n" + body;
            return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        }
    }

    /** Where the blank line ending a head ends in {@code buffer} (searching from {@code from}), or -1. */
    static int endOfHead(ByteBuf buffer, int from) {
        int start = buffer.readerIndex() + from;
        int found = ByteBufUtil.indexOf(CRLF_CRLF, buffer.slice(start, buffer.writerIndex() - start));
        return found < 0 ? -1 : start - buffer.readerIndex() + found + 4;
    }

    private static final ByteBuf CRLF_CRLF = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'}));

    /** A request's head as far as the toxic needs it; null for what is not an HTTP/1.x request. */
    record Request(String method, String path, long contentLength, boolean chunked) {

        static Request parse(String head) {
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.") || !requestLine[0].matches("[A-Z]{1,16}")) {
                return null;
            }
            long length = 0;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                    if (length < 0) {
                        return null;
                    }
                } else if (name.equals("transfer-encoding") && !value.equalsIgnoreCase("identity")) {
                    chunked = true;
                }
            }
            String target = requestLine[1];
            int query = target.indexOf('?');
            return new Request(requestLine[0], query < 0 ? target : target.substring(0, query), length, chunked);
        }

        boolean matches(String method, String pathPrefix) {
            return (method.isEmpty() || method.equals(this.method)) && path.startsWith(pathPrefix);
        }
    }
}
