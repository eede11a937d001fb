package io.blastradius.replica;

import io.blastradius.environment.Capability;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.experiment.ReplicaProfile;
import io.blastradius.experiment.Service;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** {@code --env local}, the default: a replica started on this machine for the experiments that need it. */
public final class LocalEnvironmentProvider implements EnvironmentProvider {

    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "start a replica on this machine (Redis and four JVMs on loopback), shared by the experiments that need the same one";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Environment open(EnvironmentRequest request) {
        ReplicaOptions options;
        try {
            ReplicaOptions.Builder builder = ReplicaOptions.custom(request.home())
                    .runDir(request.runDir())
                    .profile(ReplicaProfile.fromWireName(request.replica().profile()))
                    .seed(request.seed());
            request.replica().properties().forEach((service, properties) -> properties.forEach((key, value) ->
                    builder.property(Service.fromWireName(service), key, value)));
            options = builder.build();
        } catch (IllegalArgumentException e) {
            throw new ReplicaException("cannot start this replica: " + e.getMessage(), e);
        }
        return new LocalEnvironment(LocalReplica.start(options));
    }

    /** A local replica does not outlive its launcher; what is left of one is reached through its replica.json. */
    @Override
    public Environment reattach(Map<String, String> parameters) {
        return AttachEnvironmentProvider.attach(parameters);
    }
}
