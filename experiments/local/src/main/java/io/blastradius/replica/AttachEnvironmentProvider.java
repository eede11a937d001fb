package io.blastradius.replica;

import io.blastradius.environment.Capability;
import io.blastradius.environment.Environment;
import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.EnvironmentRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** {@code --env attach --replica replica.json}: a replica that is already running, started by someone else. */
public final class AttachEnvironmentProvider implements EnvironmentProvider {

    public static final String NAME = "attach";
    /** The parameter naming the running replica's replica.json. */
    public static final String REPLICA = "replica";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "use a running replica (--replica replica.json, as 'blastradius up' writes it); crashed services cannot be started again";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.complementOf(EnumSet.of(Capability.PROCESS_RESTART, Capability.RESET, Capability.RECONFIGURE));
    }

    @Override
    public void validate(EnvironmentRequest request) {
        String file = request.parameter(REPLICA).orElseThrow(() -> new IllegalArgumentException(
                "--env attach needs --replica <replica.json> (written by 'blastradius up')"));
        if (!Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException("--replica " + file + ": no such file, or not readable; 'blastradius up' prints where it wrote replica.json");
        }
    }

    @Override
    public Environment open(EnvironmentRequest request) {
        return attach(request.parameters());
    }

    @Override
    public Environment reattach(Map<String, String> parameters) {
        return attach(parameters);
    }

    static Environment attach(Map<String, String> parameters) {
        String file = parameters.get(REPLICA);
        if (file == null) {
            throw new ReplicaException("no replica.json to attach to (parameter '" + REPLICA + "')");
        }
        return AttachedEnvironment.from(Path.of(file));
    }
}
