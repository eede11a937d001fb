package io.blastradius.engine.faults;

import java.util.Map;

/**
 * How to undo one applied fault without the process that applied it: a kind ({@code toxic},
 * {@code proxy-disabled}, {@code chaos-monkey}, {@code paused}, {@code stopped}) and what it needs.
 */
public record UndoRecord(String id, String kind, Map<String, String> where) {
}
