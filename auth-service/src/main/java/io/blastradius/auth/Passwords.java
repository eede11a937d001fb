package io.blastradius.auth;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * The configured users and their BCrypt hashes. An unknown user costs as much as a known one, so that
 * response times do not tell which user names exist.
 */
@Component
public class Passwords {

    private final BCryptPasswordEncoder encoder;
    private final Map<String, String> hashes;
    private final String decoy;

    public Passwords(AuthProperties properties) {
        this.encoder = new BCryptPasswordEncoder(properties.bcryptCost());
        Map<String, String> all = new HashMap<>(properties.users());
        all.forEach((user, hash) -> {
            if (hash == null || !hash.matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw new IllegalArgumentException("blastradius.auth.users." + user + " must be a BCrypt hash");
            }
        });
        if (properties.demoPassword() != null && !properties.demoPassword().isEmpty()) {
            all.put("demo", encoder.encode(properties.demoPassword()));
        }
        this.hashes = Map.copyOf(all);
        this.decoy = encoder.encode("decoy password that matches nothing");
    }

    public boolean matches(String user, String password) {
        String hash = hashes.get(user);
        boolean matches = encoder.matches(password, hash == null ? decoy : hash);
        return hash != null && matches;
    }
}
