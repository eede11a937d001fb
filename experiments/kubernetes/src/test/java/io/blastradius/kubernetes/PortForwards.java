package io.blastradius.kubernetes;

import io.fabric8.kubernetes.client.PortForward;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A {@link PortForward} for tunnels the tests make themselves: alive while they say so, without errors. */
final class PortForwards {

    private PortForwards() {
    }

    static PortForward of(BooleanSupplier alive, Closeable close) {
        return new PortForward() {
            @Override
            public boolean isAlive() {
                return alive.getAsBoolean();
            }

            @Override
            public boolean errorOccurred() {
                return false;
            }

            @Override
            public Collection<Throwable> getClientThrowables() {
                return List.of();
            }

            @Override
            public Collection<Throwable> getServerThrowables() {
                return List.of();
            }

            @Override
            public void close() throws IOException {
                close.close();
            }
        };
    }
}
