package io.blastradius.environment;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The environments on the classpath, by name. */
public final class Environments {

    private Environments() {
    }

    /** Every provider on the classpath, in name order. */
    public static List<EnvironmentProvider> all() {
        return ServiceLoader.load(EnvironmentProvider.class, Environments.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    /** The provider of that name; an {@link IllegalArgumentException} naming the ones that exist otherwise. */
    public static EnvironmentProvider named(String name) {
        List<EnvironmentProvider> all = all();
        return all.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no environment named '" + name + "'; on the classpath: "
                        + (all.isEmpty() ? "none" : all.stream().map(EnvironmentProvider::name).collect(Collectors.joining(", ")))));
    }
}
