package io.blastradius.engine.faults;

import eu.rekawek.toxiproxy.Proxy;
import io.blastradius.engine.EngineException;
import io.blastradius.experiment.Experiment.FaultSpec;
import io.blastradius.replica.Hop;

import java.io.IOException;
import java.util.Map;

/** {@code down}: the hop's proxy is disabled: live connections dropped, new ones refused. */
final class DownFault implements Fault {

    @Override
    public String type() {
        return "down";
    }

    @Override
    public Applied apply(FaultSpec spec, Context context) {
        String proxyName = Hop.fromWireName(spec.target()).proxyName();
        try {
            Proxy proxy = context.environment().toxiproxy().getProxy(proxyName);
            context.journal().accept(new UndoRecord(context.id(), "proxy-disabled",
                    Map.of("faultProxy", context.environment().replica().faultProxyUrl().toString(), "proxy", proxyName)));
            proxy.disable();
            return () -> {
                try {
                    proxy.enable();
                } catch (IOException e) {
                    throw new EngineException("could not enable proxy " + proxyName + " again: " + e.getMessage(), e);
                }
            };
        } catch (IOException e) {
            throw new EngineException("could not take " + spec.target() + " down (proxy " + proxyName + "): " + e.getMessage(), e);
        }
    }
}
