package io.blastradius.faultproxy.toxics;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Between a toxic's attribute record and the wire: the names (a component {@code sizeVariation} is
 * {@code size_variation}), a record from values by name (missing ones 0, or "" for a text), and the values
 * of a record. Components are {@code long} (Toxiproxy's toxics have only those) or {@code String} (the
 * toxics beyond Toxiproxy's). The one place that knows attributes by string; the toxics read their
 * record's components.
 */
public final class ToxicAttributes {

    private ToxicAttributes() {
    }

    /** The wire names of the record's components, in their order. */
    public static List<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> wireName(c.getName())).toList();
    }

    /** Whether the attribute of this wire name is a text ({@code String}) rather than a whole number. */
    public static boolean isText(Class<? extends Record> type, String wireName) {
        return Arrays.stream(type.getRecordComponents()).anyMatch(c -> wireName(c.getName()).equals(wireName) && c.getType() == String.class);
    }

    /** A record of {@code type} from values ({@code Long} or {@code String}) by wire name; an attribute not given is 0 or "". */
    public static <A extends Record> A of(Class<A> type, Map<String, Object> values) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] arguments = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            arguments[i] = values.getOrDefault(wireName(components[i].getName()), types[i] == String.class ? "" : 0L);
        }
        try {
            Constructor<A> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("attributes " + type.getName() + " must be a record of long and String components", e);
        }
    }

    /** The record's values by wire name, in its components' order. */
    public static Map<String, Object> values(Record attributes) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : attributes.getClass().getRecordComponents()) {
            try {
                component.getAccessor().setAccessible(true);
                values.put(wireName(component.getName()), component.getAccessor().invoke(attributes));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of " + attributes, e);
            }
        }
        return values;
    }

    /** {@code sizeVariation} → {@code size_variation}. */
    static String wireName(String component) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < component.length(); i++) {
            if (Character.isUpperCase(component.charAt(i))) {
                parts.add(component.substring(start, i).toLowerCase(java.util.Locale.ROOT));
                start = i;
            }
        }
        parts.add(component.substring(start).toLowerCase(java.util.Locale.ROOT));
        return String.join("_", parts);
    }
}
