package io.blastradius.environment;

/** What an environment may offer; a fault type names the ones it needs, so that a run is refused before it starts. */
public enum Capability {
    FAULT_PROXY("a fault proxy (the Toxiproxy API on every hop)"),
    APP_CHAOS("Chaos Monkey in the services"),
    PROCESS_SIGNALS("control of the services' processes (kill, stop, pause, resume)"),
    PROCESS_RESTART("starting a crashed or stopped service again"),
    BREAKERS("the gateway's circuit-breaker states"),
    RESET("a reset between experiments"),
    RECONFIGURE("other settings given to a running replica by restarting only the services they change");

    private final String description;

    Capability(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
