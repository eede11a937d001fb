package io.blastradius.experiment.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A text file read with a size limit checked before a byte is parsed, as UTF-8 and nothing else: a file
 * past the limit, a binary file (a NUL byte) or bytes that are not UTF-8 are refused with where the first
 * bad byte is, not half-read.
 */
public final class TextFile {

    /** Why a file was not read, and where in it when a byte is to blame (line and column 1-based; 1:1 otherwise). */
    public static final class Refused extends Exception {
        private final int line;
        private final int column;

        Refused(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    private TextFile() {
    }

    /** The file's text; {@code what} names the kind of file in the messages ("an experiment file"). */
    public static String read(Path file, long maxBytes, String what) throws Refused {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw tooLarge(size, maxBytes, what);
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) maxBytes + 1);   // it may have grown since
            }
        } catch (IOException e) {
            throw new Refused("cannot read the file: " + e.getMessage(), 1, 1);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(bytes.length, maxBytes, what);
        }
        return decode(bytes);
    }

    /** Text already in memory (a request's body) against the same limit, counted in UTF-8 bytes. */
    public static void checkSize(String text, long maxBytes, String what) throws Refused {
        // a char is at most 3 bytes of UTF-8: count exactly only when that could matter
        if ((long) text.length() * 3 > maxBytes) {
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                throw tooLarge(bytes, maxBytes, what);
            }
        }
    }

    private static Refused tooLarge(long size, long maxBytes, String what) {
        return new Refused(String.format(Locale.ROOT, "the file is %,d bytes; %s may be at most %,d bytes (is it the right file?)",
                size, what, maxBytes), 1, 1);
    }

    static String decode(byte[] bytes) throws Refused {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw refusedAt(bytes, i, "a binary file, not text: a NUL byte at offset " + i);
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            throw refusedAt(bytes, offset, String.format(Locale.ROOT, "not UTF-8 text: the byte 0x%02x at offset %d is not valid UTF-8 "
                    + "(save the file as UTF-8)", bytes[offset] & 0xff, offset));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static Refused refusedAt(byte[] bytes, int offset, String message) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Refused(message, line, offset - lineStart + 1);
    }
}
