package io.blastradius.engine.faults;

import io.blastradius.engine.EngineException;
import io.blastradius.environment.Capability;
import io.blastradius.environment.Change;
import io.blastradius.environment.FaultProxy;
import io.blastradius.experiment.Experiment.FaultSpec;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** {@code down}: the hop's proxy is disabled: live connections dropped, new ones refused. */
final class DownFault implements Fault {

    @Override
    public String type() {
        return "down";
    }

    @Override
    public Set<Capability> needs() {
        return Set.of(Capability.FAULT_PROXY);
    }

    @Override
    public Applied apply(FaultSpec spec, Context context) {
        FaultProxy faultProxy = context.faultProxy("down on " + spec.target());
        String proxyName = faultProxy.proxyName(spec.hop());
        try {
            var proxy = faultProxy.client().getProxy(proxyName);
            Change change = new Change.ProxyDisabled(proxyName);
            context.journal().accept(change);
            proxy.disable();
            return Applied.of(List.of(change));
        } catch (IOException e) {
            throw new EngineException("could not take " + spec.target() + " down (proxy " + proxyName + "): " + e.getMessage(), e);
        }
    }
}
