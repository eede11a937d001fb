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

    /**
     * The running replica, if it has the settings the experiment needs: it keeps those it was started with, so an
     * experiment of another profile, or with properties of its own, is refused rather than run on the wrong ones.
     */
    @Override
    public Environment open(EnvironmentRequest request) {
        AttachedEnvironment environment = attach(request.parameters());
        String running = environment.profile();
        if (!request.replica().profile().equals(running)) {
            throw new ReplicaException("the attached replica runs the " + running + " profile and this experiment needs "
                    + request.replica().profile() + ": start one with 'blastradius up --profile " + request.replica().profile()
                    + "', or use --env local");
        }
        if (!request.replica().properties().isEmpty()) {
            throw new ReplicaException("the attached replica keeps the settings it was started with, and this experiment sets "
                    + request.replica().properties() + ": use --env local, which starts the services with them");
        }
        return environment;
    }

    @Override
    public Environment reattach(Map<String, String> parameters) {
        return attach(parameters);
    }

    static AttachedEnvironment attach(Map<String, String> parameters) {
        String file = parameters.get(REPLICA);
        if (file == null) {
            throw new ReplicaException("no replica.json to attach to (parameter '" + REPLICA + "')");
        }
        return AttachedEnvironment.from(Path.of(file));
    }
}
