package io.blastradius.support.internal;

import io.blastradius.support.ManagementToken;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loaded into the management server's own context (a separate port bound to loopback): the token guard
 * for its endpoints, in the servlet or the reactive flavour.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementSecurityConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class Servlet {
        @Bean
        ManagementTokenServletFilter managementTokenFilter(
                @Value("${" + ManagementToken.PROPERTY + ":}") String token, JsonMapper json) {
            return new ManagementTokenServletFilter(new ManagementToken(token), json);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class Reactive {
        @Bean
        ManagementTokenWebFilter managementTokenFilter(
                @Value("${" + ManagementToken.PROPERTY + ":}") String token, JsonMapper json) {
            return new ManagementTokenWebFilter(new ManagementToken(token), json);
        }
    }
}
