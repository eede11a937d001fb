package io.blastradius.kubernetes;

import io.blastradius.environment.EnvironmentException;
import io.blastradius.environment.Processes;
import io.blastradius.experiment.Service;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Processes} as pods: crash = delete the pod with no grace period (its Deployment starts a new one,
 * as it would after a real crash), stop = scale the Deployment to 0 (its former count kept in an annotation,
 * so that a rollback after a SIGKILL scales it back), pause = SIGSTOP to the service's own process through
 * exec (not PID 1: the JVMs run under tini and Redis's pod shares its process namespace), restart = a
 * rollout restart, awaited. A service counts as gone while its Deployment has no ready pod.
 */
final class PodProcesses implements Processes {

    /** On a Deployment scaled to 0 by a stop: how many replicas it had. */
    static final String REPLICAS_BEFORE_STOP = "blastradius.io/replicas-before-stop";

    private final Replica replica;

    PodProcesses(Replica replica) {
        this.replica = replica;
    }

    @Override
    public State state(Service service) {
        Deployment deployment = replica.deployment(service.wireName());
        Integer replicas = deployment.getSpec().getReplicas();
        if (replicas != null && replicas == 0) {
            return State.GONE;
        }
        Optional<Pod> pod = replica.readyPod(service.wireName());
        if (pod.isEmpty()) {
            return State.GONE;
        }
        String answer = replica.signal(service, pod.get(), "state");
        return answer.startsWith("T") ? State.PAUSED : State.RUNNING;
    }

    @Override
    public void kill(Service service) {
        replica.deletePods(service.wireName());
    }

    /** Scaled to 0 and its former count annotated, in one change of the Deployment: never one without the other. */
    @Override
    public void stop(Service service) {
        String name = service.wireName();
        replica.editDeployment(name, "scale " + name + " to 0", deployment -> {
            int replicas = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
            if (replicas > 0) {
                annotations(deployment).put(REPLICAS_BEFORE_STOP, Integer.toString(replicas));
            }
            deployment.getSpec().setReplicas(0);
        });
        replica.awaitNoPods(name);
    }

    @Override
    public void pause(Service service) {
        Pod pod = replica.readyPod(service.wireName()).orElseThrow(() ->
                new EnvironmentException("cannot pause " + service.wireName() + ": it has no ready pod"));
        replica.signal(service, pod, "stop");
    }

    @Override
    public void resume(Service service) {
        for (Pod pod : replica.pods(service.wireName())) {
            if (Replica.isRunning(pod)) {
                replica.signal(service, pod, "continue");
            }
        }
    }

    @Override
    public boolean canStart() {
        return true;
    }

    /** Scales a stopped service back (to its former count; its annotation removed in the same change), continues a paused one, and waits until its Deployment is ready. */
    @Override
    public void start(Service service) {
        String name = service.wireName();
        Deployment deployment = replica.deployment(name);
        Integer replicas = deployment.getSpec().getReplicas();
        if ((replicas != null && replicas == 0) || annotations(deployment).containsKey(REPLICAS_BEFORE_STOP)) {
            replica.editDeployment(name, "scale " + name + " back", d -> {
                String before = annotations(d).remove(REPLICAS_BEFORE_STOP);
                if (d.getSpec().getReplicas() != null && d.getSpec().getReplicas() == 0) {
                    d.getSpec().setReplicas(parse(before));
                }
            });
        }
        resume(service);
        replica.awaitReady(name);
    }

    private static Map<String, String> annotations(Deployment deployment) {
        if (deployment.getMetadata().getAnnotations() == null) {
            deployment.getMetadata().setAnnotations(new HashMap<>());
        }
        return deployment.getMetadata().getAnnotations();
    }

    /** A rollout restart: new pods replace the old ones one by one; returns once the rollout is done. */
    @Override
    public void restart(Service service) {
        replica.rolloutRestart(service.wireName());
        replica.awaitReady(service.wireName());
    }

    private static int parse(String replicas) {
        try {
            return replicas == null ? 1 : Math.max(1, Integer.parseInt(replicas));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
